/// The plaintext of an age file, pulled a batch of chunks at a time: the header is read, a file key unwrapped and the
/// header MAC checked when it is made; each chunk is handed out only once it has authenticated. The chunks of a batch
/// are opened on every core at once (``AgeChunkBatch``); memory is that one batch, whatever the file's size.
///
/// Pulling (rather than ``AgeDecryptor``'s push into a sink) is what lets the tar reader consume an encrypted bundle
/// directly, so `verify --identity` needs no plaintext on disk. The end (0 bytes, or `nextChunk` false) is reported
/// only after the last chunk carried the last-chunk flag and nothing followed it; any damage throws `age.payload`.
final class AgePlaintextStream {
    private let input: AgeInput
    private let batch: AgeChunkBatch
    /// A failure found in a batch after chunks that authenticated: thrown once their plaintext was handed out.
    private var pending: AmanaError?
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
        batch = AgeChunkBatch(cipher: AgePayloadCipher(key: AgeDecryptor.payloadKey(fileKey: fileKey, nonce: nonce)))
    }

    /// Opens the next batch of chunks; false once the last one was opened and the file ended there.
    ///
    /// The chunks of a batch are opened side by side (as inner chunks, and a short final piece as the last chunk), then
    /// judged one by one in order, by the same rules as a reader that takes one chunk at a time: the plaintext of the
    /// chunks before a failure is handed out, and the failure is thrown on the next call, so what is released before an
    /// error is the same as age releases.
    private func openNext() throws -> Bool {
        if let pending {
            self.pending = nil
            throw pending
        }
        if finished {
            // Checked once the last chunk was handed out, as age releases it: bytes after the last chunk could be a
            // second message spliced on; refuse them rather than ignore them.
            if !endChecked {
                endChecked = true
                guard try input.atEnd() else { throw AgeDecryptor.payloadFailure("there is data after the last chunk") }
            }
            return false
        }
        let sealedSize = AgeChunkBatch.sealedChunk
        let n = try input.read(into: batch.sealed)
        // The batch in chunks: full ones, then what is left. A short read is the end of the file.
        var sizes = Array(repeating: sealedSize, count: n / sealedSize)
        if n % sealedSize > 0 { sizes.append(n % sealedSize) }
        let atEnd = n < batch.sealed.count
        // A short piece can only be the last chunk. A full one is tried as an inner chunk first, and then (below) as
        // a full-size last chunk, as age does; a full inner chunk at the end of the file then fails as truncated.
        batch.open(sizes: sizes, counter: counter, lastFlags: sizes.map { $0 < sealedSize })

        var released = 0
        var failure: AmanaError?
        for (i, size) in sizes.enumerated() {
            if size < AgeFormat.tagSize {
                failure = AgeDecryptor.payloadFailure(counter == 0 ? "the payload has no chunk" : "the file is truncated")
                break
            }
            if size < sealedSize && size == AgeFormat.tagSize && counter > 0 {
                failure = AgeDecryptor.payloadFailure("the last chunk is empty, which the format forbids")
                break
            }
            if size == sealedSize, let m = batch.openedLength(i) {
                released += m
                counter += 1
                continue
            }
            // A short piece that failed, or a full chunk that is not an inner one: the last chunk, or damage.
            guard let m = size < sealedSize ? batch.openedLength(i) : batch.reopen(i, size: size, counter: counter, last: true) else {
                failure = AgeDecryptor.payloadFailure(size < sealedSize || i == sizes.count - 1
                    ? "the last chunk does not authenticate (truncated or changed)"
                    : "chunk \(counter) does not authenticate (changed)")
                break
            }
            released += m
            finished = true
            if i < sizes.count - 1 {
                failure = AgeDecryptor.payloadFailure("there is data after the last chunk")
                endChecked = true
            }
            break
        }
        if failure == nil && !finished && atEnd {
            // Every chunk so far was an inner one and the file ends: the last chunk is missing.
            failure = AgeDecryptor.payloadFailure(counter == 0 ? "the payload has no chunk" : "the file is truncated")
        }
        plainStart = 0
        plainEnd = released
        if released == 0 {
            if let failure { throw failure }
            return try openNext()
        }
        pending = failure
        return true
    }

    /// Hands the next run of authenticated chunks to `body`; false at the authenticated end.
    func nextChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard try openNext() else { return false }
        try body(UnsafeRawBufferPointer(rebasing: batch.plain[plainStart..<plainEnd]))
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
            buffer.baseAddress!.advanced(by: total).copyMemory(from: batch.plain.baseAddress! + plainStart, byteCount: n)
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
