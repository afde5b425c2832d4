import AmanaTestSupport
import Foundation
import XCTest

/// `amana verify-timestamp`: exit codes and output, on the conformance tokens and on a token made here by OpenSSL.
final class VerifyTimestampCLITests: XCTestCase {
    private let at = "2026-11-29T03:30:00Z"

    private func conformance(_ name: String) throws -> String {
        try TestEnvironment.requireConformance("rfc3161").appendingPathComponent(name).path
    }

    private func hello(_ folder: TemporaryFolder) throws -> String { try folder.write("hello", "hello") }

    func testValidTokenPasses() throws {
        let folder = TemporaryFolder("amana-cli-ts")
        let token = try conformance("sigstage/response-sha256.tsr")
        let chain = try conformance("sigstage/ts_chain.pem")
        let result = try amana(["verify-timestamp", token, "--data", try hello(folder), "--tsa-root", chain, "--at", at])
        XCTAssertEqual(result.status, 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, result.stdout)
        XCTAssertEqual(lines[0], "verifying time-stamp \(token) over \(folder.file("hello"))")
        XCTAssertEqual(lines[1], "  timestamp  ok      time-stamped 2025-05-09T11:58:55Z (±1s) by CN=sigstore-tsa,O=sigstore.dev; "
                       + "policy 1.3.6.1.4.1.57264.2, serial 784b4c5e57aaa63b570f15cba4df95251668ae9e; "
                       + "chain to CN=sigstore-tsa-selfsigned,O=sigstore.dev valid at genTime")
        XCTAssertEqual(lines[2], "verdict: TOTAL-PASSED")
        XCTAssertTrue(lines[3].contains("existed at 2025-05-09T11:58:55Z (±1s)"), lines[3])
        XCTAssertTrue(lines[3].contains(chain), lines[3])
        XCTAssertEqual(result.stderr, "")
    }

    func testInvalidSignatureFails() throws {
        let folder = TemporaryFolder("amana-cli-ts")
        let token = try conformance("sigstage/response-invalid-signature.tsr")
        let result = try amana(["verify-timestamp", token, "--data", try hello(folder),
                                "--tsa-root", try conformance("sigstage/ts_chain.pem")])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("  timestamp  FAILED  timestamp.signature.invalid: the ECDSA with sha256 "
                                             + "signature does not verify"), result.stdout)
        XCTAssertTrue(result.stdout.contains("verdict: TOTAL-FAILED\n"), result.stdout)
    }

    func testOtherDataFailsAndUntrustedRootIsIndeterminate() throws {
        let folder = TemporaryFolder("amana-cli-ts")
        let other = try folder.write("other", "hello!")
        let token = try conformance("test_tsa/response.tsr")
        var result = try amana(["verify-timestamp", token, "--data", other, "--tsa-root", try conformance("test_tsa/ts_chain.pem")])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("timestamp.imprint.mismatch"), result.stdout)
        result = try amana(["verify-timestamp", token, "--data", try hello(folder),
                            "--tsa-root", try conformance("sigstage/ts_chain.pem")])
        XCTAssertEqual(result.status, 2, "\(result)")
        XCTAssertTrue(result.stdout.contains("UNSURE  timestamp.chain.untrusted"), result.stdout)
        XCTAssertTrue(result.stdout.contains("verdict: INDETERMINATE"), result.stdout)
    }

    func testDERRootFileAndJSONReport() throws {
        let folder = TemporaryFolder("amana-cli-ts")
        let root = try conformance("identrust/ts_chain.pem")
        let result = try amana(["verify-timestamp", try conformance("identrust/issue-104.tsr"), "--data", try hello(folder),
                                "--tsa-root", root, "--at", at, "--json"])
        XCTAssertEqual(result.status, 0, "\(result)")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["mediaType"] as? String, "application/vnd.amana.verification-report+json;version=1")
        XCTAssertEqual(json["verdict"] as? String, "TOTAL-PASSED")
        XCTAssertEqual(json["validationTime"] as? String, at)
        XCTAssertEqual((json["subject"] as? [String: Any])?["kind"] as? String, "timestamp")
        let trust = try XCTUnwrap(json["trust"] as? [String: Any])
        let roots = try XCTUnwrap(trust["tsaRoots"] as? [[String: Any]])
        XCTAssertEqual(roots.count, 1)
        XCTAssertEqual(roots[0]["source"] as? String, root)
        XCTAssertEqual(roots[0]["subject"] as? String, "CN=IdenTrust Commercial Root CA 1,O=IdenTrust,C=US")
        XCTAssertEqual(roots[0]["anchor"] as? Bool, true)
        let timestamp = try XCTUnwrap(json["timestamp"] as? [String: Any])
        XCTAssertEqual(timestamp["genTime"] as? String, "2025-03-11T08:52:08Z")
        XCTAssertEqual(timestamp["tsaName"] as? String, "CN=TrustID Timestamp Authority,O=IdenTrust,C=US")
        XCTAssertEqual(timestamp["policy"] as? String, "2.16.840.1.113839.0.6.13.3")
        XCTAssertEqual(timestamp["qualified"] as? Bool, false)
        XCTAssertEqual(timestamp["trusted"] as? Bool, true)
        let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.map { $0["code"] as? String }, ["timestamp.valid"])
    }

    /// Without --tsa-root the system trust store is used, and the report says so.
    func testSystemTrustStoreIsNamed() throws {
        let folder = TemporaryFolder("amana-cli-ts")
        let result = try amana(["verify-timestamp", try conformance("test_tsa/response.tsr"), "--data", try hello(folder),
                                "--json"])
        XCTAssertEqual(result.status, 2, "\(result)")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let trust = try XCTUnwrap(json["trust"] as? [String: Any])
        XCTAssertEqual(trust["tsaRootStore"] as? String, "/etc/ssl/certs/ca-certificates.crt")
    }

    /// A token from a TSA made here, independent of the shared material.
    func testTokenFromLocalOpenSSLTSA() throws {
        let openssl = try TestEnvironment.requireTool("openssl")
        let folder = TemporaryFolder("amana-cli-ts")
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/tsa/make-tsa.sh").path
        XCTAssertEqual(try runTool("/bin/bash", [script, folder.file("tsa")]).status, 0)
        let data = try folder.write("0001.seal.minisig", "untrusted comment: stand-in\n")
        XCTAssertEqual(try runTool(openssl, ["ts", "-query", "-data", data, "-sha256", "-cert", "-out",
                                             folder.file("q.tsq")]).status, 0)
        XCTAssertEqual(try runTool(openssl, ["ts", "-reply", "-config", folder.file("tsa/tsa.cnf"), "-queryfile",
                                             folder.file("q.tsq"), "-out", data + ".tsr"]).status, 0)
        let result = try amana(["verify-timestamp", data + ".tsr", "--data", data, "--tsa-root", folder.file("tsa/root.pem")])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("by CN=Amana Test TSA,O=Amana Tests"), result.stdout)
    }

    /// Signed attributes not in DER order, as some commercial TSAs wrote them (ReorderedAttributesToken): OpenSSL
    /// accepts the token, and so does Amana, with a warning.
    func testReorderedSignedAttributesPassWithAWarning() throws {
        let openssl = try TestEnvironment.requireTool("openssl")
        let folder = TemporaryFolder("amana-cli-ts")
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/tsa/make-tsa.sh").path
        XCTAssertEqual(try runTool("/bin/bash", [script, folder.file("tsa")]).status, 0)
        let data = try folder.write("0001.seal.minisig", "untrusted comment: stand-in\n")
        XCTAssertEqual(try runTool(openssl, ["ts", "-query", "-data", data, "-sha256", "-cert", "-out",
                                             folder.file("q.tsq")]).status, 0)
        XCTAssertEqual(try runTool(openssl, ["ts", "-reply", "-config", folder.file("tsa/tsa.cnf"), "-queryfile",
                                             folder.file("q.tsq"), "-out", folder.file("good.tsr")]).status, 0)
        let token = try folder.write("0001.seal.minisig.tsr", try ReorderedAttributesToken.make(
            response: try readBytes(folder.file("good.tsr")), keyPEM: try String(contentsOfFile: folder.file("tsa/tsa.key"), encoding: .utf8)))
        let root = folder.file("tsa/root.pem")

        let reference = try runTool(openssl, ["ts", "-verify", "-data", data, "-in", token, "-CAfile", root])
        XCTAssertEqual(reference.status, 0, "\(reference)")
        XCTAssertTrue(reference.stdout.contains("Verification: OK"), "\(reference)")

        let result = try amana(["verify-timestamp", token, "--data", data, "--tsa-root", root])
        XCTAssertEqual(result.status, 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, result.stdout)
        XCTAssertTrue(lines[1].hasPrefix("  timestamp  ok      time-stamped "), lines[1])
        XCTAssertEqual(lines[2], "  timestamp  warning timestamp.encoding.non-der-attributes: the signed attributes are "
                       + "a SET OF not in DER order, as some TSAs wrote them; the signature verifies over them exactly "
                       + "as received (RFC 5652 section 5.4)")
        XCTAssertEqual(lines[3], "verdict: TOTAL-PASSED")
        XCTAssertEqual(result.stderr, "")
    }

    func testUsageAndUnreadableInputs() throws {
        let folder = TemporaryFolder("amana-cli-ts")
        let data = try hello(folder)
        let token = try folder.write("t.tsr", [0x30, 0x00])
        var result = try amana(["verify-timestamp", "/nonexistent/t.tsr", "--data", data])
        XCTAssertEqual(result.status, 66, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: cannot open /nonexistent/t.tsr"), result.stderr)
        result = try amana(["verify-timestamp", token, "--data", "/nonexistent/data"])
        XCTAssertEqual(result.status, 66, "\(result)")
        result = try amana(["verify-timestamp", token])
        XCTAssertEqual(result.status, 64, "\(result)")
        result = try amana(["verify-timestamp", token, "--data", data, "--at", "yesterday"])
        XCTAssertEqual(result.status, 64, "\(result)")
        XCTAssertTrue(result.stderr.contains("--at yesterday is not a utc-time (YYYY-MM-DDTHH:MM:SSZ)"), result.stderr)
        let junk = try folder.write("junk.pem", "not a certificate\n")
        result = try amana(["verify-timestamp", token, "--data", data, "--tsa-root", junk])
        XCTAssertEqual(result.status, 64, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: \(junk) holds no readable X.509 certificate"), result.stderr)
        result = try amana(["verify-timestamp", token, "--data", data, "--tsa-root", "/nonexistent/roots.pem"])
        XCTAssertEqual(result.status, 64, "\(result)")
        // Readable but not a token: a verdict, not an error.
        result = try amana(["verify-timestamp", token, "--data", data, "--tsa-root", try conformance("sigstage/ts_chain.pem")])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("timestamp.encoding.invalid"), result.stdout)
    }
}
