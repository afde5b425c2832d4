/// The plaintext of an age file, pulled a chunk at a time: the header is read, a file key unwrapped and the header MAC
/// checked when it is made; each chunk is handed out only once it has authenticated.
///
/// Pulling (rather than ``AgeDecryptor``'s push into a sink) is what lets the tar reader consume an encrypted bundle
/// directly, so `verify --identity` needs no plaintext on disk. The end (0 bytes, or `nextChunk` false) is reported
/// only after the last chunk carried the last-chunk flag and nothing followed it; any damage throws `age.payload`.
final class AgePlaintextStream {
    private let input: AgeInput
    private let cipher: AgePayloadCipher
    private var sealed = [UInt8](repeating: 0, count: AgeFormat.chunkSize + AgeFormat.tagSize)
    private var plain = [UInt8](repeating: 0, count: AgeFormat.chunkSize)
    private var plainStart = 0
    private var plainEnd = 0
    private var counter: UInt64 = 0
    private var finished = false
    private var endChecked = false

    init(_ input: AgeInput, identities: [AgeIdentity]) throws {
        self.input = input
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
        guard AgePlaintextStream.constantTimeEqual(expected, header.mac) else {
            throw AmanaError(.ageHMAC, "the age header was changed after encryption (its MAC does not match)")
        }
        var nonce = [UInt8](repeating: 0, count: AgeFormat.payloadNonceSize)
        guard try nonce.withUnsafeMutableBytes({ try input.read(into: $0) }) == nonce.count else {
            throw AgeHeader.failure("the payload nonce is missing or truncated")
        }
        cipher = AgePayloadCipher(key: AgeDecryptor.payloadKey(fileKey: fileKey, nonce: nonce))
    }

    /// Opens the next chunk into the plaintext buffer; false once the last one was opened and the file ended there.
    private func openNext() throws -> Bool {
        if finished {
            // Checked once the last chunk was handed out, as age releases it: bytes after the last chunk could be a
            // second message spliced on; refuse them rather than ignore them.
            if !endChecked {
                endChecked = true
                guard try input.atEnd() else { throw AgeDecryptor.payloadFailure("there is data after the last chunk") }
            }
            return false
        }
        let sealedSize = sealed.count
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
        plainStart = 0
        plainEnd = m
        if last {
            finished = true
        } else {
            counter += 1
        }
        return true
    }

    /// Hands the next authenticated chunk to `body`; false at the authenticated end.
    func nextChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard try openNext() else { return false }
        try plain.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[plainStart..<plainEnd])) }
        plainStart = plainEnd
        return true
    }

    /// Fills `buffer` with authenticated plaintext; fewer bytes only at the authenticated end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var total = 0
        while total < buffer.count {
            if plainStart == plainEnd {
                guard try openNext() else { break }
                continue
            }
            let n = min(plainEnd - plainStart, buffer.count - total)
            plain.withUnsafeBytes { buffer.baseAddress!.advanced(by: total).copyMemory(from: $0.baseAddress! + plainStart, byteCount: n) }
            plainStart += n
            total += n
        }
        return total
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
