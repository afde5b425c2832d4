/// Writes age's ASCII armor: the BEGIN line, padded base64 in 64-column lines, the END line, each ending in LF.
///
/// It is the strict form ``AgeArmorReader`` and `age -d` read. Bytes pass through in 48-byte groups, so memory stays
/// flat however large the file is.
final class AgeArmorWriter {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private var carry: [UInt8] = []
    private var out: [UInt8] = []

    init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        self.sink = sink
        out = AgeFormat.armorBegin + [0x0A]
    }

    private static let groupSize = AgeFormat.armorColumns / 4 * 3

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes[...]
        if !carry.isEmpty {
            let take = min(AgeArmorWriter.groupSize - carry.count, rest.count)
            carry += rest.prefix(take)
            rest = rest.dropFirst(take)
            if carry.count == AgeArmorWriter.groupSize {
                out += AgeBase64.encode(carry, padded: true) + [0x0A]
                carry.removeAll(keepingCapacity: true)
            }
        }
        while rest.count >= AgeArmorWriter.groupSize {
            out += AgeBase64.encode(rest.prefix(AgeArmorWriter.groupSize), padded: true) + [0x0A]
            rest = rest.dropFirst(AgeArmorWriter.groupSize)
            if out.count >= 64 * 1024 { try flush() }
        }
        carry += rest
    }

    private func flush() throws {
        try out.withUnsafeBytes { try sink($0) }
        out.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        if !carry.isEmpty { out += AgeBase64.encode(carry, padded: true) + [0x0A] }
        out += AgeFormat.armorEnd + [0x0A]
        try flush()
    }
}
