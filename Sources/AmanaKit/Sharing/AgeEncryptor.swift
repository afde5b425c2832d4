import Crypto

/// Encrypts a file to age v1, streaming: one 64 KiB chunk in memory at a time, whatever the file's size.
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

        let size = AgeFormat.chunkSize
        var current = [UInt8](repeating: 0, count: size)
        var next = [UInt8](repeating: 0, count: size)
        var sealed = [UInt8](repeating: 0, count: size + AgeFormat.tagSize)
        var currentCount = try current.withUnsafeMutableBytes { try file.readFully(into: $0) }
        var counter: UInt64 = 0
        while true {
            // A chunk is the last when the file ends inside it, or right after it.
            var nextCount = 0
            if currentCount == size {
                nextCount = try next.withUnsafeMutableBytes { try file.readFully(into: $0) }
            }
            let last = nextCount == 0
            let n = current.withUnsafeBytes { plain in
                sealed.withUnsafeMutableBytes {
                    cipher.seal(UnsafeRawBufferPointer(rebasing: plain[..<currentCount]), counter: counter, last: last, into: $0)
                }
            }
            try sealed.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            if last { break }
            swap(&current, &next)
            currentCount = nextCount
            counter += 1
        }
        try armorWriter?.finish()
    }
}
