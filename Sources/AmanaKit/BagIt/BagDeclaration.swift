/// The bag declaration, `bagit.txt` (RFC 8493 section 2.1.1).
///
/// A parsed declaration is exactly two lines, in this order, with one space or tab after each colon and nothing
/// else: `BagIt-Version: M.N` for a version Amana knows, then `Tag-File-Character-Encoding: ENCODING`. The file is
/// UTF-8 without a byte-order mark; lines may end in LF, CRLF or CR and the last may lack its line end.
package struct BagDeclaration: Equatable, Sendable {
    package var version: BagItVersion
    /// The encoding name exactly as declared, e.g. `UTF-8` or `iso-8859-1`.
    package var encodingName: String

    /// BagIt 1.0 with UTF-8 tag files: what Amana writes.
    package init() {
        self.version = .v1_0
        self.encodingName = TagFileEncoding.utf8.rawValue
    }

    package init(version: BagItVersion, encodingName: String) {
        self.version = version
        self.encodingName = encodingName
    }

    /// The declared encoding, or nil when Amana cannot decode it (the bag may still be valid BagIt).
    package var encoding: TagFileEncoding? { TagFileEncoding(declaredName: encodingName) }

    /// Parses the bytes of `bagit.txt`. Throws `AmanaError(.inputInvalid)` with the first reason it is not a valid
    /// declaration.
    package static func parse(_ bytes: [UInt8]) throws -> BagDeclaration {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw invalid("bagit.txt starts with a byte-order mark, which RFC 8493 forbids")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw invalid("bagit.txt is not valid UTF-8")
        }
        let lines = TextLines.split(text)
        guard lines.count == 2 else {
            throw invalid("bagit.txt has \(lines.count) line\(lines.count == 1 ? "" : "s"); it must have exactly two")
        }
        let versionText = try value(of: BagItNames.versionLabel, in: lines[0], line: 1)
        guard let version = BagItVersion(versionText) else {
            throw invalid("\"\(versionText)\" is not a BagIt version of the form M.N")
        }
        guard version.isKnown else {
            throw invalid("BagIt version \(versionText) is not one Amana knows (\(BagItVersion.known.map(\.text).joined(separator: ", ")))")
        }
        let encodingName = try value(of: BagItNames.encodingLabel, in: lines[1], line: 2)
        return BagDeclaration(version: version, encodingName: encodingName)
    }

    /// The value of a `label: value` line, which must use the label exactly and one space or tab after the colon,
    /// with no other whitespace anywhere (a value never holds whitespace here).
    private static func value(of label: String, in line: String, line number: Int) throws -> String {
        let prefix = label + ":"
        guard ExactPath.hasPrefix(line, prefix) else {
            throw invalid("line \(number) of bagit.txt must start with \"\(prefix)\"")
        }
        let rest = Array(line.unicodeScalars.dropFirst(prefix.unicodeScalars.count))
        guard rest.count >= 2, TextLines.isLinearWhitespace(rest[0]) else {
            throw invalid("line \(number) of bagit.txt needs one space after \"\(prefix)\" and a value")
        }
        let value = rest.dropFirst()
        guard !value.contains(where: { TextLines.isLinearWhitespace($0) || $0.properties.isWhitespace }) else {
            throw invalid("line \(number) of bagit.txt has whitespace in or around its value")
        }
        return String(String.UnicodeScalarView(value))
    }

    private static func invalid(_ reason: String) -> AmanaError {
        AmanaError(.inputInvalid, reason)
    }

    /// Reads a declaration that ``parse(_:)`` rejected as leniently as possible, so that the checker can still read
    /// the rest of a broken bag and report everything else wrong with it. Nil when not even that works.
    static func salvage(_ bytes: [UInt8]) -> BagDeclaration? {
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        let tags = TagFile.parse(text, separator: .lenient).tagFile
        let version = tags.values(BagItNames.versionLabel).first.flatMap(BagItVersion.init) ?? .v1_0
        let encoding = tags.values(BagItNames.encodingLabel).first ?? TagFileEncoding.utf8.rawValue
        return BagDeclaration(version: version, encodingName: encoding)
    }

    /// The two lines, LF-terminated: `BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n` by default.
    package func serialized() -> [UInt8] {
        Array("\(BagItNames.versionLabel): \(version.text)\n\(BagItNames.encodingLabel): \(encodingName)\n".utf8)
    }
}
