/// The constants of the age v1 file format (C2SP age.md), named once.
///
/// Amana writes and reads age itself because no age library exists among the Swift packages it may depend on; the
/// primitives come from swift-crypto (X25519, HKDF, HMAC, X-Wing), libcrypto (ChaCha20-Poly1305) and libsodium (scrypt).
package enum AgeFormat {
    /// The first line of every binary age file, without its newline.
    static let versionLine = Array("age-encryption.org/v1".utf8)
    /// Starts every recipient stanza line.
    static let stanzaPrefix = Array("-> ".utf8)
    /// Starts the MAC line; the MAC covers the header up to and including these three bytes.
    static let macPrefix = Array("---".utf8)
    /// Stanza bodies are wrapped at this many base64 columns; a shorter line (even empty) ends the body.
    static let bodyColumns = 64
    /// The file key is 16 bytes, never anything else.
    static let fileKeySize = 16
    /// Plaintext chunk size of the STREAM payload.
    static let chunkSize = 64 * 1024
    /// A ChaCha20-Poly1305 tag.
    static let tagSize = 16
    /// The random nonce that starts the payload and salts the payload key.
    static let payloadNonceSize = 16
    /// A header line longer than this is refused, so a hostile header cannot make the reader buffer without end.
    static let maxHeaderLine = 16 * 1024
    /// A header larger than this is refused for the same reason.
    static let maxHeaderSize = 1024 * 1024
    /// Above this scrypt work factor (log2 N), decryption refuses to run: 2^22 already costs 4 GiB and seconds of CPU,
    /// and a hostile file could otherwise make the reader work for hours. age uses the same limit.
    package static let maxScryptWorkFactor = 22
    /// The work factor Amana encrypts with, age's default (256 MiB, about a second).
    package static let defaultScryptWorkFactor = 18

    static let armorBegin = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)
    static let armorEnd = Array("-----END AGE ENCRYPTED FILE-----".utf8)
    /// Armored base64 lines are exactly this long, except the last.
    static let armorColumns = 64

    static let x25519Label = "age-encryption.org/v1/X25519"
    static let scryptLabel = "age-encryption.org/v1/scrypt"
    static let recipientHRP = "age"
    static let identityHRP = "age-secret-key-"

    /// The hybrid post-quantum recipient kind: its stanza type, HPKE info string and key encodings.
    static let hybridStanzaType = "mlkem768x25519"
    static let hybridLabel = "age-encryption.org/mlkem768x25519"
    static let hybridRecipientHRP = "age1pq"
    static let hybridIdentityHRP = "age-secret-key-pq-"
    /// An X-Wing encapsulation key: ML-KEM-768's 1184 bytes and X25519's 32.
    static let hybridPublicKeySize = 1216
    /// An X-Wing ciphertext (HPKE's enc): ML-KEM-768's 1088 bytes and X25519's 32.
    static let hybridEncapsulationSize = 1120
}

extension AmanaError.Code {
    /// The age header is malformed (or a stanza for one of our identities is): the file is not valid age.
    package static let ageHeader = AmanaError.Code("age.header")
    /// The header MAC does not match: the header was changed after encryption.
    package static let ageHMAC = AmanaError.Code("age.hmac")
    /// None of the given identities (or the passphrase) opens any recipient stanza.
    package static let ageNoMatch = AmanaError.Code("age.no-match")
    /// The payload is truncated, tampered with, or has trailing data.
    package static let agePayload = AmanaError.Code("age.payload")
    /// The ASCII armor is not in the strict form the spec requires.
    package static let ageArmor = AmanaError.Code("age.armor")
}
