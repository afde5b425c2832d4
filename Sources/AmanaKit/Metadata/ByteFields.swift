/// Bounds-checked integer reads from a byte array; a short array is a truncation finding, never a trap.
struct ByteFields {
    let bytes: [UInt8]
    let littleEndian: Bool

    init(_ bytes: [UInt8], littleEndian: Bool = false) {
        self.bytes = bytes
        self.littleEndian = littleEndian
    }

    var count: Int { bytes.count }

    func u8(_ at: Int) throws -> UInt8 {
        try check(at, 1)
        return bytes[at]
    }

    func u16(_ at: Int) throws -> UInt16 {
        UInt16(truncatingIfNeeded: try unsigned(at, 2))
    }

    func u32(_ at: Int) throws -> UInt32 {
        UInt32(truncatingIfNeeded: try unsigned(at, 4))
    }

    func u64(_ at: Int) throws -> UInt64 {
        try unsigned(at, 8)
    }

    func slice(_ at: Int, _ length: Int) throws -> [UInt8] {
        try check(at, length)
        return Array(bytes[at..<at + length])
    }

    private func unsigned(_ at: Int, _ width: Int) throws -> UInt64 {
        try check(at, width)
        var value: UInt64 = 0
        for index in 0..<width {
            let byte = UInt64(bytes[littleEndian ? at + width - 1 - index : at + index])
            value = value << 8 | byte
        }
        return value
    }

    private func check(_ at: Int, _ length: Int) throws {
        guard at >= 0, length >= 0, at <= bytes.count - length else {
            throw MetadataParseError(MetadataParseError.truncated, "a field at byte \(at) lies past the end of its structure")
        }
    }
}
