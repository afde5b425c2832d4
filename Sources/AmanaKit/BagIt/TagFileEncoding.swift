/// A character encoding that `Tag-File-Character-Encoding` may declare and Amana can decode.
///
/// RFC 8493 section 2.1.1 allows any encoding registered with IANA (RFC 2978) and says the name may be in either
/// case. Amana decodes the ones the Library of Congress conformance suite uses (UTF-8, ISO-8859-1, UTF-16) plus
/// US-ASCII and the byte-order-explicit UTF-16 forms. Any other name is not an error in the bag; it only means Amana
/// cannot read its tag files, which the checker reports as indeterminate. Amana itself only ever writes UTF-8.
package enum TagFileEncoding: String, Sendable, CaseIterable {
    case utf8 = "UTF-8"
    case iso8859_1 = "ISO-8859-1"
    case usASCII = "US-ASCII"
    /// UTF-16 whose byte order comes from its byte-order mark; big-endian without one (RFC 2781 section 4.3).
    case utf16 = "UTF-16"
    case utf16BE = "UTF-16BE"
    case utf16LE = "UTF-16LE"

    /// The encoding a declared name stands for, matching IANA names and their registered aliases without regard to
    /// case; nil when Amana cannot decode it.
    package init?(declaredName: String) {
        let key = declaredName.lowercased()
        switch key {
        case "utf-8", "utf8", "csutf8": self = .utf8
        case "iso-8859-1", "iso_8859-1", "iso_8859-1:1987", "iso-ir-100", "latin1", "l1", "ibm819", "cp819",
            "csisolatin1":
            self = .iso8859_1
        case "us-ascii", "ascii", "us", "iso646-us", "ansi_x3.4-1968", "ansi_x3.4-1986", "iso-ir-6", "iso_646.irv:1991",
            "ibm367", "cp367", "csascii":
            self = .usASCII
        case "utf-16", "csutf16": self = .utf16
        case "utf-16be", "csutf16be": self = .utf16BE
        case "utf-16le", "csutf16le": self = .utf16LE
        default: return nil
        }
    }

    /// Text decoded from a tag file.
    package struct Decoded: Equatable, Sendable {
        package var text: String
        /// Whether the bytes began with a byte-order mark, which was removed. RFC 8493 forbids one in `bagit.txt`
        /// and it is pointless in UTF-8; for UTF-16 it is what tells the byte order.
        package var hadByteOrderMark: Bool
    }

    /// Decodes `bytes` strictly: any byte sequence that is not valid in this encoding gives nil rather than
    /// replacement characters, because a manifest path decoded wrongly would name a different file.
    package func decode(_ bytes: [UInt8]) -> Decoded? {
        switch self {
        case .utf8:
            let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF])
            guard let text = String(validating: bom ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self) else {
                return nil
            }
            return Decoded(text: text, hadByteOrderMark: bom)
        case .iso8859_1:
            // Every byte is the code point of the same number.
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            return Decoded(text: String(scalars), hadByteOrderMark: false)
        case .usASCII:
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return Decoded(text: String(decoding: bytes, as: UTF8.self), hadByteOrderMark: false)
        case .utf16, .utf16BE, .utf16LE:
            return decodeUTF16(bytes)
        }
    }

    private func decodeUTF16(_ bytes: [UInt8]) -> Decoded? {
        guard bytes.count % 2 == 0 else { return nil }
        var bigEndian = self != .utf16LE
        var start = 0
        if self == .utf16 && bytes.count >= 2 {
            if bytes[0] == 0xFE && bytes[1] == 0xFF {
                start = 2
            } else if bytes[0] == 0xFF && bytes[1] == 0xFE {
                bigEndian = false
                start = 2
            }
        }
        var units = [UInt16]()
        units.reserveCapacity((bytes.count - start) / 2)
        var index = start
        while index < bytes.count {
            let high = UInt16(bytes[index]), low = UInt16(bytes[index + 1])
            units.append(bigEndian ? high << 8 | low : low << 8 | high)
            index += 2
        }
        // An explicit-order form may still start with U+FEFF; it is a byte-order mark there too.
        var hadBOM = start == 2
        if start == 0, units.first == 0xFEFF {
            units.removeFirst()
            hadBOM = true
        }
        guard let text = String(validating: units, as: UTF16.self) else { return nil }
        return Decoded(text: text, hadByteOrderMark: hadBOM)
    }
}
