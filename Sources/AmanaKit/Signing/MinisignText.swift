/// Line and comment rules shared by the three minisign file types.
///
/// Parsing works on UTF-8 bytes, never on Swift `Character`s: Swift treats "\r\n" as one character, which would
/// hide CRLF line endings from a split on "\n".
enum MinisignText {
    /// Splits `bytes` into exactly `count` lines. `maxLineBytes[i]`, when given, bounds line `i` counted with any
    /// CR of its terminator (see ``MinisignFormat/maxUntrustedLineBytes``).
    ///
    /// A line ends in "\n" or "\r\n" (minisign strips the "\r" too). The last line may lack its terminator. Anything
    /// after the expected lines, even a blank line, is refused: minisign would silently ignore it, and a verifier
    /// that ignores bytes cannot say what it verified. A "\r" or NUL inside a line is refused, because minisign
    /// would cut the line there and so read a different comment than a reader of the file sees.
    static func lines(
        _ bytes: [UInt8], count: Int, maxLineBytes: [Int?], what: String
    ) throws -> [ArraySlice<UInt8>] {
        precondition(maxLineBytes.count == count)
        guard bytes.count <= MinisignFormat.maxFileBytes else {
            throw AmanaError(.inputInvalid, "the \(what) is too long to be one")
        }
        var pieces = bytes.split(separator: 0x0a, omittingEmptySubsequences: false)
        if pieces.count == count + 1, pieces.last?.isEmpty == true {
            pieces.removeLast()  // the final line's "\n"
        }
        guard pieces.count == count else {
            throw AmanaError(.inputInvalid, "the \(what) must have exactly \(count) lines, but has \(pieces.count)")
        }
        return try pieces.enumerated().map { number, piece in
            if let max = maxLineBytes[number], piece.count > max {
                throw AmanaError(.inputInvalid, "line \(number + 1) of the \(what) is longer than minisign reads")
            }
            var line = piece
            if line.last == 0x0d { line = line.dropLast() }
            if line.contains(0x0d) || line.contains(0) {
                throw AmanaError(.inputInvalid, "line \(number + 1) of the \(what) holds a stray carriage return or nul")
            }
            return line
        }
    }

    /// The comment text of a line that must start with `prefix`.
    static func comment(
        _ line: ArraySlice<UInt8>, prefix: String, maxBytes: Int, lineNumber: Int, what: String
    ) throws -> String {
        let prefixBytes = Array(prefix.utf8)
        guard line.starts(with: prefixBytes) else {
            throw AmanaError(.inputInvalid, "line \(lineNumber) of the \(what) must start with \"\(prefix)\"")
        }
        let body = Array(line.dropFirst(prefixBytes.count))
        let text = String(decoding: body, as: UTF8.self)
        guard Array(text.utf8) == body else {
            throw AmanaError(.inputInvalid, "line \(lineNumber) of the \(what) is not valid utf-8")
        }
        if let problem = commentProblem(text, maxBytes: maxBytes) {
            throw AmanaError(.inputInvalid, "the comment on line \(lineNumber) of the \(what) \(problem)")
        }
        return text
    }

    /// Why `text` cannot be a one-line comment, or nil if it can. Tabs are allowed (minisign separates trusted
    /// comment fields with them); other control characters are not, since a terminal would act on them when the
    /// comment is shown.
    static func commentProblem(_ text: String, maxBytes: Int) -> String? {
        if text.utf8.count > maxBytes {
            return "is longer than \(maxBytes) bytes"
        }
        if text.unicodeScalars.contains(where: { $0 != "\t" && isForbiddenInLine($0) }) {
            return "contains a line break or control character"
        }
        return nil
    }

    /// A control character as every Amana spec means it (bundle.md section 3): C0 (U+0000 to U+001F), DEL (U+007F)
    /// and C1 (U+0080 to U+009F). C1 counts because terminals act on it too (U+009B is a one-character CSI).
    static func isControlCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1f, 0x7f...0x9f: return true
        default: return false
        }
    }

    /// Control characters (C0, DEL, C1) and Unicode's line and paragraph separators.
    static func isForbiddenInLine(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1f, 0x7f...0x9f, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// Decodes a base64 line that must hold exactly `length` bytes. `place` names the line in the error, e.g.
    /// "line 2 of the public key file".
    static func blob(_ line: ArraySlice<UInt8>, length: Int, place: String) throws -> [UInt8] {
        guard let bytes = Base64.decode(line, length: length) else {
            throw AmanaError(.inputInvalid, "\(place) is not the base64 of exactly \(length) bytes")
        }
        return bytes
    }

    /// Reads a little-endian unsigned 64-bit integer.
    static func loadLittleEndian64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func storeLittleEndian64(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// Compares two byte sequences in time that depends only on their length.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
