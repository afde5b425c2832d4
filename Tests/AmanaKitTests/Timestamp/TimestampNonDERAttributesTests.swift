@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Tokens whose signed attributes are a SET OF not in DER order, as some commercial TSAs wrote them, made by
/// ``ReorderedAttributesToken`` with the local test TSA's key: valid ones pass with a warning, as `openssl ts -verify`
/// accepts them, and any change to them (or "repairing" their order) breaks the signature.
final class TimestampNonDERAttributesTests: XCTestCase {
    private var tsa: LocalTSA!
    private let data = Array("the bytes of 0001.seal.minisig\n".utf8)

    override func setUpWithError() throws { tsa = try LocalTSA() }
    override func tearDown() { tsa = nil }

    private func reordered(_ alteration: ReorderedAttributesToken.Alteration = .none) throws -> [UInt8] {
        try ReorderedAttributesToken.make(response: try tsa.stamp(data), keyPEM: String(contentsOfFile: tsa.key, encoding: .utf8),
                                          alteration)
    }

    private func verify(_ token: [UInt8]) throws -> TimestampVerification {
        TimestampVerifier.verify(token: token, data: .bytes(data), roots: try tsa.roots(),
                                 subject: "seals/0001.seal.minisig.tsr")
    }

    func testReorderedAttributesPassWithAWarningAsOpenSSLAccepts() throws {
        let token = try reordered()
        guard case .success(let parsed) = TimestampToken.parse(token) else { return XCTFail("not parsed") }
        XCTAssertFalse(parsed.signedData.signerInfo.signedAttributes.isInDEROrder)
        XCTAssertTrue(try tsa.opensslAccepts(token: token, data: data, caFile: tsa.root))

        let result = try verify(token)
        XCTAssertEqual(result.verdict, .totalPassed, "\(result.findings)")
        XCTAssertEqual(result.codes, ["timestamp.valid", "timestamp.encoding.non-der-attributes"])
        XCTAssertEqual(result.codes(.warning), ["timestamp.encoding.non-der-attributes"])
        XCTAssertEqual(result.findings[1].subject, "seals/0001.seal.minisig.tsr")
        XCTAssertTrue(result.info?.trusted == true)
    }

    /// The signature is over the bytes as received, so a token in DER order never gets the warning.
    func testTokenInDEROrderHasNoWarning() throws {
        let token = try tsa.stamp(data)
        guard case .success(let parsed) = TimestampToken.parse(token) else { return XCTFail("not parsed") }
        XCTAssertTrue(parsed.signedData.signerInfo.signedAttributes.isInDEROrder)
        XCTAssertEqual(try verify(token).codes, ["timestamp.valid"])
    }

    func testChangedAttributeByteFailsTheSignature() throws {
        let token = try reordered(.signingTimeChanged)
        XCTAssertFalse(try tsa.opensslAccepts(token: token, data: data, caFile: tsa.root))
        let result = try verify(token)
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.signature.invalid"])
        XCTAssertTrue(result.findings[0].message.contains("not in DER order"), result.findings[0].message)
    }

    /// Sorting the attributes into DER order under the TSA's signature is an alteration too: Amana never verifies a
    /// re-encoding, so the "repaired" token fails, as it does in OpenSSL.
    func testSortingTheAttributesBackBreaksTheSignature() throws {
        let token = try reordered(.sortedBack)
        guard case .success(let parsed) = TimestampToken.parse(token) else { return XCTFail("not parsed") }
        XCTAssertTrue(parsed.signedData.signerInfo.signedAttributes.isInDEROrder)
        XCTAssertFalse(try tsa.opensslAccepts(token: token, data: data, caFile: tsa.root))
        let result = try verify(token)
        XCTAssertEqual(result.verdict, .totalFailed)
        XCTAssertEqual(result.codes, ["timestamp.signature.invalid"])
    }

    /// Only the signed attributes' order is tolerated: any other non-DER encoding in the reordered token, here a
    /// length written in more octets than needed around it, is still refused.
    func testOtherNonDEREncodingsAreStillRefused() throws {
        let token = try reordered()
        XCTAssertEqual(token[1], 0x82)
        let long = [0x30, 0x83, 0x00] + token.dropFirst(2)
        XCTAssertEqual(try verify(Array(long)).codes, ["timestamp.encoding.invalid"])
        XCTAssertEqual(try verify(token + [0x00]).codes, ["timestamp.encoding.invalid"])
    }
}
