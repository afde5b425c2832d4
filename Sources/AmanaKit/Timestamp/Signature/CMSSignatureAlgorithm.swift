import SwiftASN1
import X509

/// How to check a SignerInfo's signature: the pair (digestAlgorithm, signatureAlgorithm) resolved to one scheme.
///
/// TSAs name the same scheme in several ways: `sha256WithRSAEncryption`, or plain `rsaEncryption` with the hash
/// given by the digest algorithm (OpenSSL does this); `ecdsa-with-SHA256`, or (rarely) `id-ecPublicKey` with the
/// digest algorithm. RSASSA-PSS carries its own hash, mask generation function and salt length (RFC 4055).
enum CMSSignatureAlgorithm {
    /// PKCS #1 v1.5 or ECDSA, which swift-certificates verifies.
    case standard(Certificate.SignatureAlgorithm, hash: DigestAlgorithm)
    case rsaPSS(hash: DigestAlgorithm, mgf1Hash: DigestAlgorithm, saltLength: Int)

    enum Problem: Error {
        case weak(String)
        case unsupported(String)
    }

    var hash: DigestAlgorithm {
        switch self {
        case .standard(_, let hash): return hash
        case .rsaPSS(let hash, _, _): return hash
        }
    }

    var name: String {
        switch self {
        case .standard(let algorithm, let hash):
            let ecdsa = [Certificate.SignatureAlgorithm.ecdsaWithSHA256, .ecdsaWithSHA384, .ecdsaWithSHA512].contains(algorithm)
            return "\(ecdsa ? "ECDSA" : "RSA PKCS #1 v1.5") with \(hash.rawValue)"
        case .rsaPSS(let hash, let mgf1, let salt): return "RSASSA-PSS(\(hash.rawValue), MGF1-\(mgf1.rawValue), salt \(salt))"
        }
    }

    static func resolve(digest: AlgorithmIdentifierDER, signature: AlgorithmIdentifierDER) throws -> CMSSignatureAlgorithm {
        let oid = signature.algorithm
        switch oid {
        case TimestampOID.rsaEncryption, TimestampOID.ecPublicKey:
            // The hash comes from the digest algorithm.
            guard let hash = digest.digestAlgorithm else { throw Problem.unsupported("digest algorithm \(digest.algorithm)") }
            let isRSA = oid == TimestampOID.rsaEncryption
            if isRSA && !signature.hasAbsentOrNullParameters { throw Problem.unsupported("rsaEncryption parameters") }
            if !isRSA && signature.parameters != nil { throw Problem.unsupported("id-ecPublicKey parameters") }
            return .standard(try standard(rsa: isRSA, hash: hash), hash: hash)
        case TimestampOID.sha1WithRSA, TimestampOID.ecdsaWithSHA1:
            throw Problem.weak("\(oid == TimestampOID.sha1WithRSA ? "sha1WithRSAEncryption" : "ecdsa-with-SHA1")")
        case TimestampOID.sha256WithRSA, TimestampOID.sha384WithRSA, TimestampOID.sha512WithRSA:
            guard signature.hasAbsentOrNullParameters else { throw Problem.unsupported("RSA signature parameters") }
            let hash: DigestAlgorithm = oid == TimestampOID.sha256WithRSA ? .sha256
                : oid == TimestampOID.sha384WithRSA ? .sha384 : .sha512
            return .standard(try standard(rsa: true, hash: hash), hash: hash)
        case TimestampOID.ecdsaWithSHA256, TimestampOID.ecdsaWithSHA384, TimestampOID.ecdsaWithSHA512:
            // RFC 5758 section 3.2: the parameters MUST be absent.
            guard signature.parameters == nil else { throw Problem.unsupported("ECDSA signature parameters") }
            let hash: DigestAlgorithm = oid == TimestampOID.ecdsaWithSHA256 ? .sha256
                : oid == TimestampOID.ecdsaWithSHA384 ? .sha384 : .sha512
            return .standard(try standard(rsa: false, hash: hash), hash: hash)
        case TimestampOID.rsassaPSS:
            guard let parameters = signature.parameters else { throw Problem.unsupported("RSASSA-PSS without parameters") }
            return try pss(parameters)
        default:
            throw Problem.unsupported("signature algorithm \(oid)")
        }
    }

    private static func standard(rsa: Bool, hash: DigestAlgorithm) throws -> Certificate.SignatureAlgorithm {
        switch (rsa, hash) {
        case (true, .sha256): return .sha256WithRSAEncryption
        case (true, .sha384): return .sha384WithRSAEncryption
        case (true, .sha512): return .sha512WithRSAEncryption
        case (false, .sha256): return .ecdsaWithSHA256
        case (false, .sha384): return .ecdsaWithSHA384
        case (false, .sha512): return .ecdsaWithSHA512
        case (_, .md5), (_, .sha1): throw Problem.weak("\(rsa ? "RSA" : "ECDSA") with \(hash.rawValue)")
        default: throw Problem.unsupported("\(rsa ? "RSA" : "ECDSA") with \(hash.rawValue)")
        }
    }

    /// ```
    /// RSASSA-PSS-params ::= SEQUENCE {
    ///    hashAlgorithm     [0] HashAlgorithm DEFAULT sha1,
    ///    maskGenAlgorithm  [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
    ///    saltLength        [2] INTEGER DEFAULT 20,
    ///    trailerField      [3] TrailerField DEFAULT trailerFieldBC }
    /// ```
    private static func pss(_ parameters: [UInt8]) throws -> CMSSignatureAlgorithm {
        do {
            let node = try DER.parse(parameters)
            let (hashID, mgfID, salt, trailer) = try DER.sequence(node, identifier: .sequence) { nodes in
                let hash = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                    try AlgorithmIdentifierDER(derEncoded: $0)
                }
                let mgf = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific) {
                    try AlgorithmIdentifierDER(derEncoded: $0)
                }
                let salt = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 2, tagClass: .contextSpecific) {
                    try Int(derEncoded: $0)
                }
                let trailer = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 3, tagClass: .contextSpecific) {
                    try Int(derEncoded: $0)
                }
                return (hash, mgf, salt, trailer)
            }
            guard trailer == nil || trailer == 1 else { throw Problem.unsupported("RSASSA-PSS trailer field") }
            guard let hashID else { throw Problem.weak("RSASSA-PSS with SHA-1") }
            guard let hash = hashID.digestAlgorithm else { throw Problem.unsupported("RSASSA-PSS hash \(hashID.algorithm)") }
            guard let mgfID else { throw Problem.weak("RSASSA-PSS with MGF1-SHA-1") }
            guard mgfID.algorithm == TimestampOID.mgf1, let mgfParameters = mgfID.parameters else {
                throw Problem.unsupported("RSASSA-PSS mask generation \(mgfID.algorithm)")
            }
            let mgfHashID = try AlgorithmIdentifierDER(derEncoded: try DER.parse(mgfParameters))
            guard let mgfHash = mgfHashID.digestAlgorithm else {
                throw Problem.unsupported("MGF1 hash \(mgfHashID.algorithm)")
            }
            if hash.isBroken || mgfHash.isBroken { throw Problem.weak("RSASSA-PSS with \(hash.rawValue)") }
            return .rsaPSS(hash: hash, mgf1Hash: mgfHash, saltLength: salt ?? 20)
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem.unsupported("malformed RSASSA-PSS parameters")
        }
    }

    /// Checks `signature` over `message` with the certificate's key.
    func isValid(signature: [UInt8], message: [UInt8], certificate: Certificate) -> Bool {
        switch self {
        case .standard(let algorithm, _):
            return certificate.publicKey.isValidSignature(signature, for: message, signatureAlgorithm: algorithm)
        case .rsaPSS(let hash, let mgf1Hash, let saltLength):
            guard let key = CMSSignatureAlgorithm.rsaPublicKey(certificate) else { return false }
            return RSAPSSVerifier.isValid(signature: signature, message: message, rsaPublicKeyDER: key,
                                          hash: hash.openSSLName, mgf1Hash: mgf1Hash.openSSLName,
                                          saltLength: saltLength)
        }
    }

    /// The PKCS #1 RSAPublicKey inside an RSA certificate's SubjectPublicKeyInfo, or nil for other keys.
    private static func rsaPublicKey(_ certificate: Certificate) -> [UInt8]? {
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(certificate.publicKey)) != nil,
              let node = try? DER.parse(serializer.serializedBytes)
        else { return nil }
        return try? DER.sequence(node, identifier: .sequence) { nodes -> [UInt8]? in
            let algorithm = try AlgorithmIdentifierDER(derEncoded: try DERField.required(&nodes, "algorithm"))
            let key = try ASN1BitString(derEncoded: try DERField.required(&nodes, "subjectPublicKey"))
            return algorithm.algorithm == TimestampOID.rsaEncryption ? Array(key.bytes) : nil
        }
    }
}

extension DigestAlgorithm {
    /// The name OpenSSL's EVP layer knows the algorithm by.
    var openSSLName: String {
        switch self {
        case .md5: return "MD5"
        case .sha1: return "SHA1"
        case .sha224: return "SHA224"
        case .sha256: return "SHA256"
        case .sha384: return "SHA384"
        case .sha512: return "SHA512"
        case .blake2b512: return "BLAKE2B512"
        }
    }
}
