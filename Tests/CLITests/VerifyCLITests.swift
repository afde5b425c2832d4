import AmanaTestSupport
import Foundation
import XCTest

final class VerifyCLITests: XCTestCase {
    func testUntrustedSealIsIndeterminate() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        let result = try amana(["verify", bundle])
        XCTAssertEqual(result.status, 2, "\(result)")
        XCTAssertTrue(result.stdout.contains("verdict: INDETERMINATE"), result.stdout)
        XCTAssertTrue(result.stdout.contains("seal.key.untrusted"), result.stdout)
        XCTAssertTrue(result.stdout.contains("--trust"), result.stdout)
    }

    func testAnotherTrustedKeyDoesNotMakeItPass() throws {
        let fixture = try CLIFixture()
        let other = try CLIFixture()
        let bundle = try fixture.sealSample()
        let (status, report) = try fixture.verifyJSON(bundle, trust: [other.pub])
        XCTAssertEqual(status, 2)
        XCTAssertEqual(report.verdict, "INDETERMINATE")
    }

    func testJSONReport() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        let (status, report) = try fixture.verifyJSON(bundle)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(report.mediaType, "application/vnd.amana.verification-report+json;version=1")
        XCTAssertEqual(report.verdict, "TOTAL-PASSED")
        let passed = Set(report.codes("passed"))
        for code in ["archive.structure", "payload.digests", "tagmanifest.digests", "bundle.coverage", "items.consistent",
                     "seal.signature", "seal.commitments"] {
            XCTAssertTrue(passed.contains(code), "missing passed finding \(code): \(passed)")
        }
    }

    func testFolderVerifiesLikeTheTar() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        let out = fixture.folder.file("extracted")
        XCTAssertEqual(try amana(["extract", bundle, "--output", out, "--trust", fixture.pub]).status, 0)
        let result = try amana(["verify", out, "--trust", fixture.pub])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("(folder)"), result.stdout)
    }

    func testUnreadableInputAndBadTrustFile() throws {
        var result = try amana(["verify", "/nonexistent/bundle.tar"])
        XCTAssertEqual(result.status, 66, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: cannot read /nonexistent/bundle.tar"), result.stderr)
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        let junk = try fixture.folder.write("junk.pub", "not a key\n")
        result = try amana(["verify", bundle, "--trust", junk])
        XCTAssertEqual(result.status, 64, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: \(junk) is not a minisign public key or an amana keyring"), result.stderr)
    }
}
