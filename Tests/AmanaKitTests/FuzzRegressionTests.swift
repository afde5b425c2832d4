@testable import AmanaKit
import AmanaTestSupport
import Foundation
import SwiftASN1
import XCTest

/// Replays every fuzz seed and every saved crash or hang input through the fuzz targets, without libFuzzer, so that
/// `make test` keeps them fixed.
///
/// The inputs run through the `amana-fuzz` replayer that `swift build` makes beside `amana`: it is the very target
/// code `make fuzz` runs (Sources/amana-fuzz), built without sanitizers. A crash shows as a failed exit naming the
/// input; a hang as a timeout. The tests at the end check the library fixes themselves, in process.
final class FuzzRegressionTests: XCTestCase {
    static let fuzzRoot = TestEnvironment.packageRoot.appendingPathComponent("fixtures/fuzz")
    /// Far above what any input needs (all the seeds of a target replay in well under a second); a hang is a failure.
    static let timeout: TimeInterval = 120

    func testEveryTargetHasASeedCorpus() throws {
        let targets = try Self.targetNames()
        XCTAssertTrue(targets.count >= 18, "\(targets)")
        for expected in ["verify", "timestamp-token", "tst-info"] {
            XCTAssertTrue(targets.contains(expected), "amana-fuzz --list lacks \(expected): \(targets)")
        }
        for target in targets {
            let folder = Self.fuzzRoot.appendingPathComponent("corpus/\(target)").path
            let seeds = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            XCTAssertFalse(seeds.isEmpty, "fixtures/fuzz/corpus/\(target) has no seeds")
        }
    }

    func testSeedCorporaReplayThroughEveryTarget() throws {
        for target in try Self.targetNames() {
            try replay(target, folder: "corpus")
        }
    }

    func testRegressionInputsReplayWithoutCrashOrHang() throws {
        let folder = Self.fuzzRoot.appendingPathComponent("regressions").path
        let targets = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertFalse(targets.isEmpty, "fixtures/fuzz/regressions holds no inputs")
        let known = Set(try Self.targetNames())
        for target in targets {
            XCTAssertTrue(known.contains(target), "fixtures/fuzz/regressions/\(target) names no fuzz target")
            try replay(target, folder: "regressions")
        }
    }

    // MARK: The library fixes, checked in process

    /// regressions/verify/seal-number-beyond-9999.tar: a seal file named with a 19-digit number became seal
    /// 10^18, and the gap check counted up to it (a hang, then memory exhaustion). Seal numbers are 1 to 9999.
    func testASealNamedBeyond9999IsAnUnexpectedFileNotAHang() throws {
        XCTAssertNil(BundleLayout.parseSealPath("seals/1000000000000000000.seal"))
        XCTAssertNil(BundleLayout.parseSealPath("seals/10000.seal.minisig"))
        XCTAssertEqual(BundleLayout.parseSealPath("seals/9999.seal")?.number, 9999)
        let tar = Self.fuzzRoot.appendingPathComponent("regressions/verify/seal-number-beyond-9999.tar").path
        let report = try Verifier.verify(tar)
        XCTAssertEqual(report.verdict, .totalFailed)
        XCTAssertTrue(report.findings.contains {
            $0.code == "seal.file.unexpected" && $0.subject == "seals/1000000000000000000.seal"
        }, "\(report.findings.map(\.code))")
    }

    /// regressions/receipt/negative-custody-length.json: `amana custody show --receipt` trapped taking a prefix of
    /// -1 events of the log. A receipt's length and seal number are now checked when it is read.
    func testAReceiptWithANegativeCustodyLengthIsMalformed() throws {
        let path = Self.fuzzRoot.appendingPathComponent("regressions/receipt/negative-custody-length.json").path
        XCTAssertThrowsError(try Receipt(bytes: readBytes(path))) { error in
            XCTAssertEqual((error as? AmanaError)?.code, .inputInvalid)
        }
        let seed = Self.fuzzRoot.appendingPathComponent("corpus/receipt/receipt.json").path
        XCTAssertNoThrow(try Receipt(bytes: readBytes(seed)))
    }

    /// regressions/tst-info/tsa-name-invalid-utf8.der: a TSTInfo whose `tsa` name holds bytes that are not UTF-8
    /// parsed, and swift-certificates repaired the name while reading it, so the name shown and compared was not the
    /// one signed. A TSTInfo must now re-encode to its own bytes; the seed it was mutated from still parses.
    func testATSTInfoThatDoesNotReencodeToItsOwnBytesIsMalformed() throws {
        let path = Self.fuzzRoot.appendingPathComponent("regressions/tst-info/tsa-name-invalid-utf8.der").path
        XCTAssertThrowsError(try TSTInfo(derEncoded: DER.parse(readBytes(path))))
        let seed = try readBytes(Self.fuzzRoot.appendingPathComponent("corpus/tst-info/tstinfo-rsa.der").path)
        let info = try TSTInfo(derEncoded: DER.parse(seed))
        XCTAssertEqual(try info.derBytes(), seed)
    }

    // MARK: The replayer

    private func replay(_ target: String, folder: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = Self.fuzzRoot.appendingPathComponent("\(folder)/\(target)").path
        let started = Date()
        let result = try Self.run([target, path])
        let seconds = Date().timeIntervalSince(started)
        let lastInput = result.stderr.split(separator: "\n").last { $0.hasPrefix("replay ") } ?? "(none)"
        XCTAssertFalse(result.timedOut, "\(target) hung on \(lastInput) (over \(Self.timeout) s)",
                       file: file, line: line)
        XCTAssertEqual(result.status, 0, "\(target) crashed on \(lastInput):\n\(result.stderr.suffix(2000))",
                       file: file, line: line)
        XCTAssertTrue(result.stdout.hasPrefix("replayed "), result.stdout, file: file, line: line)
        print("fuzz replay: \(folder)/\(target): \(result.stdout.trimmingCharacters(in: .newlines)) in "
              + String(format: "%.2f s", seconds))
    }

    static func targetNames() throws -> [String] {
        let result = try run(["--list"])
        guard result.status == 0 else { throw XCTSkip("amana-fuzz --list failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// The replayer beside the `amana` binary the CLI tests use.
    static var replayer: String {
        URL(fileURLWithPath: TestEnvironment.amanaBinary).deletingLastPathComponent()
            .appendingPathComponent("amana-fuzz").path
    }

    struct Outcome {
        var status: Int32
        var timedOut: Bool
        var stdout: String
        var stderr: String
    }

    /// Runs the replayer with output in files (no pipe can fill up) and kills it after ``timeout``.
    static func run(_ arguments: [String]) throws -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: replayer) else {
            throw XCTSkip("\(replayer) is not built; `swift build` makes it")
        }
        let folder = TemporaryFolder("amana-fuzz-replay")
        let out = folder.file("stdout"), err = folder.file("stderr")
        guard FileManager.default.createFile(atPath: out, contents: nil),
              FileManager.default.createFile(atPath: err, contents: nil)
        else { throw XCTSkip("cannot create files in \(folder.path)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: replayer)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        let timedOut = done.wait(timeout: .now() + timeout) == .timedOut
        if timedOut {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return Outcome(status: process.terminationStatus, timedOut: timedOut,
                       stdout: String(decoding: try readBytes(out), as: UTF8.self),
                       stderr: String(decoding: try readBytes(err), as: UTF8.self))
    }
}
