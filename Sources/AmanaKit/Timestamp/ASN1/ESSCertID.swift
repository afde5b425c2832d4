import SwiftASN1
import X509

/// One certificate identifier from a `signingCertificate` (ESSCertID, RFC 2634 section 5.4) or
/// `signingCertificateV2` (ESSCertIDv2, RFC 5035 section 3) attribute:
///
/// ```
/// ESSCertID   ::= SEQUENCE { certHash Hash, issuerSerial IssuerSerial OPTIONAL }          -- Hash is SHA-1
/// ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {algorithm id-sha256},
///                            certHash Hash, issuerSerial IssuerSerial OPTIONAL }
/// IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
/// ```
///
/// The first identifier of the attribute names the signer's certificate (RFC 5035 section 5.4.1): it binds the
/// exact certificate into the signature, so a planted certificate with the same issuer and serial cannot stand in.
package struct ESSCertID: Sendable {
    package enum Version: String, Sendable { case v1 = "ESSCertID", v2 = "ESSCertIDv2" }

    package var version: Version
    /// The hash algorithm: SHA-1 for v1; given (default SHA-256) for v2. Nil when v2 names an unknown algorithm.
    package var hashAlgorithm: DigestAlgorithm?
    package var certHash: [UInt8]
    package var issuer: [GeneralName]?
    package var serialNumber: [UInt8]?

    /// Parses the first ESSCertID(v2) of a SigningCertificate(V2) value.
    static func first(of value: ASN1Node, version: Version) throws -> ESSCertID {
        try DER.sequence(value, identifier: .sequence) { nodes in
            let certs = try DERField.children(try DERField.required(&nodes, "certs"), .sequence, "certs")
            _ = nodes.next()  // policies: not used by TSP
            guard let first = certs.first else { throw ASN1Error.invalidASN1Object(reason: "no ESSCertID") }
            return try ESSCertID(node: first, version: version)
        }
    }

    init(node: ASN1Node, version: Version) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            var algorithm: DigestAlgorithm? = .sha1
            if version == .v2 {
                algorithm = .sha256
                if let node = DERField.next(&nodes, is: .sequence) {
                    algorithm = try AlgorithmIdentifierDER(derEncoded: node).digestAlgorithm
                }
            }
            let hash = try ASN1OctetString(derEncoded: try DERField.required(&nodes, "certHash"))
            var id = ESSCertID(version: version, hashAlgorithm: algorithm, certHash: Array(hash.bytes))
            if let issuerSerial = nodes.next() {
                try DER.sequence(issuerSerial, identifier: .sequence) { inner in
                    id.issuer = try DER.sequence(of: GeneralName.self, identifier: .sequence,
                                                 rootNode: try DERField.required(&inner, "issuer"))
                    id.serialNumber = try DERField.integerBytes(try DERField.required(&inner, "serialNumber"))
                }
            }
            return id
        }
    }

    init(version: Version, hashAlgorithm: DigestAlgorithm?, certHash: [UInt8]) {
        self.version = version
        self.hashAlgorithm = hashAlgorithm
        self.certHash = certHash
    }
}
