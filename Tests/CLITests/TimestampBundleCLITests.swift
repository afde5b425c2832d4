import AmanaTestSupport
import Foundation
import XCTest

/// Trusted time inside bundles: `seal --tsa`, `amana timestamp`, and `verify` checking tokens, against a real local
/// TSA (`openssl ts -reply` behind scripts/tsa/tsa-server.py on 127.0.0.1).
final class TimestampBundleCLITests: XCTestCase {
    private var fixture: CLIFixture!
    private var tsaFolder: TemporaryFolder!
    private var server: Process!
    private var port = 0

    override func setUpWithError() throws {
        let openssl = try TestEnvironment.requireTool("openssl")
        _ = openssl
        fixture = try CLIFixture()
        tsaFolder = TemporaryFolder("amana-tsa")
        let make = try runTool("/bin/bash", [TestEnvironment.packageRoot.appendingPathComponent("scripts/tsa/make-tsa.sh").path,
                                             tsaFolder.path])
        XCTAssertEqual(make.status, 0, "\(make)")
        (server, port) = try startTSA(config: tsaFolder.file("tsa.cnf"))
    }

    /// Starts scripts/tsa/tsa-server.py for a TSA made by make-tsa.sh; it stops by itself after a bounded time.
    private func startTSA(config: String) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.requireTool("python3"))
        process.arguments = [TestEnvironment.packageRoot.appendingPathComponent("scripts/tsa/tsa-server.py").path,
                             config, "--lifetime", "120"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw XCTSkip("the local TSA did not start: \(line)")
        }
        return (process, port)
    }

    override func tearDown() {
        if server?.isRunning == true {
            server.terminate()
            server.waitUntilExit()
        }
    }

    private var tsa: String { "http://127.0.0.1:\(port)/ok" }
    private var root: String { tsaFolder.file("root.pem") }

    func testSealWithTwoTSAsVerifiesAndOpensslAgrees() throws {
        let bundle = try fixture.sealSample(extra: ["--tsa", tsa, "--tsa", tsa])
        let (status, report) = try fixture.verifyJSON(bundle, trust: [fixture.pub])
        XCTAssertEqual(status, 2, "no --tsa-root: the system store does not know the test TSA")
        XCTAssertEqual(report.codes("indeterminate").filter { $0 == "timestamp.chain.untrusted" }.count, 2)

        let result = try amana(["verify", bundle, "--trust", fixture.pub, "--tsa-root", root, "--json"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.stdout.components(separatedBy: "\"code\" : \"timestamp.valid\"").count - 1, 2)
        XCTAssertFalse(result.stdout.contains("seal.time.claimed-only"))

        let entries = try BundleEntries(tar: bundle)
        let openssl = try TestEnvironment.requireTool("openssl")
        for token in ["seals/0001.seal.minisig.tsr", "seals/0001.seal.minisig.2.tsr"] {
            let data = try fixture.folder.write("sig", entries["seals/0001.seal.minisig"])
            let tsr = try fixture.folder.write("tok.tsr", entries[token])
            let check = try runTool(openssl, ["ts", "-verify", "-data", data, "-in", tsr, "-CAfile", root])
            XCTAssertEqual(check.status, 0, "openssl ts -verify \(token): \(check)")
        }
    }

    func testStampLaterWithAmanaTimestamp() throws {
        let bundle = try fixture.sealSample()
        let (status, report) = try fixture.verifyJSON(bundle)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(report.codes("warning"), ["seal.time.claimed-only"], "no token: claimed time only, verdict unchanged")

        let stamped = fixture.folder.file("stamped.tar")
        let result = try amana(["timestamp", bundle, "--tsa", tsa, "--output", stamped])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("stamped seal 1: seals/0001.seal.minisig.tsr"), result.stdout)
        let verify = try amana(["verify", stamped, "--trust", fixture.pub, "--tsa-root", root])
        XCTAssertEqual(verify.status, 0, "\(verify)")
        // Nothing sealed changed.
        let before = try BundleEntries(tar: bundle), after = try BundleEntries(tar: stamped)
        for entry in before.entries { XCTAssertEqual(after.entries.first { $0.name == entry.name }?.contents, entry.contents, entry.name) }
    }

    func testTokenFromAnotherBundleAndAFlippedTokenByteFail() throws {
        let first = try fixture.sealSample("first.tar", extra: ["--tsa", tsa])
        let second = try fixture.sealSample("second.tar")
        var moved = try BundleEntries(tar: second)
        moved.add("seals/0001.seal.minisig.tsr", try BundleEntries(tar: first)["seals/0001.seal.minisig.tsr"])
        let movedPath = fixture.folder.file("moved.tar")
        try moved.write(to: movedPath)
        var result = try amana(["verify", movedPath, "--trust", fixture.pub, "--tsa-root", root, "--json"])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("timestamp.imprint.mismatch"), result.stdout)

        var flipped = try BundleEntries(tar: first)
        var token = flipped["seals/0001.seal.minisig.tsr"]
        token[token.count - 20] ^= 0x01
        flipped["seals/0001.seal.minisig.tsr"] = token
        let flippedPath = fixture.folder.file("flipped.tar")
        try flipped.write(to: flippedPath)
        result = try amana(["verify", flippedPath, "--trust", fixture.pub, "--tsa-root", root])
        XCTAssertEqual(result.status, 1, "\(result)")
    }

    func testAnUnreachableTSAFailsTheSealAndWritesNothing() throws {
        let output = fixture.folder.file("never.tar")
        let input = try fixture.folder.write("in/x.txt", "x")
        let result = try amana(["seal", input, "--key", fixture.key, "--output", output, "--tsa", "http://127.0.0.1:1/ok"])
        XCTAssertEqual(result.status, 69, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: the TSA http://127.0.0.1:1/ok cannot be reached"), result.stderr)
        XCTAssertFalse(fixture.folder.listing().contains { $0.contains("never.tar") }, "\(fixture.folder.listing())")
    }

    /// Two TSAs, one trusted: both tokens are reported, and the untrusted one makes the verdict INDETERMINATE.
    func testTwoTSAsWhereOneIsUntrusted() throws {
        let otherFolder = TemporaryFolder("amana-tsa2")
        let make = try runTool("/bin/bash", [TestEnvironment.packageRoot.appendingPathComponent("scripts/tsa/make-tsa.sh").path,
                                             otherFolder.path, "--name", "Other TSA", "--key", "rsa"])
        XCTAssertEqual(make.status, 0, "\(make)")
        let (other, otherPort) = try startTSA(config: otherFolder.file("tsa.cnf"))
        defer { other.terminate(); other.waitUntilExit() }
        let bundle = try fixture.sealSample(extra: ["--tsa", tsa, "--tsa", "http://127.0.0.1:\(otherPort)/ok"])
        let result = try amana(["verify", bundle, "--trust", fixture.pub, "--tsa-root", root, "--json"])
        XCTAssertEqual(result.status, 2, "\(result)")
        XCTAssertTrue(result.stdout.contains("\"code\" : \"timestamp.valid\""), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"code\" : \"timestamp.chain.untrusted\""), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"verdict\" : \"INDETERMINATE\""), result.stdout)
    }
}
