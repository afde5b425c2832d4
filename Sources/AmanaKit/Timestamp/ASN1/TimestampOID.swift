import SwiftASN1

/// Every object identifier the timestamp layer reads or writes, named once (STYLE rule 3).
///
/// Sources: RFC 3161 (TSP), RFC 5652 (CMS), RFC 5035 and RFC 2634 (ESS), RFC 5816 (ESSCertIDv2 in TSP), RFC 3279,
/// RFC 4055 and RFC 5758 (signature algorithms), RFC 3739 (qcStatements) and ETSI EN 319 422 (esi4-qtstStatement-1).
package enum TimestampOID {
    // CMS content types.
    package static let signedData: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 2]
    package static let tstInfo: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 1, 4]

    // CMS and ESS signed attributes.
    package static let contentType: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 3]
    package static let messageDigest: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 4]
    package static let signingCertificate: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 12]
    package static let signingCertificateV2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 47]

    // Digest algorithms.
    package static let md5: ASN1ObjectIdentifier = [1, 2, 840, 113549, 2, 5]
    package static let sha1: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
    package static let sha224: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 4]
    package static let sha256: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 1]
    package static let sha384: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 2]
    package static let sha512: ASN1ObjectIdentifier = [2, 16, 840, 1, 101, 3, 4, 2, 3]

    // Signature algorithms.
    package static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]
    package static let sha1WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 5]
    package static let sha256WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 11]
    package static let sha384WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 12]
    package static let sha512WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 13]
    package static let rsassaPSS: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 10]
    package static let mgf1: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 8]
    package static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]
    package static let ecdsaWithSHA1: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 1]
    package static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    package static let ecdsaWithSHA384: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 3]
    package static let ecdsaWithSHA512: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 4]

    // Certificate extensions and statements.
    package static let qcStatements: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 1, 3]
    /// esi4-qtstStatement-1 (ETSI EN 319 422 section 9.1): "this is an EU qualified electronic time-stamp".
    package static let qualifiedTimestampStatement: ASN1ObjectIdentifier = [0, 4, 0, 19422, 1, 1]

    /// The digest algorithm an OID names, if Amana knows it.
    package static func digestAlgorithm(_ oid: ASN1ObjectIdentifier) -> DigestAlgorithm? {
        switch oid {
        case md5: return .md5
        case sha1: return .sha1
        case sha224: return .sha224
        case sha256: return .sha256
        case sha384: return .sha384
        case sha512: return .sha512
        default: return nil
        }
    }

    package static func oid(for algorithm: DigestAlgorithm) -> ASN1ObjectIdentifier {
        switch algorithm {
        case .md5: return md5
        case .sha1: return sha1
        case .sha224: return sha224
        case .sha256: return sha256
        case .sha384: return sha384
        case .sha512: return sha512
        case .blake2b512: return blake2b512
        }
    }

    /// BLAKE2b-512 (RFC 7693 section 4). TSAs do not use it; it exists so every digest Amana knows has an OID.
    static let blake2b512: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 1722, 12, 2, 1, 16]
}
