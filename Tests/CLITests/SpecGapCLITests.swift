import AmanaTestSupport
import Foundation
import XCTest

/// CLI behaviour issue 12 section 1 made the spec state: exit statuses, the `--tsa-digest` list, and the bundle id
/// rules that only show on a real sealed bundle.
final class SpecGapCLITests: XCTestCase {
    /// verification-report.md section 6: every unusable `--trust` argument is a usage error (64), a missing file too;
    /// 66 is kept for the input itself.
    func testAMissingTrustFileIsAUsageError() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        let missing = fixture.folder.file("nowhere.pub")
        let result = try amana(["verify", bundle, "--trust", missing])
        XCTAssertEqual(result.status, 64, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: cannot read the public key file or keyring \(missing)"), result.stderr)
        XCTAssertEqual(try amana(["verify", fixture.folder.file("nowhere.tar"), "--trust", fixture.pub]).status, 66)
    }

    /// keys.md section 10a: the CLI accepts keyrings up to the library's 1 MiB, and refuses one byte more as usage.
    func testKeyringsUpTo1MiBAreReadByTheCLI() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        let keyLine = try String(contentsOfFile: fixture.pub, encoding: .utf8).split(separator: "\n")[1]
        let body = "amana-keyring: 1\n\nkey: \(keyLine)\nname: Test Documenter\n\n"
        let padding = String(repeating: "# padding comment line\n", count: 60_000)
        let big = String((body + padding).prefix(1 << 20))
        XCTAssertGreaterThan(big.utf8.count, 64 * 1024)
        let ring = try fixture.folder.write("big.keyring", big)
        XCTAssertEqual(try amana(["verify", bundle, "--trust", ring]).status, 0)
        let tooBig = try fixture.folder.write("too-big.keyring", big + "#")
        XCTAssertEqual(try amana(["verify", bundle, "--trust", tooBig]).status, 64)
    }

    /// timestamps.md section 3.1: SHA-384 imprints may be requested; MD5 may not. With a TSA that refuses the
    /// connection, an accepted digest gets as far as the network (69), a refused one stops at the arguments (64).
    func testTheTimestampDigestListIsTheSpecs() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        for (digest, status) in [("sha384", Int32(69)), ("sha512", 69), ("md5", 64), ("sha224", 64)] {
            let result = try amana(["timestamp", bundle, "--tsa", "http://127.0.0.1:9/", "--tsa-digest", digest,
                                    "--output", fixture.folder.file("stamped-\(digest).tar")])
            XCTAssertEqual(result.status, status, "\(digest): \(result)")
        }
    }

    /// bundle.md section 4: an Amana bundle must carry External-Identifier; seal.md section 3.2: Bundle-Id is held to
    /// it as well as to the root folder.
    func testExternalIdentifierIsRequiredAndHeldToTheSeal() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        let out = fixture.folder.file("extracted")
        XCTAssertEqual(try amana(["extract", bundle, "--output", out, "--trust", fixture.pub]).status, 0)
        let infoPath = out + "/bag-info.txt"
        let info = try String(contentsOfFile: infoPath, encoding: .utf8)
        let lines = info.split(separator: "\n", omittingEmptySubsequences: false)

        try lines.filter { !$0.hasPrefix("External-Identifier:") }.joined(separator: "\n")
            .write(toFile: infoPath, atomically: false, encoding: .utf8)
        var (status, report) = try fixture.verifyJSON(out)
        XCTAssertEqual(status, 1)
        XCTAssertTrue(report.failedCodes.contains("bundle.id.missing"), "\(report.failedCodes)")

        try lines.map { $0.hasPrefix("External-Identifier:") ? "External-Identifier: another-bundle" : $0 }
            .joined(separator: "\n").write(toFile: infoPath, atomically: false, encoding: .utf8)
        (status, report) = try fixture.verifyJSON(out)
        XCTAssertEqual(status, 1)
        let mismatch = report.findings.filter { $0.code == "seal.bundle.mismatch" }
        XCTAssertEqual(mismatch.count, 1)
        XCTAssertEqual(mismatch.first?.expected, "another-bundle")
        XCTAssertFalse(report.failedCodes.contains("bundle.id.missing"))
    }
}
