/// Every constant of the minisign file formats, named once. `spec/keys.md` documents each of them.
///
/// Lengths and limits match minisign 0.11 so that every file Amana writes is one minisign reads, and every file
/// Amana accepts is one minisign would accept too (Amana is sometimes stricter, never looser).
@usableFromInline
enum MinisignFormat {
    // MARK: Line prefixes

    /// First line of every file; minisign also requires it on line 1 of a signature.
    static let untrustedCommentPrefix = "untrusted comment: "
    /// Third line of a signature; the text after it is covered by the global signature.
    static let trustedCommentPrefix = "trusted comment: "

    // MARK: Algorithm identifiers (two ASCII bytes each)

    /// Keys are tagged with the same two bytes as legacy signatures: minisign's key algorithm *is* "Ed25519".
    static let keyAlgorithm = Array(MinisignSignature.Algorithm.legacy.rawValue.utf8)
    /// scrypt-encrypted secret key.
    static let kdfScrypt = Array("Sc".utf8)
    /// Unencrypted secret key (`minisign -G -W`): two zero bytes.
    static let kdfNone: [UInt8] = [0, 0]
    /// The secret key checksum is BLAKE2b-256.
    static let checksumAlgorithm = Array("B2".utf8)

    // MARK: Field lengths in bytes

    static let algorithmLength = 2
    static let keyIDLength = 8
    static let saltLength = 32
    static let limitLength = 8
    static let checksumLength = 32

    /// `"Ed" || keynum || pk`.
    static let publicKeyBlobLength = algorithmLength + keyIDLength + Ed25519.publicKeyLength  // 42
    /// `alg || keynum || sig`.
    static let signatureBlobLength = algorithmLength + keyIDLength + Ed25519.signatureLength  // 74
    /// `keynum || sk || chk`: the part that scrypt output is XORed onto.
    static let sealedSectionLength = keyIDLength + Ed25519.secretKeyLength + checksumLength  // 104
    /// Offsets inside the secret key blob.
    static let secretKDFOffset = algorithmLength
    static let secretChecksumAlgorithmOffset = secretKDFOffset + algorithmLength
    static let secretSaltOffset = secretChecksumAlgorithmOffset + algorithmLength
    static let secretOpsLimitOffset = secretSaltOffset + saltLength
    static let secretMemLimitOffset = secretOpsLimitOffset + limitLength
    static let secretSealedOffset = secretMemLimitOffset + limitLength  // 54
    static let secretKeyBlobLength = secretSealedOffset + sealedSectionLength  // 158

    // MARK: Key derivation

    /// minisign's defaults, libsodium's "sensitive" scrypt limits: about 2-3 s and 1 GiB per derivation.
    static let defaultOpsLimit: UInt64 = 33_554_432
    static let defaultMemLimit: UInt64 = 1_073_741_824
    /// Limits above these are refused when reading: they would take minutes or more memory than a field laptop
    /// has, and no tool writes them. 128 times minisign's work and 4 times its memory.
    static let maxOpsLimit: UInt64 = 4_294_967_296
    static let maxMemLimit: UInt64 = 4_294_967_296
    /// minisign reads a passphrase into a 1024-byte buffer and silently truncates longer ones.
    static let maxPassphraseBytes = 1023

    // MARK: Line limits

    /// minisign reads the untrusted comment line into 1024 bytes: prefix (19) + text + "\n" + NUL.
    static let maxUntrustedCommentBytes = 1003
    /// minisign reads the trusted comment line into 8192 bytes: prefix (17) + text + "\n" + NUL.
    static let maxTrustedCommentBytes = 8173
    /// The same limits for whole comment lines, counting the prefix and a CR before the LF: minisign's buffer
    /// holds the CR too, so a CRLF file has one byte less for its comment.
    static let maxUntrustedLineBytes = untrustedCommentPrefix.utf8.count + maxUntrustedCommentBytes
    static let maxTrustedLineBytes = trustedCommentPrefix.utf8.count + maxTrustedCommentBytes
    /// No valid file comes near this; larger input is refused before any line is looked at.
    static let maxFileBytes = 16_384

    // MARK: Amana's conventions

    /// The untrusted comment Amana puts on its signatures unless told otherwise.
    @usableFromInline static let defaultSignatureComment = "signature from amana secret key"
    /// Untrusted comment of Amana key files: lead, key id, then tab-separated `field:value` pairs.
    static let publicKeyCommentLead = "amana public key "
    static let secretKeyCommentLead = "amana secret key "
    static let commentFieldSeparator: UInt8 = 0x09  // tab, as in minisign's own trusted comments
    static let nameField = "name"
    static let organizationField = "organization"
    static let fieldNameTerminator: Character = ":"
}
