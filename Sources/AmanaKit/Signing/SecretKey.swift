/// An Ed25519 secret key in minisign's format, able to sign.
///
/// A class so that the secret lives in exactly one place, ``SecretBytes``, which zeroes it when the key is released.
/// Nothing it prints (`description`, errors) ever contains secret bytes. Reading a key checks everything minisign
/// checks, and also that the stored public half belongs to the secret seed.
///
/// Sendable because nothing in it changes after `init`: the secret buffer is written only while the key is built.
public final class SecretKey: CustomStringConvertible, @unchecked Sendable {
    public let keyID: KeyID
    /// The matching public key, with the same name and organization.
    public let publicKey: PublicKey
    /// libsodium's 64-byte Ed25519 secret key, `seed || publicKey`.
    private let secret: SecretBytes

    init(keyID: KeyID, secret: SecretBytes, metadata: KeyComment) {
        precondition(secret.count == Ed25519.secretKeyLength)
        self.keyID = keyID
        self.secret = secret
        let rawPublicKey = secret.withUnsafeBytes { Array($0[Ed25519.seedLength...]) }
        self.publicKey = PublicKey(keyID: keyID, rawKey: rawPublicKey, metadata: metadata)
    }

    /// A new random key pair with a random key id, as `minisign -G` makes.
    /// - Throws: `.usage` if `name` or `organization` is empty, holds a tab, line break or other control
    ///   character, or both together are too long for the one comment line they go in.
    public static func generate(name: String?, organization: String?) throws -> SecretKey {
        let metadata = try KeyComment.validated(name: name, organization: organization)
        let secret = try Ed25519.generateSecretKey()
        return SecretKey(keyID: try KeyID.random(), secret: secret, metadata: metadata)
    }

    /// A new key pair that carries a chosen key id. A key id is 8 arbitrary bytes that anyone can copy, so this is
    /// what an impersonator does; test vectors use it to prove that trust rests on key bytes, never on ids.
    public static func generate(name: String?, organization: String?, keyID: KeyID) throws -> SecretKey {
        let metadata = try KeyComment.validated(name: name, organization: organization)
        return SecretKey(keyID: keyID, secret: try Ed25519.generateSecretKey(), metadata: metadata)
    }

    /// Whether the key file is passphrase-protected. Throws `.inputInvalid` if it is not a well-formed key file.
    public static func isEncrypted(minisignFile text: String) throws -> Bool {
        try SecretKeyFile(bytes: Array(text.utf8)).isEncrypted
    }

    /// Reads a secret key file. `passphrase` is called only when the key is encrypted, and only after the whole
    /// file has been checked, so nobody types a passphrase for a file that was going to be refused anyway.
    /// - Throws: `.inputInvalid` for a malformed or damaged file, `.wrongPassphrase` when the passphrase does not
    ///   unlock it, or whatever `passphrase` throws.
    public convenience init(minisignFile text: String, passphrase: () throws -> String) throws {
        try self.init(minisignFile: Array(text.utf8), passphrase: passphrase)
    }

    /// Reads a secret key file from its raw bytes, so that invalid UTF-8 is reported rather than replaced.
    public convenience init(minisignFile bytes: [UInt8], passphrase: () throws -> String) throws {
        let file = try SecretKeyFile(bytes: bytes)
        let (keyID, secret) = try file.unseal(passphrase: passphrase)
        let metadata = try KeyComment.parse(file.comment, kind: .secretKey, keyID: keyID, what: SecretKeyFile.what)
        self.init(keyID: keyID, secret: secret, metadata: metadata)
    }

    /// The secret key file. With a passphrase, the key is encrypted with scrypt at minisign's own limits (about
    /// 2-3 s and 1 GiB); with nil, it is written unencrypted exactly as `minisign -G -W` lays it out (zero KDF,
    /// zero salt, zero limits, zero checksum).
    /// - Throws: `.usage` if the passphrase is empty, longer than minisign reads (1023 bytes), or holds a line
    ///   break or NUL (minisign could never type it back).
    public func minisignFile(passphrase: String?) throws -> String {
        try minisignFile(
            passphrase: passphrase, opsLimit: MinisignFormat.defaultOpsLimit, memLimit: MinisignFormat.defaultMemLimit
        )
    }

    /// As ``minisignFile(passphrase:)``, with chosen scrypt limits. Internal: tests use cheap limits so that they
    /// can exercise encryption many times; users always get minisign's defaults.
    func minisignFile(passphrase: String?, opsLimit: UInt64, memLimit: UInt64) throws -> String {
        var passphraseBytes = Array((passphrase ?? "").utf8)
        defer { Sodium.wipe(&passphraseBytes) }
        if passphrase != nil {
            guard !passphraseBytes.isEmpty else {
                throw AmanaError(.usage, "the passphrase must not be empty", hint: "write the key unencrypted instead")
            }
            guard passphraseBytes.count <= MinisignFormat.maxPassphraseBytes else {
                throw AmanaError(.usage, "the passphrase is longer than \(MinisignFormat.maxPassphraseBytes) bytes")
            }
            guard !passphraseBytes.contains(where: { $0 == 0x0a || $0 == 0x0d || $0 == 0 }) else {
                throw AmanaError(.usage, "the passphrase must not contain a line break or nul")
            }
        }

        let comment = KeyComment(name: publicKey.name, organization: publicKey.organization)
            .render(kind: .secretKey, keyID: keyID)
        return try SecretKeyFile.encode(
            keyID: keyID, secret: secret, comment: comment,
            encryption: passphrase == nil ? nil : (passphraseBytes, opsLimit, memLimit)
        )
    }

    /// Signs `message` in minisign's prehashed `ED` form: Ed25519 over BLAKE2b-512 of the message, then Ed25519
    /// over `signature || trustedComment`. The result is verified before it is returned, so a fault while signing
    /// cannot produce a bad signature file unnoticed.
    /// - Throws: `.usage` if a comment holds a line break or control character other than tab, or is longer than
    ///   minisign reads (1003 bytes untrusted, 8173 bytes trusted).
    /// A raw 64-byte Ed25519 signature (RFC 8032) over `message`, for Amana's own signed records (custody events,
    /// receipts). Callers put a domain-separation prefix in `message`, so such a signature can never be replayed as
    /// a minisign signature or the reverse.
    public func signDetached(_ message: [UInt8]) throws -> [UInt8] {
        try Ed25519.sign(message, secretKey: secret)
    }

    package func sign(
        _ message: [UInt8], trustedComment: String,
        untrustedComment: String = MinisignFormat.defaultSignatureComment
    ) throws -> MinisignSignature {
        if let problem = MinisignText.commentProblem(trustedComment, maxBytes: MinisignFormat.maxTrustedCommentBytes) {
            throw AmanaError(.usage, "the trusted comment \(problem)")
        }
        if let problem = MinisignText.commentProblem(
            untrustedComment, maxBytes: MinisignFormat.maxUntrustedCommentBytes
        ) {
            throw AmanaError(.usage, "the untrusted comment \(problem)")
        }
        let digest = Blake2b.hash(message)
        let messageSignature = try Ed25519.sign(digest, secretKey: secret)
        let result = MinisignSignature(
            algorithm: .prehashed, keyID: keyID, signature: messageSignature, untrustedComment: untrustedComment,
            trustedComment: trustedComment,
            globalSignature: try Ed25519.sign(messageSignature + Array(trustedComment.utf8), secretKey: secret)
        )
        guard Ed25519.isValid(signature: result.signature, message: digest, publicKey: publicKey.rawKey),
              Ed25519.isValid(
                  signature: result.globalSignature, message: result.globallySignedBytes, publicKey: publicKey.rawKey
              )
        else {
            throw AmanaError(.internalFailure, "a signature just made does not verify")
        }
        return result
    }

    /// Names the key, never shows it.
    public var description: String { "secret key \(keyID)" }
}
