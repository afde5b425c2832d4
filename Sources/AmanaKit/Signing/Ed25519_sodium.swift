import CSodium

/// Ed25519 (RFC 8032, pure, as libsodium's `crypto_sign_*` implements it): key pairs, detached signatures, checks.
///
/// A secret key is libsodium's 64-byte form, `seed(32) || publicKey(32)`, which is also what minisign stores.
enum Ed25519 {
    static let publicKeyLength = Int(crypto_sign_PUBLICKEYBYTES)
    static let secretKeyLength = Int(crypto_sign_SECRETKEYBYTES)
    static let seedLength = Int(crypto_sign_SEEDBYTES)
    static let signatureLength = Int(crypto_sign_BYTES)

    /// A fresh random key pair. The public key is the last 32 bytes of the returned secret.
    static func generateSecretKey() throws -> SecretBytes {
        try Sodium.requireInitialized()
        let secret = SecretBytes(count: secretKeyLength)
        var publicKey = [UInt8](repeating: 0, count: publicKeyLength)
        let status = secret.withUnsafeMutableBytes { sk in
            crypto_sign_keypair(&publicKey, sk.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard status == 0 else { throw AmanaError(.internalFailure, "libsodium could not generate an ed25519 key pair") }
        return secret
    }

    /// The public key that the seed half of `secretKey` really derives to. Used to catch a secret key whose stored
    /// public half does not belong to its seed (corruption, or a crafted file).
    static func derivedPublicKey(fromSecretKey secretKey: SecretBytes) throws -> [UInt8] {
        precondition(secretKey.count == secretKeyLength)
        let scratch = SecretBytes(count: secretKeyLength)
        var publicKey = [UInt8](repeating: 0, count: publicKeyLength)
        let status = secretKey.withUnsafeBytes { sk in
            scratch.withUnsafeMutableBytes { out in
                crypto_sign_seed_keypair(
                    &publicKey,
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    sk.baseAddress!.assumingMemoryBound(to: UInt8.self)  // the first 32 bytes are the seed
                )
            }
        }
        guard status == 0 else { throw AmanaError(.internalFailure, "libsodium could not derive an ed25519 public key") }
        return publicKey
    }

    /// A detached 64-byte signature over `message`.
    static func sign(_ message: [UInt8], secretKey: SecretBytes) throws -> [UInt8] {
        precondition(secretKey.count == secretKeyLength)
        try Sodium.requireInitialized()
        var signature = [UInt8](repeating: 0, count: signatureLength)
        let status = secretKey.withUnsafeBytes { sk in
            crypto_sign_detached(
                &signature, nil, message, UInt64(message.count), sk.baseAddress!.assumingMemoryBound(to: UInt8.self)
            )
        }
        guard status == 0 else { throw AmanaError(.internalFailure, "libsodium could not compute an ed25519 signature") }
        return signature
    }

    /// Whether `signature` is a valid signature of `message` under `publicKey`. Wrong lengths are simply invalid.
    static func isValid(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == signatureLength, publicKey.count == publicKeyLength else { return false }
        Sodium.initialize()
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), publicKey) == 0
    }
}
