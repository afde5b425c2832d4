import SwiftASN1
import X509

/// A CMS `ContentInfo` holding `SignedData` (RFC 5652 sections 3 and 5), restricted to what a time-stamp token is:
///
/// ```
/// ContentInfo ::= SEQUENCE { contentType ContentType, content [0] EXPLICIT ANY DEFINED BY contentType }
/// SignedData ::= SEQUENCE {
///    version           CMSVersion,
///    digestAlgorithms  SET OF DigestAlgorithmIdentifier,
///    encapContentInfo  EncapsulatedContentInfo,
///    certificates      [0] IMPLICIT CertificateSet OPTIONAL,
///    crls              [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///    signerInfos       SET OF SignerInfo }
/// EncapsulatedContentInfo ::= SEQUENCE { eContentType ContentType, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
/// ```
///
/// RFC 5652 makes the version 3 when eContentType is not id-data, which is always so for a token; version 1 is
/// tolerated because PKCS #7 writers emit it. Exactly one SignerInfo is allowed (RFC 3161 section 2.4.2: the token
/// MUST NOT contain any signature other than the TSA's).
package struct CMSSignedData: Sendable {
    /// A certificate carried in the token, with its exact bytes (ESSCertID hashes those bytes).
    package struct EmbeddedCertificate: Sendable {
        package let der: [UInt8]
        /// Nil when swift-certificates cannot parse it (an unsupported key type, say); it is then never used.
        package let certificate: Certificate?
    }

    package var version: Int
    package var eContentType: ASN1ObjectIdentifier
    package var eContent: [UInt8]
    package var certificates: [EmbeddedCertificate]
    package var signerInfo: CMSSignerInfo

    static let contentTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
    static let certificatesTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
    static let crlsTag = ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)

    /// Parses a ContentInfo node.
    init(contentInfo node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let type = try ASN1ObjectIdentifier(derEncoded: try DERField.required(&nodes, "contentType"))
            guard type == TimestampOID.signedData else {
                throw ASN1Error.invalidASN1Object(reason: "the token is not CMS SignedData")
            }
            return try DER.explicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                try CMSSignedData(signedData: $0)
            }
        }
    }

    private init(signedData node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let version = try DERField.smallInteger(try DERField.required(&nodes, "version"))
            guard version == 1 || version == 3 else {
                throw ASN1Error.invalidASN1Object(reason: "SignedData version \(version) is not 1 or 3")
            }
            let digestAlgorithms = try DERField.children(try DERField.required(&nodes, "digestAlgorithms"), .set,
                                                         "digestAlgorithms")
            try DERField.checkSetOrder(digestAlgorithms, "digestAlgorithms")
            let (eContentType, eContent) = try DER.sequence(try DERField.required(&nodes, "encapContentInfo"),
                                                            identifier: .sequence) { inner in
                let type = try ASN1ObjectIdentifier(derEncoded: try DERField.required(&inner, "eContentType"))
                guard let content = try DER.optionalExplicitlyTagged(&inner, tagNumber: 0, tagClass: .contextSpecific,
                                                                     { try ASN1OctetString(derEncoded: $0) })
                else { throw ASN1Error.invalidASN1Object(reason: "the token has no encapsulated TSTInfo") }
                return (type, Array(content.bytes))
            }
            var certificates = [EmbeddedCertificate]()
            if let set = DERField.next(&nodes, is: CMSSignedData.certificatesTag) {
                // Not held to DER's SET OF order: OpenSSL (`openssl ts -reply`) writes the certificates in the
                // order it adds them, as PKCS #7 did. The set is outside the signature and its order means nothing.
                let elements = try DERField.children(set, CMSSignedData.certificatesTag, "certificates")
                // Other CertificateChoices (attribute certificates, [3] other) are tagged; only plain ones are used.
                for element in elements where element.identifier == .sequence {
                    certificates.append(EmbeddedCertificate(der: Array(element.encodedBytes),
                                                            certificate: try? Certificate(derEncoded: element)))
                }
            }
            _ = DERField.next(&nodes, is: CMSSignedData.crlsTag)  // revocation data is not used offline
            let signers = try DERField.children(try DERField.required(&nodes, "signerInfos"), .set, "signerInfos")
            guard signers.count == 1 else {
                throw ASN1Error.invalidASN1Object(reason: "a token holds exactly one SignerInfo, not \(signers.count)")
            }
            return CMSSignedData(version: version, eContentType: eContentType, eContent: eContent,
                                 certificates: certificates, signerInfo: try CMSSignerInfo(node: signers[0]))
        }
    }

    private init(version: Int, eContentType: ASN1ObjectIdentifier, eContent: [UInt8],
                 certificates: [EmbeddedCertificate], signerInfo: CMSSignerInfo) {
        self.version = version
        self.eContentType = eContentType
        self.eContent = eContent
        self.certificates = certificates
        self.signerInfo = signerInfo
    }
}
