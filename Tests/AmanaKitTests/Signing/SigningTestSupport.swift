import Foundation
import XCTest

@testable import AmanaKit

/// What a finished child process said.
struct SigningProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Small helpers for the Signing tests: running `minisign`, finding the conformance files, asserting error codes.
/// Names carry the `Signing` prefix so they cannot clash with other test files in this target.
enum SigningTestSupport {
    /// The absolute path of `name` on `PATH`, or nil.
    static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The `minisign` binary, or an `XCTSkip` when it is not installed.
    static func minisign() throws -> String {
        guard let path = executable(named: "minisign") else { throw XCTSkip("minisign not on PATH") }
        return path
    }

    /// Runs `executable` with `arguments` in `directory`, feeding `stdin`, and waits for it.
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], stdin: String = "", in directory: URL
    ) throws -> SigningProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        // Drain stderr on another thread while this one drains stdout, so a chatty child never blocks on a full pipe.
        let errorBox = Locked(Data())
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            errorBox.set(error.fileHandleForReading.readDataToEndOfFile())
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let errData = errorBox.value
        return SigningProcessResult(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    /// `../shared/conformance/minisign` next to the package root, or an `XCTSkip` when this clone lacks it.
    static func conformanceDirectory(file: StaticString = #filePath) throws -> URL {
        let packageRoot = URL(fileURLWithPath: "\(file)")
            .deletingLastPathComponent()  // Signing
            .deletingLastPathComponent()  // AmanaKitTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
        let directory = packageRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/conformance/minisign", isDirectory: true)
        guard FileManager.default.fileExists(atPath: directory.path) else {
            throw XCTSkip("minisign conformance files not found at \(directory.path) (they are not part of a clone)")
        }
        return directory
    }

    /// Cheap scrypt limits (libsodium's minimums: about 1 MiB and a few milliseconds) for tests that need many
    /// encrypted keys. Real keys always use minisign's defaults.
    static let cheapOpsLimit: UInt64 = 32_768
    static let cheapMemLimit: UInt64 = 16_777_216

    /// A secret key file encrypted with the cheap limits.
    static func cheapEncryptedFile(_ key: SecretKey, passphrase: String) throws -> String {
        try key.minisignFile(passphrase: passphrase, opsLimit: cheapOpsLimit, memLimit: cheapMemLimit)
    }

    /// The decoded second line of a minisign file.
    static func blob(ofLine index: Int, in text: String) -> [UInt8] {
        let line = text.split(separator: "\n", omittingEmptySubsequences: false)[index]
        return Array(Data(base64Encoded: String(line))!)
    }

    /// `text` with line `index` replaced by the base64 of `bytes`.
    static func replacingBlob(ofLine index: Int, in text: String, with bytes: [UInt8]) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[index] = Data(bytes).base64EncodedString()
        return lines.joined(separator: "\n")
    }
}

/// A fresh temporary directory, removed when the value is released.
final class SigningTemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("amana-signing-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws { try write(name, Array(text.utf8)) }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: url.appendingPathComponent(name))
    }

    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: url.appendingPathComponent(name)), as: UTF8.self)
    }

    func readBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url.appendingPathComponent(name)))
    }
}

/// Asserts that `body` throws an ``AmanaError`` with `code`.
func SigningAssertThrows<T>(
    _ code: AmanaError.Code, _ message: @autoclosure () -> String = "",
    file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
) {
    do {
        _ = try body()
        XCTFail("expected error \(code), got success. \(message())", file: file, line: line)
    } catch let error as AmanaError {
        XCTAssertEqual(error.code, code, "\(error.reason). \(message())", file: file, line: line)
    } catch {
        XCTFail("expected AmanaError \(code), got \(error). \(message())", file: file, line: line)
    }
}
