/// A minisign signature file (`.minisig`): four lines, two of them signed.
///
///     untrusted comment: <text, not signed>
///     base64(alg(2) || keynum(8) || signature(64))
///     trusted comment: <text, signed by the global signature>
///     base64(globalSignature(64))
///
/// A parsed value is well formed, not verified: use ``PublicKey/verify(_:message:)``. Amana signs only `ED`
/// (prehashed); it reads legacy `Ed` as well, since minisign 0.11 still verifies it by default.
package struct MinisignSignature: Sendable, Equatable {
    /// The two-byte algorithm tag. These raw values are the format's own names for the algorithms.
    package enum Algorithm: String, Sendable {
        /// Ed25519 over BLAKE2b-512 of the message: what minisign and Amana write.
        case prehashed = "ED"
        /// Ed25519 over the message itself: minisign before 0.8 and `minisign -S -l`.
        case legacy = "Ed"

        init?(bytes: [UInt8]) {
            self.init(rawValue: String(decoding: bytes, as: UTF8.self))
            guard Array(rawValue.utf8) == bytes else { return nil }
        }
    }

    package let algorithm: Algorithm
    package let keyID: KeyID
    /// The 64-byte Ed25519 signature over the message (or its digest).
    package let signature: [UInt8]
    /// Free text anyone can change without breaking the signature.
    package let untrustedComment: String
    /// Text bound to the signature by ``globalSignature``; only believe it after a `.valid` check.
    package let trustedComment: String
    /// The 64-byte Ed25519 signature over `signature || trustedComment` (UTF-8, no prefix, no newline).
    package let globalSignature: [UInt8]

    init(
        algorithm: Algorithm, keyID: KeyID, signature: [UInt8], untrustedComment: String, trustedComment: String,
        globalSignature: [UInt8]
    ) {
        precondition(signature.count == Ed25519.signatureLength && globalSignature.count == Ed25519.signatureLength)
        self.algorithm = algorithm
        self.keyID = keyID
        self.signature = signature
        self.untrustedComment = untrustedComment
        self.trustedComment = trustedComment
        self.globalSignature = globalSignature
    }

    package init(minisignFile text: String) throws {
        try self.init(minisignFile: Array(text.utf8))
    }

    /// Reads a `.minisig` file from its raw bytes, so that invalid UTF-8 is reported rather than replaced.
    package init(minisignFile bytes: [UInt8]) throws {
        let what = "signature file"
        let lines = try MinisignText.lines(
            bytes, count: 4,
            maxLineBytes: [MinisignFormat.maxUntrustedLineBytes, nil, MinisignFormat.maxTrustedLineBytes, nil],
            what: what
        )
        let untrusted = try MinisignText.comment(
            lines[0], prefix: MinisignFormat.untrustedCommentPrefix,
            maxBytes: MinisignFormat.maxUntrustedCommentBytes, lineNumber: 1, what: what
        )
        let blob = try MinisignText.blob(
            lines[1], length: MinisignFormat.signatureBlobLength, place: "line 2 of the \(what)"
        )
        let trusted = try MinisignText.comment(
            lines[2], prefix: MinisignFormat.trustedCommentPrefix,
            maxBytes: MinisignFormat.maxTrustedCommentBytes, lineNumber: 3, what: what
        )
        let global = try MinisignText.blob(
            lines[3], length: Ed25519.signatureLength, place: "line 4 of the \(what)"
        )
        let algorithmEnd = MinisignFormat.algorithmLength
        let keyIDEnd = algorithmEnd + MinisignFormat.keyIDLength
        guard let algorithm = Algorithm(bytes: Array(blob[..<algorithmEnd])) else {
            throw AmanaError(.inputInvalid, "the \(what) uses an unsupported signature algorithm")
        }
        self.init(
            algorithm: algorithm, keyID: KeyID(bytes: Array(blob[algorithmEnd..<keyIDEnd]))!,
            signature: Array(blob[keyIDEnd...]), untrustedComment: untrusted, trustedComment: trusted,
            globalSignature: global
        )
    }

    /// The four lines, each ending in "\n", exactly as minisign writes them.
    package func minisignFile() -> String {
        let blob = Array(algorithm.rawValue.utf8) + keyID.bytes + signature
        return MinisignFormat.untrustedCommentPrefix + untrustedComment + "\n"
            + Base64.encode(blob) + "\n"
            + MinisignFormat.trustedCommentPrefix + trustedComment + "\n"
            + Base64.encode(globalSignature) + "\n"
    }

    /// What the global signature covers.
    var globallySignedBytes: [UInt8] {
        signature + Array(trustedComment.utf8)
    }
}
