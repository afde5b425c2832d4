import Crypto

/// Encrypts a file to age v1, streaming: two fixed batches of 64 KiB chunks in memory, whatever the file's size; the
/// chunks of a batch are sealed on every core at once (see ``AgeChunkBatch``).
package struct AgeEncryptor {
    package let recipients: [AgeRecipient]
    package let armor: Bool

    package init(recipients: [AgeRecipient], armor: Bool = false) throws {
        guard !recipients.isEmpty else { throw AmanaError(.usage, "encryption needs at least one recipient") }
        if recipients.count > 1 && recipients.contains(where: { $0 is AgeScryptRecipient }) {
            throw AmanaError(.usage, "a passphrase cannot be combined with other recipients")
        }
        self.recipients = recipients
        self.armor = armor
    }

    /// Encrypts the file at `path`, handing the age bytes to `sink` in order.
    package func encrypt(path: String, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        let file = try ReadOnlyFile(path: path)
        let fileKey = AgeRandom.bytes(AgeFormat.fileKeySize)
        var stanzas: [AgeStanza] = []
        for recipient in recipients { stanzas += try recipient.wrap(fileKey: fileKey) }

        let armorWriter = armor ? try AgeArmorWriter(sink: sink) : nil
        let emit: (UnsafeRawBufferPointer) throws -> Void = armorWriter.map { w in { try w.write($0) } } ?? sink

        let nonce = AgeRandom.bytes(AgeFormat.payloadNonceSize)
        try (AgeHeader.encode(stanzas: stanzas, fileKey: fileKey) + nonce).withUnsafeBytes { try emit($0) }
        let cipher = AgePayloadCipher(key: AgeDecryptor.payloadKey(fileKey: fileKey, nonce: nonce))

        // Two plaintext batches: the next is read before the current one is sealed, because the current one's final
        // chunk is the stream's last only if nothing follows it.
        var current = AgeChunkBatch(cipher: cipher)
        var next = AgeChunkBatch(cipher: cipher)
        var currentCount = try file.readFully(into: current.plain)
        var counter: UInt64 = 0
        while true {
            var nextCount = 0
            if currentCount == current.plain.count {
                nextCount = try file.readFully(into: next.plain)
            }
            // A chunk is the last when the file ends inside it, or right after it.
            let last = nextCount == 0
            let n = try current.seal(count: currentCount, counter: counter, endsStream: last)
            try emit(UnsafeRawBufferPointer(rebasing: current.sealed[..<n]))
            if last { break }
            counter += UInt64(AgeChunkBatch.chunkCount)
            swap(&current, &next)
            currentCount = nextCount
        }
        try armorWriter?.finish()
    }
}
