@testable import AmanaKit
import Crypto
import Foundation
import SwiftASN1
import X509
import XCTest

/// When swift-certificates tries several chains and every one fails, `timestamp.chain.invalid` names each chain and
/// its own reason, not only the first.
final class TimestampChainFailuresTests: XCTestCase {
    private let day: TimeInterval = 86400
    private let start = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14

    /// A TSA whose intermediate CA was issued twice with one name and one key: once with a validity that ended before
    /// genTime, once for TLS servers only. Each gives a chain to the root; neither is valid for a time-stamp at genTime.
    func testEveryFailedChainIsReported() throws {
        let rootKey = P256.Signing.PrivateKey(), caKey = P256.Signing.PrivateKey(), tsaKey = P256.Signing.PrivateKey()
        let rootName = try DistinguishedName { OrganizationName("Amana Tests"); CommonName("Chain Root") }
        let caName = try DistinguishedName { OrganizationName("Amana Tests"); CommonName("Chain CA") }
        let tsaName = try DistinguishedName { OrganizationName("Amana Tests"); CommonName("Chain TSA") }
        let caExtensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
        }
        let root = try certificate(rootName, rootKey, issuer: rootName, issuerKey: rootKey,
                                   until: start + 3650 * day, caExtensions)
        let expiredCA = try certificate(caName, caKey, issuer: rootName, issuerKey: rootKey,
                                        until: start + 30 * day, caExtensions)
        var tlsExtensions = caExtensions
        try tlsExtensions.append(Certificate.Extension(try ExtendedKeyUsage([.serverAuth]), critical: false))
        let tlsCA = try certificate(caName, caKey, issuer: rootName, issuerKey: rootKey,
                                    until: start + 3650 * day, tlsExtensions)
        let tsa = try certificate(tsaName, tsaKey, issuer: caName, issuerKey: caKey, until: start + 3650 * day,
                                  try Certificate.Extensions {
                                      Critical(BasicConstraints.notCertificateAuthority)
                                      Critical(KeyUsage(digitalSignature: true))
                                      Critical(try ExtendedKeyUsage([.timeStamping]))
                                  })

        var findings = TimestampFindings(subject: "t.tsr")
        let chain = ChainRule(signer: tsa, embedded: [expiredCA, tlsCA],
                              roots: TSARoots(certificates: [root], source: "test"),
                              genTime: start + 100 * day).check(&findings)
        XCTAssertNil(chain)
        XCTAssertEqual(findings.all.map(\.code), ["timestamp.chain.invalid"])
        let message = try XCTUnwrap(findings.all.first?.message)
        XCTAssertTrue(message.contains("none of the 2 chains of CN=Chain TSA,O=Amana Tests to a trusted root is valid "
                                       + "at genTime"), message)
        XCTAssertTrue(message.contains("(1) CN=Chain TSA,O=Amana Tests -> CN=Chain CA,O=Amana Tests -> "
                                       + "CN=Chain Root,O=Amana Tests: "), message)
        XCTAssertTrue(message.contains("has expired"), message)
        XCTAssertTrue(message.contains("(2) "), message)
        XCTAssertTrue(message.contains("TimestampChainPolicy: the CA CN=Chain CA,O=Amana Tests may not issue "
                                       + "time-stamping certificates"), message)

        // With the good intermediate alone the reason is the single one, worded as before.
        var single = TimestampFindings(subject: "t.tsr")
        _ = ChainRule(signer: tsa, embedded: [tlsCA], roots: TSARoots(certificates: [root], source: "test"),
                      genTime: start + 100 * day).check(&single)
        XCTAssertEqual(single.all.map(\.code), ["timestamp.chain.invalid"])
        XCTAssertTrue(single.all[0].message.hasPrefix("the chain of CN=Chain TSA,O=Amana Tests to the trusted root "
                                                      + "CN=Chain Root,O=Amana Tests is not valid at genTime"),
                      single.all[0].message)
    }

    private func certificate(_ subject: DistinguishedName, _ key: P256.Signing.PrivateKey, issuer: DistinguishedName,
                             issuerKey: P256.Signing.PrivateKey, until: Date,
                             _ extensions: Certificate.Extensions) throws -> Certificate {
        try Certificate(version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                        notValidBefore: start, notValidAfter: until, issuer: issuer, subject: subject,
                        signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
                        issuerPrivateKey: .init(issuerKey))
    }
}
