import AmanaKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The whole verify path: the input is a bundle tar (plain or compressed), verified as `amana verify` would, trusting
/// the two vector keys that sign the seed bundles, so that the trusted-seal and custody paths run too.
///
/// The verifier reads a file by path (libarchive streams it), so each input is written to one scratch file in
/// /dev/shm (memory-backed where it exists), overwritten for every input: a few microseconds against the
/// verification's own cost, and no change to the library.
enum VerifyTarget {
    static let scratch: String = {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = "\(folder)/amana-fuzz-\(getpid()).tar"
        atexit { unlink(VerifyTarget.scratch) }
        // Judge decompression bombs from 16 MiB on, not 1 GiB, so a small compressed input cannot make one run
        // inflate a gigabyte (the tests lower this floor for the same reason).
        FuzzingHooks.tarExpansionFloor = 16 << 20
        return path
    }()

    static let options = VerifyOptions(
        trust: try! TrustSet([KeyTargets.signer, KeyTargets.other].map { TrustedKey(key: $0, source: "fuzz") }),
        validationTime: Date(timeIntervalSince1970: 1_800_000_000))

    static func verify(_ bytes: [UInt8]) {
        let path = scratch
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fatalError("cannot write \(path): \(String(cString: strerror(errno)))") }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                guard n > 0 else { fatalError("cannot write \(path)") }
                offset += n
            }
        }
        close(fd)
        // Throwing is allowed (an unreadable input); crashing, hanging or leaking is not.
        guard let report = try? Verifier.verify(path, options: options) else { return }
        _ = try? report.json()
        // Nothing passes without a valid seal by the trusted key, and a passing report has no failed finding.
        if report.verdict == .totalPassed {
            let trustedSeal = report.findings.contains { $0.code == "seal.signature" && $0.status == .passed }
            let failed = report.findings.contains { $0.status == .failed }
            FuzzCheck.expect(trustedSeal && !failed, "TOTAL-PASSED without a trusted seal")
        }
    }
}
