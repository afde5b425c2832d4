/// Standard base64 (RFC 4648 section 4, with padding), the one codec for keys, signatures and signed records.
///
/// Decoding accepts only the canonical encoding: `=` padding where due and nowhere else, and zero bits in the unused
/// tail of the last character, so one key or signature has exactly one spelling (minisign's own decoder does not
/// check the tail bits; refusing them costs nothing for real files). A caller that knows how many bytes it expects
/// says so (`length`), and any other length is refused too. Age's unpadded header encoding is another grammar and
/// has its own codec (``AgeBase64``).
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let padding = UInt8(ascii: "=")

    package static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(encodedLength(of: bytes.count))
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0f) << 2 | b2 >> 6)] : padding)
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3f)] : padding)
            index += 3
        }
        // For an unencrypted secret key this is the secret in another spelling: wipe the scratch copy.
        defer { Sodium.wipe(&out) }
        return String(decoding: out, as: UTF8.self)
    }

    static func encodedLength(of byteCount: Int) -> Int {
        (byteCount + 2) / 3 * 4
    }

    /// The bytes that `text` canonically encodes, however many; nil for anything else.
    package static func decode(_ text: String) -> [UInt8]? {
        let chars = text.utf8
        guard chars.count % 4 == 0 else { return nil }
        let padCount = chars.reversed().prefix(3).prefix { $0 == padding }.count
        guard padCount <= 2 else { return nil }
        return decode(chars, length: chars.count / 4 * 3 - padCount)
    }

    /// The `length` bytes that `text` canonically encodes, or nil.
    static func decode<C: Collection>(_ text: C, length: Int) -> [UInt8]? where C.Element == UInt8 {
        var chars = Array(text)
        defer { Sodium.wipe(&chars) }  // may spell an unencrypted secret key
        guard chars.count == encodedLength(of: length) else { return nil }
        let padCount = (3 - length % 3) % 3
        var out = [UInt8]()
        out.reserveCapacity(length + 2)
        var index = 0
        while index < chars.count {
            let isLastGroup = index + 4 == chars.count
            var group: UInt32 = 0
            for offset in 0..<4 {
                let char = chars[index + offset]
                let mustPad = isLastGroup && offset >= 4 - padCount
                if mustPad {
                    guard char == padding else { return nil }
                    group <<= 6
                } else {
                    guard let value = value(of: char) else { return nil }
                    group = group << 6 | UInt32(value)
                }
            }
            out.append(UInt8(truncatingIfNeeded: group >> 16))
            out.append(UInt8(truncatingIfNeeded: group >> 8))
            out.append(UInt8(truncatingIfNeeded: group))
            index += 4
        }
        // The bytes that padding stands for must be zero, or the tail bits were not.
        for _ in 0..<padCount {
            guard out.removeLast() == 0 else { return nil }
        }
        return out
    }

    private static func value(of char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return char - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return char - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
