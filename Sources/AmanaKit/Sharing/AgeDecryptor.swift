import Crypto

/// Decrypts age v1 (binary or armored), streaming, and hands out plaintext only a chunk at a time once that chunk has
/// authenticated.
///
/// Every failure has a class, as the spec's test vectors name them: a malformed header (`age.header`), no identity
/// that matches (`age.no-match`), a changed header (`age.hmac`), a broken payload (`age.payload`), broken armor
/// (`age.armor`). Plaintext handed out before a payload failure is genuine but incomplete: callers that write it to
/// disk must write to a temporary file and keep it only when this returns.
package struct AgeDecryptor {
    package let identities: [AgeIdentity]

    package init(identities: [AgeIdentity]) {
        self.identities = identities
    }

    static func payloadKey(fileKey: [UInt8], nonce: [UInt8]) -> [UInt8] {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: fileKey), salt: nonce, info: Array("payload".utf8),
                               outputByteCount: 32).withUnsafeBytes { Array($0) }
    }

    /// True if the file at `path` starts (after whitespace) with `-----`, the start of age's armor.
    static func isArmored(path: String) throws -> Bool {
        let file = try ReadOnlyFile(path: path)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var seen: [UInt8] = []
        while seen.count < 5 {
            let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0) }
            if n == 0 { break }
            for c in buffer[..<n] {
                if seen.isEmpty && (c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D) { continue }
                seen.append(c)
            }
        }
        return seen.starts(with: Array("-----".utf8))
    }

    /// Decrypts the file at `path`, handing each authenticated chunk of plaintext to `sink`.
    /// `armored` nil means: detect it from the first bytes.
    package func decrypt(path: String, armored: Bool? = nil, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let isArmored = try armored ?? AgeDecryptor.isArmored(path: path)
        let file = try ReadOnlyFile(path: path)
        let source: AgeByteSource = isArmored ? AgeArmorReader(file) : file
        try decrypt(AgeInput(source), sink: sink)
    }

    func decrypt(_ input: AgeInput, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let stream = try AgePlaintextStream(input, identities: identities)
        while try stream.nextChunk(sink) {}
    }

    static func payloadFailure(_ reason: String) -> AmanaError {
        AmanaError(.agePayload, "the encrypted payload is damaged: \(reason)")
    }

    /// The stanza kinds of a header, for a hint that says what the file was encrypted to.
    static func kinds(_ stanzas: [AgeStanza]) -> String {
        var counts: [String: Int] = [:]
        for s in stanzas { counts[s.type, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
}
