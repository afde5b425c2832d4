import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// TEST ONLY. Moments of an organisation store's uploads at which a real `amana` process stops and waits, so that a
/// fault test can act at exactly that point (SIGKILL it during a multipart upload, stop radosgw before an upload)
/// instead of guessing with sleeps. Driven by the environment, and honoured only together with `AMANA_TEST_HOOKS=1`:
/// without the flag a pause variable is an error, so a stray one never stalls a real ingest. Never a configuration.
///
/// Each pause is `COUNT:FILE` (FILE an absolute path). On reaching the moment, the process creates FILE and waits
/// until the test removes it (at most ``longestPause`` seconds), then goes on; a test that kills the process while
/// it waits never removes it.
/// - `AMANA_TEST_PAUSE_BEFORE_UPLOAD=N:FILE`: before the N-th object this process uploads (counted from 1, only
///   objects it really uploads: not duplicates), before its first request to S3.
/// - `AMANA_TEST_PAUSE_UPLOAD_AT_BYTE=B:FILE`: when an upload has read B bytes of its source (its second read, the
///   one whose bytes are sent), before it hands those bytes on. The reading runs one part ahead of the sending
///   (``S3Client/upload(key:lock:partSize:read:)`` sends part k while it reads part k+1, and waits for part k's answer
///   before reading part k+2): with 8 MiB parts, B = 16 MiB + 1 pauses once part 1 is acknowledged and part 2 is on
///   the wire, with the upload not completed.
struct S3UploadFaultHooks: Sendable {
    /// A moment, and the file that says the process reached it.
    struct Pause: Sendable, Equatable {
        let count: UInt64
        let file: String
    }

    static let beforeUploadVariable = "AMANA_TEST_PAUSE_BEFORE_UPLOAD"
    static let atByteVariable = "AMANA_TEST_PAUSE_UPLOAD_AT_BYTE"
    /// How long a pause waits for its file to go before the process goes on by itself.
    static let longestPause: TimeInterval = 120

    var beforeUpload: Pause?
    var atByte: Pause?

    /// No pause at all: what a real run has.
    static let none = S3UploadFaultHooks()

    /// The pauses the environment asks for; an error when one is set without `AMANA_TEST_HOOKS=1` or is malformed.
    static func parse(environment: [String: String]) throws -> S3UploadFaultHooks {
        var hooks = S3UploadFaultHooks()
        for name in [beforeUploadVariable, atByteVariable] {
            guard let value = environment[name], !value.isEmpty else { continue }
            guard environment["AMANA_TEST_HOOKS"] == "1" else {
                throw AmanaError(.usage, "\(name) is a test hook and is refused outside the tests",
                                 hint: "unset \(name)")
            }
            guard let colon = value.firstIndex(of: ":"), let count = UInt64(value[..<colon]), count > 0,
                  value[value.index(after: colon)...].hasPrefix("/") else {
                throw AmanaError(.usage, "\(name) must be COUNT:FILE, a positive count and an absolute path")
            }
            let pause = Pause(count: count, file: String(value[value.index(after: colon)...]))
            if name == beforeUploadVariable { hooks.beforeUpload = pause } else { hooks.atByte = pause }
        }
        return hooks
    }

    /// This process's pauses, read from its environment once.
    static let current: Result<S3UploadFaultHooks, AmanaError> = {
        do { return .success(try parse(environment: ProcessInfo.processInfo.environment)) } catch let error as AmanaError {
            return .failure(error)
        } catch {
            return .failure(AmanaError(.internalFailure, "\(error)"))
        }
    }()

    /// Creates the pause's file, then waits until it is removed (or ``longestPause`` has passed).
    static func wait(at pause: Pause) {
        let fd = open(pause.file, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
        let deadline = Date().addingTimeInterval(longestPause)
        while access(pause.file, F_OK) == 0 && Date() < deadline {
            usleep(10_000)
        }
    }
}
