@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Real tokens from other TSAs (`../shared/conformance/rfc3161`, see its README): each gives the result the README
/// states, and Amana agrees with `openssl ts -verify` wherever OpenSSL can answer.
final class TimestampConformanceTests: XCTestCase {
    private let now = Date()

    private func verify(_ token: String, data: [UInt8] = RFC3161Conformance.hello, roots: TSARoots) throws
        -> TimestampVerification {
        TimestampVerifier.verify(token: try RFC3161Conformance.bytes(token), data: .bytes(data), roots: roots,
                                 validationTime: now)
    }

    /// Runs `openssl ts -verify` on a conformance token.
    private func openssl(_ token: String, data: [UInt8] = RFC3161Conformance.hello, caFile: String,
                         atTime: Date? = nil, untrusted: String? = nil) throws -> Bool {
        let folder = TemporaryFolder("amana-openssl")
        let ca = try RFC3161Conformance.folder().appendingPathComponent(caFile).path
        return try LocalTSA.opensslVerify(openssl: try TestEnvironment.requireTool("openssl"), folder: folder,
                                          token: try RFC3161Conformance.bytes(token), data: data, caFile: ca,
                                          atTime: atTime,
                                          untrusted: try untrusted.map { try RFC3161Conformance.folder().appendingPathComponent($0).path })
    }

    func testSigstageTokensPassWithTheirChain() throws {
        for name in ["response-sha256", "response-sha384", "response-sha512"] {
            let result = try verify("sigstage/\(name).tsr", roots: try RFC3161Conformance.roots("sigstage/ts_chain.pem"))
            XCTAssertEqual(result.verdict, .totalPassed, "\(name): \(result.findings)")
            XCTAssertEqual(result.codes, ["timestamp.valid"], name)
            XCTAssertEqual(result.info?.tsaName, "CN=sigstore-tsa,O=sigstore.dev")
            XCTAssertEqual(result.info?.policy, "1.3.6.1.4.1.57264.2")
            XCTAssertEqual(result.info?.accuracySeconds, 1)
            XCTAssertEqual(result.info?.qualified, false)
            XCTAssertTrue(try openssl("sigstage/\(name).tsr", caFile: "sigstage/ts_chain.pem"), name)
        }
        let sha384 = try verify("sigstage/response-sha384.tsr", roots: try RFC3161Conformance.roots("sigstage/ts_chain.pem"))
        XCTAssertEqual(sha384.info?.imprintAlgorithm, "sha384")
        XCTAssertEqual(sha384.info?.genTime, "2025-05-09T11:58:55Z")
        XCTAssertEqual(sha384.info?.serialNumber, "2eb210167f7e7b98d661fb86aa78055b5a986351")
    }

    func testNoEmbeddedCertificateIsValidOnlyWithTheTSACertificate() throws {
        let name = "sigstage/response-no-embedded-cert.tsr"
        let withChain = try verify(name, roots: try RFC3161Conformance.roots("sigstage/ts_chain.pem"))
        XCTAssertEqual(withChain.verdict, .totalPassed, "\(withChain.findings)")
        XCTAssertTrue(try openssl(name, caFile: "sigstage/ts_chain.pem", untrusted: "sigstage/ts_chain.pem"))

        // Only the root: nothing contradicts the token, but the signature cannot be checked.
        let chain = try RFC3161Conformance.roots("sigstage/ts_chain.pem")
        let rootOnly = TSARoots(certificates: chain.anchors, source: "root")
        let withoutLeaf = TimestampVerifier.verify(token: try RFC3161Conformance.bytes(name),
                                                   data: .bytes(RFC3161Conformance.hello), roots: rootOnly)
        XCTAssertEqual(withoutLeaf.verdict, .indeterminate)
        XCTAssertEqual(withoutLeaf.codes, ["timestamp.signer.missing"])
        XCTAssertFalse(try openssl(name, caFile: "sigstage/ts_chain.pem"))
    }

    func testInvalidSignatureFails() throws {
        let result = try verify("sigstage/response-invalid-signature.tsr",
                                roots: try RFC3161Conformance.roots("sigstage/ts_chain.pem"))
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.signature.invalid"])
        XCTAssertFalse(try openssl("sigstage/response-invalid-signature.tsr", caFile: "sigstage/ts_chain.pem"))
    }

    /// IdenTrust's leaf expired 2026-01-17; the token is from 2025-03-11. Checked at genTime it is valid, whatever
    /// today is; `openssl ts -verify` without `-attime` shows what checking at today's date would wrongly conclude.
    func testIdenTrustTokenIsValidAtGenTimeAfterItsCertificateExpired() throws {
        let roots = try RFC3161Conformance.roots("identrust/ts_chain.pem")  // DER despite the name
        XCTAssertEqual(roots.certificates.count, 1)
        let later = UTCTime.parse("2030-06-01T00:00:00Z")!
        let result = TimestampVerifier.verify(token: try RFC3161Conformance.bytes("identrust/issue-104.tsr"),
                                              data: .bytes(RFC3161Conformance.hello), roots: roots,
                                              validationTime: later)
        XCTAssertEqual(result.verdict, .totalPassed, "\(result.findings)")
        XCTAssertEqual(result.info?.imprintAlgorithm, "sha512")
        XCTAssertEqual(result.info?.tsaName, "CN=TrustID Timestamp Authority,O=IdenTrust,C=US")
        XCTAssertEqual(result.info?.chain.count, 3)  // built although the token lists the certificates root-first
        XCTAssertEqual(result.info?.genTime, "2025-03-11T08:52:08Z")

        // The same chain checked at a date after the leaf expired does not validate: that is the trap avoided.
        guard case .success(let token) = TimestampToken.parse(try RFC3161Conformance.bytes("identrust/issue-104.tsr")),
              let leaf = token.signedData.certificates.compactMap(\.certificate).first(where: {
                  $0.subject.description.contains("Timestamp Authority") })
        else { return XCTFail("cannot read the IdenTrust leaf") }
        let embedded = token.signedData.certificates.compactMap(\.certificate)
        let today = ChainRule.validate(leaf: leaf, anchors: roots.anchors, intermediates: embedded, at: later)
        guard case .couldNotValidate = today else { return XCTFail("the expired leaf validated in 2030") }

        let pem = TemporaryFolder("amana-identrust")
        let rootPEM = try pem.write("root.pem", "-----BEGIN CERTIFICATE-----\n"
            + Data(try RFC3161Conformance.bytes("identrust/ts_chain.pem")).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END CERTIFICATE-----\n")
        let openssl = try TestEnvironment.requireTool("openssl")
        let tokenBytes = try RFC3161Conformance.bytes("identrust/issue-104.tsr")
        XCTAssertTrue(try LocalTSA.opensslVerify(openssl: openssl, folder: pem, token: tokenBytes,
                                                 data: RFC3161Conformance.hello, caFile: rootPEM,
                                                 atTime: UTCTime.parse("2025-03-11T09:00:00Z")))
        XCTAssertFalse(try LocalTSA.opensslVerify(openssl: openssl, folder: pem, token: tokenBytes,
                                                  data: RFC3161Conformance.hello, caFile: rootPEM,
                                                  atTime: later))
    }

    func testSigstoreMockTokenIsValidAtGenTime() throws {
        let payload = try RFC3161Conformance.bytes("sigstore.mock/payload")
        let result = try verify("sigstore.mock/response-expired.tsr", data: payload,
                                roots: try RFC3161Conformance.roots("sigstore.mock/ts_chain.pem"))
        XCTAssertEqual(result.verdict, .totalPassed, "\(result.findings)")
        XCTAssertEqual(result.info?.genTime, "2023-02-01T00:00:00Z")
        XCTAssertTrue(try openssl("sigstore.mock/response-expired.tsr", data: payload, caFile: "sigstore.mock/ts_chain.pem",
                                  atTime: UTCTime.parse("2023-02-01T00:00:00Z"), untrusted: "sigstore.mock/ts_chain.pem"))
        XCTAssertFalse(try openssl("sigstore.mock/response-expired.tsr", data: payload, caFile: "sigstore.mock/ts_chain.pem",
                                   untrusted: "sigstore.mock/ts_chain.pem"))
    }

    func testLocalTSATokenPasses() throws {
        let result = try verify("test_tsa/response.tsr", roots: try RFC3161Conformance.roots("test_tsa/ts_chain.pem"))
        XCTAssertEqual(result.verdict, .totalPassed, "\(result.findings)")
        XCTAssertEqual(result.info?.chain, ["CN=Test TSA Timestamping,O=local", "CN=Test TSA Intermediate,O=local",
                                            "CN=Test TSA Root,O=local"])
        XCTAssertTrue(try openssl("test_tsa/response.tsr", caFile: "test_tsa/ts_chain.pem"))
    }

    /// The token carries a "Spoofed TSA" certificate and a self-signed certificate with the real TSA's name. The
    /// signer is still the certificate with the SignerInfo's issuer and serial, bound by the ESSCertIDv2.
    func testInjectedCertificatesDoNotChangeTheSigner() throws {
        let roots = try RFC3161Conformance.roots("test_tsa/ts_chain.pem")
        let genuine = try verify("test_tsa/response.tsr", roots: roots)
        let injected = try verify("test_tsa/response-injected-certs.tsr", roots: roots)
        XCTAssertEqual(injected.verdict, .totalPassed, "\(injected.findings)")
        XCTAssertEqual(injected.info?.tsaName, "CN=Test TSA Timestamping,O=local")
        XCTAssertEqual(injected.info?.signerIssuer, "CN=Test TSA Intermediate,O=local")
        XCTAssertEqual(injected.info?.signerSerial, "4ef39e99483e65080e2037bdeeba92cdd28541ae")
        XCTAssertEqual(injected.info?.signerCertificateSHA256, genuine.info?.signerCertificateSHA256)
        XCTAssertEqual(injected.info?.chain, genuine.info?.chain)
        XCTAssertFalse(injected.findings.contains { $0.message.contains("Spoofed") })
        XCTAssertTrue(try openssl("test_tsa/response-injected-certs.tsr", caFile: "test_tsa/ts_chain.pem"))

        // Without the real chain, the planted self-signed lookalike must not make it trusted.
        let sigstage = try verify("test_tsa/response-injected-certs.tsr",
                                  roots: try RFC3161Conformance.roots("sigstage/ts_chain.pem"))
        XCTAssertEqual(sigstage.verdict, .indeterminate)
        XCTAssertEqual(sigstage.codes, ["timestamp.chain.untrusted"])
    }

    /// Same names, other keys: it must fail against the real TSA's chain, as OpenSSL says.
    func testLookalikeTSAFailsAgainstTheRealChain() throws {
        let result = try verify("test_tsa/other_response.tsr", roots: try RFC3161Conformance.roots("test_tsa/ts_chain.pem"))
        XCTAssertEqual(result.verdict, .totalFailed, "\(result.findings)")
        XCTAssertEqual(result.codes, ["timestamp.chain.invalid"])
        XCTAssertFalse(try openssl("test_tsa/other_response.tsr", caFile: "test_tsa/ts_chain.pem"))
    }

    func testSystemTrustStoreDoesNotTrustTestTSAs() throws {
        guard FileManager.default.fileExists(atPath: TSARoots.systemBundlePath) else {
            throw XCTSkip("no system trust store at \(TSARoots.systemBundlePath)")
        }
        let result = try verify("sigstage/response-sha256.tsr", roots: try TSARoots.system())
        XCTAssertEqual(result.verdict, .indeterminate)
        XCTAssertEqual(result.codes, ["timestamp.chain.untrusted"])
        XCTAssertTrue(result.findings[0].message.contains(TSARoots.systemBundlePath))
    }
}
