/// An Ed25519 public key in minisign's format, with the holder's name and organization when its file says them.
///
/// Parsing is strict: the key line must be the canonical base64 of exactly `"Ed" || keynum(8) || key(32)`, and the
/// file must be exactly two lines (LF or CRLF, final newline optional). `name` and `organization` come from the
/// unsigned comment line and are labels for people only; trust rests on the key bytes, compared by the caller.
public struct PublicKey: Sendable, Equatable {
    public let keyID: KeyID
    /// The 32-byte Ed25519 public key.
    public let rawKey: [UInt8]
    /// Untrusted metadata from the comment line (see `spec/keys.md`); nil when the file does not say.
    public let name: String?
    public let organization: String?

    init(keyID: KeyID, rawKey: [UInt8], metadata: KeyComment) {
        precondition(rawKey.count == Ed25519.publicKeyLength)
        self.keyID = keyID
        self.rawKey = rawKey
        self.name = metadata.name
        self.organization = metadata.organization
    }

    /// Reads a `.pub` file. Any comment is accepted; an Amana one also yields `name` and `organization`.
    public init(minisignFile text: String) throws {
        try self.init(minisignFile: Array(text.utf8))
    }

    /// Reads a `.pub` file from its raw bytes, so that invalid UTF-8 is reported rather than replaced.
    public init(minisignFile bytes: [UInt8]) throws {
        let what = "public key file"
        let lines = try MinisignText.lines(
            bytes, count: 2, maxLineBytes: [MinisignFormat.maxUntrustedLineBytes, nil], what: what
        )
        let comment = try MinisignText.comment(
            lines[0], prefix: MinisignFormat.untrustedCommentPrefix,
            maxBytes: MinisignFormat.maxUntrustedCommentBytes, lineNumber: 1, what: what
        )
        let (keyID, rawKey) = try PublicKey.decode(lines[1], place: "line 2 of the \(what)")
        let metadata = try KeyComment.parse(comment, kind: .publicKey, keyID: keyID, what: what)
        self.init(keyID: keyID, rawKey: rawKey, metadata: metadata)
    }

    /// Reads the one-line form that `minisign -P` takes (`RWQ...`, 56 characters). It has no comment, so
    /// `name` and `organization` are nil. Surrounding whitespace is not tolerated.
    public init(base64 line: String) throws {
        let (keyID, rawKey) = try PublicKey.decode(ArraySlice(line.utf8), place: "the public key")
        self.init(keyID: keyID, rawKey: rawKey, metadata: KeyComment())
    }

    private static func decode(_ line: ArraySlice<UInt8>, place: String) throws -> (KeyID, [UInt8]) {
        let blob = try MinisignText.blob(line, length: MinisignFormat.publicKeyBlobLength, place: place)
        let algorithmEnd = MinisignFormat.algorithmLength
        let keyIDEnd = algorithmEnd + MinisignFormat.keyIDLength
        guard Array(blob[..<algorithmEnd]) == MinisignFormat.keyAlgorithm else {
            throw AmanaError(.inputInvalid, "\(place) is not an ed25519 key (unsupported signature algorithm)")
        }
        return (KeyID(bytes: Array(blob[algorithmEnd..<keyIDEnd]))!, Array(blob[keyIDEnd...]))
    }

    /// The one-line form, as `minisign -P` takes it.
    public var base64: String {
        Base64.encode(MinisignFormat.keyAlgorithm + keyID.bytes + rawKey)
    }

    /// The `.pub` file: Amana's comment line (with name and organization when known), then the key line. The
    /// original comment of a key read from a file is not kept.
    public func minisignFile() -> String {
        let comment = KeyComment(name: name, organization: organization).render(kind: .publicKey, keyID: keyID)
        return MinisignFormat.untrustedCommentPrefix + comment + "\n" + base64 + "\n"
    }

    /// Checks `signature` over `message` the way `minisign -V` does: key id, then the message signature (over the
    /// BLAKE2b-512 digest for `ED`, over the message itself for legacy `Ed`), then the global signature over the
    /// signature and the trusted comment. Both algorithms are accepted, as minisign 0.11 accepts both by default.
    /// Checks a raw Ed25519 signature made by ``SecretKey/signDetached(_:)``. Wrong lengths are simply invalid.
    public func isValidDetached(_ signature: [UInt8], message: [UInt8]) -> Bool {
        Ed25519.isValid(signature: signature, message: message, publicKey: rawKey)
    }

    package func verify(_ signature: MinisignSignature, message: [UInt8]) -> SignatureCheck {
        guard signature.keyID == keyID else {
            return .keyMismatch(expected: keyID, found: signature.keyID)
        }
        let signed: [UInt8]
        switch signature.algorithm {
        case .prehashed: signed = Blake2b.hash(message)
        case .legacy: signed = message
        }
        guard Ed25519.isValid(signature: signature.signature, message: signed, publicKey: rawKey) else {
            return .invalidSignature
        }
        guard Ed25519.isValid(
            signature: signature.globalSignature, message: signature.globallySignedBytes, publicKey: rawKey
        ) else {
            return .invalidTrustedComment
        }
        return .valid
    }
}
