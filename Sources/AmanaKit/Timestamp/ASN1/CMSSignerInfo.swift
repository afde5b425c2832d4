import SwiftASN1
import X509

/// A CMS SignerInfo (RFC 5652 section 5.3), as a time-stamp token carries it:
///
/// ```
/// SignerInfo ::= SEQUENCE {
///    version             CMSVersion,                         -- 1 with issuerAndSerialNumber, 3 with a key id
///    sid                 SignerIdentifier,
///    digestAlgorithm     DigestAlgorithmIdentifier,
///    signedAttrs         [0] IMPLICIT SignedAttributes,      -- OPTIONAL in CMS, required in a TST
///    signatureAlgorithm  SignatureAlgorithmIdentifier,
///    signature           OCTET STRING,
///    unsignedAttrs       [1] IMPLICIT UnsignedAttributes OPTIONAL }
/// SignerIdentifier ::= CHOICE { issuerAndSerialNumber IssuerAndSerialNumber,
///                               subjectKeyIdentifier [0] SubjectKeyIdentifier }
/// ```
package struct CMSSignerInfo: Sendable {
    package enum SignerIdentifier: Sendable {
        case issuerAndSerialNumber(issuer: DistinguishedName, serialNumber: [UInt8])
        case subjectKeyIdentifier([UInt8])
    }

    package var version: Int
    package var signerIdentifier: SignerIdentifier
    package var digestAlgorithm: AlgorithmIdentifierDER
    package var signedAttributes: SignedAttributes
    package var signatureAlgorithm: AlgorithmIdentifierDER
    package var signature: [UInt8]

    static let keyIdentifierTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
    static let unsignedAttributesTag = ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)

    init(node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let version = try DERField.smallInteger(try DERField.required(&nodes, "version"))
            let sidNode = try DERField.required(&nodes, "sid")
            let sid: SignerIdentifier
            switch sidNode.identifier {
            case .sequence:
                guard version == 1 else { throw ASN1Error.invalidASN1Object(reason: "SignerInfo version must be 1") }
                sid = try DER.sequence(sidNode, identifier: .sequence) { inner in
                    let issuer = try DistinguishedName(derEncoded: try DERField.required(&inner, "issuer"))
                    let serial = try DERField.integerBytes(try DERField.required(&inner, "serialNumber"))
                    return .issuerAndSerialNumber(issuer: issuer, serialNumber: serial)
                }
            case CMSSignerInfo.keyIdentifierTag:
                guard version == 3 else { throw ASN1Error.invalidASN1Object(reason: "SignerInfo version must be 3") }
                let keyID = try ASN1OctetString(derEncoded: sidNode, withIdentifier: CMSSignerInfo.keyIdentifierTag)
                sid = .subjectKeyIdentifier(Array(keyID.bytes))
            default:
                throw ASN1Error.unexpectedFieldType(sidNode.identifier)
            }
            let digest = try AlgorithmIdentifierDER(derEncoded: try DERField.required(&nodes, "digestAlgorithm"))
            guard let attributesNode = DERField.next(&nodes, is: SignedAttributes.tag) else {
                throw ASN1Error.invalidASN1Object(reason: "the SignerInfo has no signed attributes")
            }
            let attributes = try SignedAttributes(node: attributesNode)
            let signatureAlgorithm = try AlgorithmIdentifierDER(
                derEncoded: try DERField.required(&nodes, "signatureAlgorithm"))
            let signature = try ASN1OctetString(derEncoded: try DERField.required(&nodes, "signature"))
            _ = DERField.next(&nodes, is: CMSSignerInfo.unsignedAttributesTag)  // not signed, so never relied on
            return CMSSignerInfo(version: version, signerIdentifier: sid, digestAlgorithm: digest,
                                 signedAttributes: attributes, signatureAlgorithm: signatureAlgorithm,
                                 signature: Array(signature.bytes))
        }
    }

    init(version: Int, signerIdentifier: SignerIdentifier, digestAlgorithm: AlgorithmIdentifierDER,
         signedAttributes: SignedAttributes, signatureAlgorithm: AlgorithmIdentifierDER, signature: [UInt8]) {
        self.version = version
        self.signerIdentifier = signerIdentifier
        self.digestAlgorithm = digestAlgorithm
        self.signedAttributes = signedAttributes
        self.signatureAlgorithm = signatureAlgorithm
        self.signature = signature
    }
}
