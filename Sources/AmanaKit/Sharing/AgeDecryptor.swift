import Crypto

/// Decrypts age v1 (binary or armored), streaming, and hands out plaintext only a chunk at a time once that chunk has
/// authenticated.
///
/// Every failure has a class, as the spec's test vectors name them: a malformed header (`age.header`), no identity
/// that matches (`age.no-match`), a changed header (`age.hmac`), a broken payload (`age.payload`), broken armor
/// (`age.armor`). Plaintext handed out before a payload failure is genuine but incomplete: callers that write it to
/// disk must write to a temporary file and keep it only when this returns.
public struct AgeDecryptor {
    public let identities: [AgeIdentity]

    public init(identities: [AgeIdentity]) {
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
    public func decrypt(path: String, armored: Bool? = nil, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let isArmored = try armored ?? AgeDecryptor.isArmored(path: path)
        let file = try ReadOnlyFile(path: path)
        let source: AgeByteSource = isArmored ? AgeArmorReader(file) : file
        try decrypt(AgeInput(source), sink: sink)
    }

    func decrypt(_ input: AgeInput, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let header = try AgeHeader.read(from: input)
        if header.stanzas.count > 1 && header.stanzas.contains(where: { $0.type == "scrypt" }) {
            throw AgeHeader.failure("a scrypt stanza must be the only stanza")
        }
        var fileKey: [UInt8]?
        for identity in identities {
            if let key = try identity.unwrap(header.stanzas) { fileKey = key; break }
        }
        guard let fileKey else {
            throw AmanaError(.ageNoMatch, "no identity given opens this file",
                             hint: "it was encrypted to other recipients (\(AgeDecryptor.kinds(header.stanzas)))")
        }
        let expected = AgeHeader.mac(fileKey: fileKey, over: header.macInput)
        guard constantTimeEqual(expected, header.mac) else {
            throw AmanaError(.ageHMAC, "the age header was changed after encryption (its MAC does not match)")
        }
        var nonce = [UInt8](repeating: 0, count: AgeFormat.payloadNonceSize)
        guard try nonce.withUnsafeMutableBytes({ try input.read(into: $0) }) == nonce.count else {
            throw AgeHeader.failure("the payload nonce is missing or truncated")
        }
        let cipher = AgePayloadCipher(key: AgeDecryptor.payloadKey(fileKey: fileKey, nonce: nonce))
        let sealedSize = AgeFormat.chunkSize + AgeFormat.tagSize
        var sealed = [UInt8](repeating: 0, count: sealedSize)
        var plain = [UInt8](repeating: 0, count: AgeFormat.chunkSize)
        var counter: UInt64 = 0
        while true {
            // A short read is the last chunk. A full one is tried as an inner chunk first and then as a full-size last
            // chunk, as age does; a full inner chunk at the end of the file then fails on the next read.
            let n = try sealed.withUnsafeMutableBytes { try input.read(into: $0) }
            var last = n < sealedSize
            guard n >= AgeFormat.tagSize else {
                throw AgeDecryptor.payloadFailure(counter == 0 ? "the payload has no chunk" : "the file is truncated")
            }
            if last && n == AgeFormat.tagSize && counter > 0 {
                throw AgeDecryptor.payloadFailure("the last chunk is empty, which the format forbids")
            }
            func open(_ final: Bool) -> Int? {
                sealed.withUnsafeBytes { s in
                    plain.withUnsafeMutableBytes {
                        cipher.open(UnsafeRawBufferPointer(rebasing: s[..<n]), counter: counter, last: final, into: $0)
                    }
                }
            }
            var opened = open(last)
            if opened == nil && !last {
                last = true
                opened = open(true)
            }
            guard let m = opened else {
                throw AgeDecryptor.payloadFailure(last
                    ? "the last chunk does not authenticate (truncated or changed)"
                    : "chunk \(counter) does not authenticate (changed)")
            }
            try plain.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[..<m])) }
            if last { break }
            counter += 1
        }
        // Bytes after the last chunk could be a second message spliced on; refuse them rather than ignore them.
        guard try input.atEnd() else { throw AgeDecryptor.payloadFailure("there is data after the last chunk") }
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

    private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
