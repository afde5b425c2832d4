/// Reads one JSON string (RFC 8259 section 7) from UTF-8 bytes.
///
/// Both of Amana's JSON readers use it, the canonical-JSON parser of signed records (``CanonicalJSON``) and the
/// items.json reader (``ItemsFileParser``), so that a string in a custody event and the same string in items.json
/// can never be read two ways. It is strict where a lenient reader could let two spellings hide one another: control
/// characters must be escaped, surrogates must come in pairs, and the result must be valid UTF-8. Each reader words
/// the ``Problem`` in its own errors.
enum JSONStringScanner {
    enum Problem: Error, Equatable {
        /// The input ends inside the string.
        case unterminated
        /// The input ends right after a backslash.
        case unterminatedEscape
        case controlCharacter
        case unknownEscape
        /// A `\u` escape with fewer than four characters left.
        case escapeCutShort
        /// A `\u` escape whose four characters are not all hexadecimal.
        case escapeNotHex
        /// A high surrogate escape not followed by another `\u` escape.
        case highSurrogateAlone
        /// A low surrogate escape with no high surrogate before it, or a high one followed by a non-low one.
        case loneSurrogate
        case invalidUTF8
    }

    /// Why scanning stopped, and at which byte.
    struct Failure: Error {
        let problem: Problem
        let index: Int
    }

    /// The string whose opening quote is at `index`; on return `index` is just past its closing quote.
    static func scan(_ bytes: [UInt8], at index: inout Int) throws -> String {
        index += 1  // the opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = index
        var position = index
        func fail(_ problem: Problem) -> Failure { Failure(problem: problem, index: position) }
        func flush(_ end: Int) throws {
            guard let text = String(validating: bytes[runStart..<end], as: UTF8.self) else { throw fail(.invalidUTF8) }
            scalars.append(contentsOf: text.unicodeScalars)
        }
        func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count else { throw fail(.escapeCutShort) }
            var value: UInt32 = 0
            for byte in bytes[position..<position + 4] {
                guard let digit = Hex.value(of: byte) else { throw fail(.escapeNotHex) }
                value = value << 4 | UInt32(digit)
            }
            position += 4
            return value
        }
        defer { index = position }
        while true {
            guard position < bytes.count else { throw fail(.unterminated) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if scalars.isEmpty {
                    // No escape met (the common case): the bytes are the string, validated once, not rebuilt
                    // scalar by scalar.
                    guard let text = String(validating: bytes[runStart..<position], as: UTF8.self) else { throw fail(.invalidUTF8) }
                    position += 1
                    return text
                }
                try flush(position)
                position += 1
                return String(scalars)
            }
            if byte < 0x20 { throw fail(.controlCharacter) }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            try flush(position)
            position += 1
            guard position < bytes.count else { throw fail(.unterminatedEscape) }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                        throw fail(.highSurrogateAlone)
                    }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail(.loneSurrogate) }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw fail(.loneSurrogate) }
                scalars.append(scalar)
            default:
                throw fail(.unknownEscape)
            }
            runStart = position
        }
    }
}
