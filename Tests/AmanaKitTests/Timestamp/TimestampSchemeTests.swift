@testable import AmanaKit
import AmanaTestSupport
import Foundation
import SwiftASN1
import X509
import XCTest

/// Signature schemes, certificate-identifier versions, qualified statements and TSTInfo fields, each from a real
/// OpenSSL signer: `openssl ts -reply` where it can, and `openssl cms -sign -cades` over a chosen TSTInfo elsewhere.
final class TimestampSchemeTests: XCTestCase {
    private let data = Array("the bytes of 0002.seal.minisig\n".utf8)

    private func verify(_ token: [UInt8], _ tsa: LocalTSA, at time: Date? = nil) throws -> TimestampVerification {
        TimestampVerifier.verify(token: token, data: .bytes(data), roots: try tsa.roots(), validationTime: time)
    }

    func testRSAPKCS1FromOpenSSLTS() throws {
        let tsa = try LocalTSA(["--key", "rsa"])
        let token = try tsa.stamp(data)
        guard case .success(let parsed) = TimestampToken.parse(token) else { return XCTFail() }
        // OpenSSL names the scheme rsaEncryption and puts the hash in the digest algorithm.
        XCTAssertEqual(parsed.signedData.signerInfo.signatureAlgorithm.algorithm, TimestampOID.rsaEncryption)
        let result = try verify(token, tsa)
        XCTAssertEqual(result.verdict, .totalPassed, "\(result.findings)")
    }

    func testRSAPSS() throws {
        let tsa = try LocalTSA(["--key", "rsa"])
        let tstInfo = try tsa.tstInfo(for: data).derBytes()
        for salt in ["32", "20"] {
            let token = try tsa.sign(tstInfo: tstInfo, extra: ["-keyopt", "rsa_padding_mode:pss",
                                                               "-keyopt", "rsa_pss_saltlen:\(salt)"])
            guard case .success(let parsed) = TimestampToken.parse(token) else { return XCTFail() }
            XCTAssertEqual(parsed.signedData.signerInfo.signatureAlgorithm.algorithm, TimestampOID.rsassaPSS)
            let result = try verify(token, tsa)
            XCTAssertEqual(result.verdict, .totalPassed, "salt \(salt): \(result.findings)")
            // OpenSSL's CMS verifier agrees (its ts verifier does not implement PSS).
            let path = try tsa.folder.write("pss-\(salt).p7", token)
            let check = try runTool(tsa.openssl, ["cms", "-verify", "-inform", "DER", "-in", path, "-CAfile", tsa.root,
                                                  "-purpose", "timestampsign", "-out", "/dev/null"])
            XCTAssertEqual(check.status, 0, "\(check)")

            var flipped = token
            flipped[flipped.count - 1] ^= 0x01
            XCTAssertEqual(try verify(flipped, tsa).codes, ["timestamp.signature.invalid"])
        }
    }

    func testECDSAP384AndESSCertIDv1() throws {
        let p384 = try LocalTSA(["--key", "ec-p384"])
        XCTAssertEqual(try verify(try p384.stamp(data, hash: "sha384"), p384).verdict, .totalPassed)
        let v1 = try LocalTSA(["--ess", "v1"])
        let token = try v1.stamp(data, hash: "sha512")
        guard case .success(let parsed) = TimestampToken.parse(token) else { return XCTFail() }
        XCTAssertFalse(parsed.signedData.signerInfo.signedAttributes.all(TimestampOID.signingCertificate).isEmpty)
        XCTAssertEqual(try verify(token, v1).verdict, .totalPassed)
    }

    /// A SignerInfo that names its certificate by subject key identifier (version 3) instead of issuer and serial.
    func testSubjectKeyIdentifierSigner() throws {
        let tsa = try LocalTSA()
        let token = try tsa.sign(tstInfo: try tsa.tstInfo(for: data).derBytes(), extra: ["-keyid"])
        guard case .success(let parsed) = TimestampToken.parse(token) else { return XCTFail() }
        XCTAssertEqual(parsed.signedData.signerInfo.version, 3)
        guard case .subjectKeyIdentifier = parsed.signedData.signerInfo.signerIdentifier else { return XCTFail() }
        XCTAssertEqual(try verify(token, tsa).verdict, .totalPassed)
    }

    /// Callers may pass digests instead of bytes; a digest under the token's algorithm must be among them.
    func testDigestsInsteadOfBytes() throws {
        let tsa = try LocalTSA()
        let digests = MultiDigest.digests(of: data, [.sha256])
        let sha256 = TimestampVerifier.verify(token: try tsa.stamp(data), data: .digests(digests), roots: try tsa.roots())
        XCTAssertEqual(sha256.verdict, .totalPassed)
        let sha512 = TimestampVerifier.verify(token: try tsa.stamp(data, hash: "sha512"), data: .digests(digests),
                                              roots: try tsa.roots())
        XCTAssertEqual(sha512.codes, ["timestamp.imprint.unsupported"])
        let file = try tsa.folder.write("data", data)
        let all = TimestampVerifier.verify(token: try tsa.stamp(data, hash: "sha512"), data: try .file(file),
                                           roots: try tsa.roots())
        XCTAssertEqual(all.verdict, .totalPassed)
    }

    func testQualifiedStatementInTheCertificate() throws {
        let tsa = try LocalTSA(["--qualified"])
        let result = try verify(try tsa.stamp(data), tsa)
        XCTAssertEqual(result.verdict, .totalPassed, "\(result.findings)")
        XCTAssertEqual(result.info?.qualified, true)
        XCTAssertEqual(result.info?.qualifiedStatementIn, ["certificate"])
        XCTAssertTrue(result.findings[0].message.contains("qualified (eIDAS)"), result.findings[0].message)
    }

    func testQualifiedStatementInTheTokenAndUnknownCriticalExtension() throws {
        let tsa = try LocalTSA()
        var tstInfo = try tsa.tstInfo(for: data)
        // qcStatements { QCStatement { esi4-qtstStatement-1 } }
        let qcStatements: [UInt8] = [0x30, 0x0B, 0x30, 0x09, 0x06, 0x07, 0x04, 0x00, 0x81, 0x97, 0x5E, 0x01, 0x01]
        tstInfo.extensions = [TSTExtension(oid: TimestampOID.qcStatements, value: qcStatements)]
        let qualified = try verify(try tsa.sign(tstInfo: try tstInfo.derBytes()), tsa)
        XCTAssertEqual(qualified.verdict, .totalPassed, "\(qualified.findings)")
        XCTAssertEqual(qualified.info?.qualifiedStatementIn, ["token"])

        tstInfo.extensions.append(TSTExtension(oid: [1, 3, 6, 1, 4, 1, 55555, 9], critical: true, value: [0x05, 0x00]))
        let unknown = try verify(try tsa.sign(tstInfo: try tstInfo.derBytes()), tsa)
        XCTAssertEqual(unknown.verdict, .indeterminate)
        XCTAssertEqual(unknown.codes, ["timestamp.extension.unsupported"])
    }

    /// genTime before the TSA certificate's notBefore: the chain is checked at genTime, so it fails, even though the
    /// certificate is valid today.
    func testChainIsValidatedAtGenTime() throws {
        let tsa = try LocalTSA()
        var tstInfo = try tsa.tstInfo(for: data)
        tstInfo.genTime = try TSTInfo.generalizedTime(Date().addingTimeInterval(-30 * 86400))
        let result = try verify(try tsa.sign(tstInfo: try tstInfo.derBytes()), tsa)
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.chain.invalid"])
        XCTAssertTrue(result.findings[0].message.contains("not valid at genTime"), result.findings[0].message)
    }

    func testTSAFieldMustNameTheSigner() throws {
        let tsa = try LocalTSA()
        var tstInfo = try tsa.tstInfo(for: data)
        XCTAssertNotNil(tstInfo.tsa)  // tsa_name = yes
        tstInfo.tsa = .directoryName(try DistinguishedName { CommonName("Somebody Else") })
        let result = try verify(try tsa.sign(tstInfo: try tstInfo.derBytes()), tsa)
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.tsa-name.mismatch"])
    }

    func testTSTInfoRoundTripsAndRefusesDERViolations() throws {
        let tsa = try LocalTSA()
        let tstInfo = try tsa.tstInfo(for: data)
        let der = try tstInfo.derBytes()
        XCTAssertEqual(try TSTInfo(derEncoded: der), tstInfo)
        XCTAssertEqual(tstInfo.accuracy, Accuracy(seconds: 1, millis: 500))
        // ordering FALSE written out is BER, not DER.
        var explicitOrdering = tstInfo
        explicitOrdering.ordering = true
        var bytes = try explicitOrdering.derBytes()
        let index = try XCTUnwrap((0..<(bytes.count - 2)).first { bytes[$0...$0 + 2] == [0x01, 0x01, 0xFF] })
        bytes[index + 2] = 0x00
        XCTAssertThrowsError(try TSTInfo(derEncoded: bytes))
        XCTAssertThrowsError(try TSTInfo(derEncoded: der + [0]))
    }
}
