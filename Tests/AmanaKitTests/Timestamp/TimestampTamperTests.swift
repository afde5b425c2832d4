@testable import AmanaKit
import AmanaTestSupport
import Foundation
import SwiftASN1
import XCTest

/// Good tokens from a local OpenSSL TSA, altered one way at a time; each alteration gives its exact finding.
final class TimestampTamperTests: XCTestCase {
    private var tsa: LocalTSA!
    private let data = Array("the bytes of 0001.seal.minisig\n".utf8)

    override func setUpWithError() throws { tsa = try LocalTSA() }
    override func tearDown() { tsa = nil }

    private func verify(_ token: [UInt8], data: [UInt8]? = nil, roots: TSARoots? = nil,
                        at time: Date? = nil, claimed: Date? = nil) throws -> TimestampVerification {
        TimestampVerifier.verify(token: token, data: .bytes(data ?? self.data), roots: try roots ?? tsa.roots(),
                                 validationTime: time, claimedTime: claimed, subject: "seals/0001.seal.minisig.tsr")
    }

    func testGoodTokenPassesAndNamesTheTSA() throws {
        let result = try verify(try tsa.stamp(data))
        XCTAssertEqual(result.verdict, .totalPassed, "\(result.findings)")
        XCTAssertEqual(result.codes, ["timestamp.valid"])
        XCTAssertEqual(result.findings[0].subject, "seals/0001.seal.minisig.tsr")
        XCTAssertTrue(result.findings[0].message.contains("CN=Amana Test TSA,O=Amana Tests"), result.findings[0].message)
        XCTAssertTrue(result.findings[0].message.contains(result.info!.genTime))
        XCTAssertFalse(result.findings[0].message.contains("qualified"))
    }

    func testFlippedSignatureByteFails() throws {
        var token = try tsa.stamp(data)
        token[token.count - 1] ^= 0x01  // the last octet of the ECDSA signature's s
        let result = try verify(token)
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.signature.invalid"])
        XCTAssertFalse(try tsa.opensslAccepts(token: token, data: data, caFile: tsa.root))
    }

    func testFlippedTSTInfoByteFailsTheMessageDigest() throws {
        var token = try tsa.stamp(data)
        guard case .success(let parsed) = TimestampToken.parse(token) else { return XCTFail() }
        // The policy OID's last octet, inside the signed TSTInfo: still DER, no longer what was signed.
        let policy = Array(try derOf(parsed.tstInfo.policy))
        let at = try XCTUnwrap(firstIndex(of: policy, in: token))
        token[at + policy.count - 1] ^= 0x01
        let result = try verify(token)
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.message-digest.mismatch"])
        XCTAssertFalse(try tsa.opensslAccepts(token: token, data: data, caFile: tsa.root))
    }

    func testTokenForOtherDataFails() throws {
        let token = try tsa.stamp(data)
        let other = Array("other bytes".utf8)
        let result = try verify(token, data: other)
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.imprint.mismatch"])
        XCTAssertEqual(result.findings[0].expected, result.info?.imprint)
        XCTAssertFalse(try tsa.opensslAccepts(token: token, data: other, caFile: tsa.root))
    }

    func testWrongRootIsIndeterminate() throws {
        let other = try LocalTSA(["--name", "Unrelated TSA"])
        let token = try tsa.stamp(data)
        let result = try verify(token, roots: try other.roots())
        XCTAssertEqual(result.verdict, .indeterminate)
        XCTAssertEqual(result.codes, ["timestamp.chain.untrusted"])
        XCTAssertFalse(try tsa.opensslAccepts(token: token, data: data, caFile: other.root))
    }

    /// A root with the very name of the TSA's issuer but another key is a lookalike: that fails, as in the
    /// conformance case test_tsa/other_response.tsr.
    func testSameNamedRootWithAnotherKeyFails() throws {
        let lookalike = try LocalTSA()  // same names, other keys
        let result = try verify(try tsa.stamp(data), roots: try lookalike.roots())
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.chain.invalid"])
        XCTAssertTrue(result.findings[0].message.contains("lookalike"), result.findings[0].message)
    }

    func testSHA1ImprintIsRefused() throws {
        let token = try tsa.stamp(data, hash: "sha1")
        let result = try verify(token)
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.imprint.weak"])
        XCTAssertEqual(result.info?.imprintAlgorithm, "sha1")
        // OpenSSL accepts it; Amana deliberately does not.
        XCTAssertTrue(try tsa.opensslAccepts(token: token, data: data, caFile: tsa.root))
    }

    func testRejectionStatusFails() throws {
        // TimeStampResp { PKIStatusInfo { rejection, "no", failInfo badAlg } }
        let rejection: [UInt8] = [0x30, 0x0F, 0x30, 0x0D, 0x02, 0x01, 0x02, 0x30, 0x04, 0x0C, 0x02, 0x6E, 0x6F,
                                  0x03, 0x02, 0x07, 0x80]
        let result = try verify(rejection)
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.status.rejected"])
        XCTAssertTrue(result.findings[0].message.contains("rejection (badAlg: \"no\")"), result.findings[0].message)
        XCTAssertNil(result.info)
    }

    func testTwoTokensOneUntrusted() throws {
        let other = try LocalTSA(["--name", "Other TSA"])
        let trusted = try verify(try tsa.stamp(data))
        let untrusted = try verify(try other.stamp(data))
        XCTAssertEqual(trusted.verdict, .totalPassed)
        XCTAssertEqual(untrusted.codes, ["timestamp.chain.untrusted"])
        XCTAssertEqual(Verdict(findings: trusted.findings + untrusted.findings), .indeterminate)
        XCTAssertEqual(untrusted.info?.tsaName, "CN=Other TSA,O=Amana Tests")
    }

    func testNonDEREncodingsAndTrailingBytesAreRefused() throws {
        let token = try tsa.stamp(data)
        XCTAssertEqual(try verify(token + [0x00]).codes, ["timestamp.encoding.invalid"])
        XCTAssertEqual(try verify(Array(token.dropLast())).codes, ["timestamp.encoding.invalid"])
        // Indefinite length (BER) for the outer SEQUENCE.
        let header = token[1] & 0x7F
        let ber = [0x30, 0x80] + token.dropFirst(2 + Int(token[1] & 0x80 != 0 ? header : 0)) + [0x00, 0x00]
        XCTAssertEqual(try verify(Array(ber)).codes, ["timestamp.encoding.invalid"])
        // A length written in more octets than needed.
        XCTAssertEqual(token[1], 0x82)
        let long = [0x30, 0x83, 0x00] + token.dropFirst(2)
        XCTAssertEqual(try verify(Array(long)).codes, ["timestamp.encoding.invalid"])
        XCTAssertEqual(try verify([]).codes, ["timestamp.encoding.invalid"])
        XCTAssertEqual(try verify(Array("not a token".utf8)).codes, ["timestamp.encoding.invalid"])
    }

    func testBareTokenFormIsReadToo() throws {
        let response = try tsa.stamp(data)
        guard case .success(let parsed) = TimestampToken.parse(response) else { return XCTFail() }
        let result = try verify(parsed.tokenBytes)
        XCTAssertEqual(result.verdict, .totalPassed, "\(result.findings)")
        XCTAssertEqual(result.info?.form, "TimeStampToken")
        XCTAssertTrue(try tsa.opensslAccepts(token: parsed.tokenBytes, data: data, caFile: tsa.root, bareToken: true))
    }

    /// A certificate with the TSA's issuer and serial but another key, supplied as a "root": the ESSCertIDv2 does not
    /// name it, so it is never taken for the signer; with the genuine certificate also given, the genuine one is chosen.
    func testESSCertIDBindsTheExactCertificate() throws {
        let token = try tsa.stamp(data, certReq: false)
        let serial = try tsa.run(["x509", "-in", tsa.certificate, "-noout", "-serial"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "")
        let folder = tsa.folder
        try tsa.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", folder.file("twin.key")])
        try tsa.run(["req", "-new", "-key", folder.file("twin.key"), "-subj", "/O=Amana Tests/CN=Amana Test TSA",
                     "-out", folder.file("twin.csr")])
        try tsa.run(["x509", "-req", "-in", folder.file("twin.csr"), "-CA", tsa.root, "-CAkey", folder.file("root.key"),
                     "-set_serial", "0x" + serial, "-days", "30", "-extfile", folder.file("tsa.ext"),
                     "-out", folder.file("twin.pem")])
        var twinOnly = try tsa.roots()
        try twinOnly.load(file: folder.file("twin.pem"))
        let spoofed = try verify(token, roots: twinOnly)
        XCTAssertEqual(spoofed.verdict, .totalFailed)
        XCTAssertEqual(spoofed.codes, ["timestamp.esscertid.mismatch", "timestamp.signature.invalid"])

        var both = twinOnly
        try both.load(file: tsa.certificate)
        let genuine = try verify(token, roots: both)
        XCTAssertEqual(genuine.verdict, .totalPassed, "\(genuine.findings)")
    }

    func testEKUMustBeTimeStampingOnlyAndCritical() throws {
        // OpenSSL's TSA refuses such certificates, so the TSTInfo is signed with `openssl cms -sign` instead. The
        // certificates are made first, so that genTime falls inside their validity.
        let cases = [("noncritical", "not critical"), ("extra", "timeStamping,codeSigning")]
        let authorities = try cases.map { try LocalTSA(["--eku", $0.0]) }
        let tstInfo = try tsa.tstInfo(for: data).derBytes()
        for ((option, expected), weak) in zip(cases, authorities) {
            let result = TimestampVerifier.verify(token: try weak.sign(tstInfo: tstInfo), data: .bytes(data),
                                                  roots: try weak.roots())
            XCTAssertEqual(result.verdict, .totalFailed, option)
            XCTAssertEqual(result.codes, ["timestamp.eku.invalid"], option)
            XCTAssertEqual(result.findings.first?.found, expected)
        }
    }

    func testClaimedTime() throws {
        let token = try tsa.stamp(data)
        let genTime = try XCTUnwrap(try verify(token).info?.genDate)
        let late = try verify(token, claimed: genTime.addingTimeInterval(3600))
        XCTAssertEqual(late.verdict, .totalFailed)
        XCTAssertEqual(late.codes(.failed), ["timestamp.time.before-claim"])
        XCTAssertFalse(late.codes.contains("timestamp.valid"))

        let drift = try verify(token, claimed: genTime.addingTimeInterval(200))  // within 5 minutes + accuracy
        XCTAssertEqual(drift.verdict, .totalPassed)
        XCTAssertEqual(drift.codes, ["timestamp.valid", "timestamp.time.consistent"])

        let offline = try verify(token, claimed: genTime.addingTimeInterval(-3 * 86400))
        XCTAssertEqual(offline.verdict, .totalPassed)
        let note = try XCTUnwrap(offline.findings.first { $0.code == "timestamp.time.consistent" })
        XCTAssertTrue(note.message.contains("3 days after"), note.message)
    }

    func testTokenFromTheFutureFails() throws {
        let token = try tsa.stamp(data)
        let result = try verify(token, at: Date().addingTimeInterval(-86400))
        XCTAssertEqual(result.codes, ["timestamp.time.future"])
    }

    // MARK: helpers

    private func derOf(_ oid: ASN1ObjectIdentifier) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(oid)
        return serializer.serializedBytes
    }

    private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
