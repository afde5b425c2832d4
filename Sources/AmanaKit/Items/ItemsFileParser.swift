/// Reads `amana/items.json` straight into an ``ItemsFile``, without a JSON tree in between.
///
/// Why not `JSONDecoder`: for a bundle of 20,000 photos it built a 7.5 MB map of the file and grew the result by
/// doubling, the largest use of memory while verifying; and items.json arrives from whoever made the bundle, so a
/// small parser whose every rule is written here is easier to trust than a general decoder's defaults. It accepts any
/// valid JSON layout of the document (whitespace, member order), and is stricter than the decoder where ambiguity
/// could hide something:
///
/// - UTF-8 only, no BOM, nothing after the document;
/// - a member name may appear only once per object (a decoder silently keeps one of two);
/// - sizes are plain non-negative integers (no sign, fraction, exponent or leading zero);
/// - unknown members are skipped, as the decoder skips them, so later versions may add fields;
/// - `null` is accepted for optional members, as the decoder accepts it;
/// - nesting deeper than ``maximumDepth`` is refused.
struct ItemsFileParser {
    static let maximumDepth = 16

    private let bytes: [UInt8]
    private var index = 0

    struct Failure: Error {
        let message: String
    }

    static func parse(_ bytes: [UInt8]) throws -> ItemsFile {
        var parser = ItemsFileParser(bytes: bytes)
        let file = try parser.document()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the document") }
        return file
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: - The document

    private mutating func document() throws -> ItemsFile {
        var mediaType: String?
        var bundleID: String?
        var caseID: String?
        var title: String?
        var items: [ItemsFile.Item]?
        try object(depth: 0) { parser, key in
            switch key {
            case "mediaType": mediaType = try parser.string()
            case "bundleId": bundleID = try parser.string()
            case "case": caseID = try parser.optionalString()
            case "title": title = try parser.optionalString()
            case "items":
                var list = [ItemsFile.Item]()
                try parser.array(depth: 1) { parser in list.append(try parser.item(depth: 2)) }
                items = list
            default: try parser.skipValue(depth: 1)
            }
        }
        guard let mediaType else { throw failure("the member 'mediaType' is missing") }
        guard let bundleID else { throw failure("the member 'bundleId' is missing") }
        guard let items else { throw failure("the member 'items' is missing") }
        var file = ItemsFile(bundleID: bundleID, caseID: caseID, title: title, items: items)
        file.mediaType = mediaType
        return file
    }

    private mutating func item(depth: Int) throws -> ItemsFile.Item {
        var path: String?
        var size: UInt64?
        var digests: [String: String]?
        var mediaType: String?
        var modified: String?
        var originalName: String?
        var acquisition: Acquisition?
        try object(depth: depth) { parser, key in
            switch key {
            case "path": path = try parser.string()
            case "size": size = try parser.unsignedInteger()
            case "digests":
                var found = [String: String]()
                try parser.object(depth: depth + 1) { parser, name in found[name] = try parser.string() }
                digests = found
            case "mediaType": mediaType = try parser.string()
            case "modified": modified = try parser.optionalString()
            case "originalName": originalName = try parser.optionalString()
            case "acquisition": acquisition = try parser.acquisition(depth: depth + 1)
            default: try parser.skipValue(depth: depth + 1)
            }
        }
        guard let path, let size, let digests, let mediaType else {
            throw failure("an item lacks one of 'path', 'size', 'digests' and 'mediaType'")
        }
        return ItemsFile.Item(path: path, size: size, digests: digests, mediaType: mediaType, modified: modified,
                              originalName: originalName, acquisition: acquisition)
    }

    private mutating func acquisition(depth: Int) throws -> Acquisition? {
        if try literal("null") { return nil }
        var facts = Acquisition()
        try object(depth: depth) { parser, key in
            switch key {
            case "collector": facts.collector = try parser.optionalString()
            case "sourceUrl": facts.sourceURL = try parser.optionalString()
            case "device": facts.device = try parser.optionalString()
            case "location": facts.location = try parser.optionalString()
            case "note": facts.note = try parser.optionalString()
            default: try parser.skipValue(depth: depth + 1)
            }
        }
        return facts
    }

    // MARK: - JSON

    private func failure(_ why: String) -> Failure {
        Failure(message: "\(why) (at byte \(index))")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    /// Consumes `byte` after any whitespace, or returns false.
    private mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard take(byte) else { throw failure("expected \(what)") }
    }

    /// Consumes the literal `word` (null, true, false) after any whitespace, or returns false.
    private mutating func literal(_ word: String) throws -> Bool {
        skipWhitespace()
        let word = Array(word.utf8)
        guard bytes.count - index >= word.count, Array(bytes[index..<index + word.count]) == word else { return false }
        index += word.count
        return true
    }

    /// An object; `member` is called with each name and must consume its value. Names may not repeat.
    private mutating func object(depth: Int, _ member: (inout ItemsFileParser, String) throws -> Void) throws {
        guard depth < ItemsFileParser.maximumDepth else { throw failure("nested deeper than \(ItemsFileParser.maximumDepth) levels") }
        try expect(UInt8(ascii: "{"), "an object")
        if take(UInt8(ascii: "}")) { return }
        var seen = Set<String>()
        repeat {
            let name = try string()
            guard seen.insert(name).inserted else { throw failure("the member '\(name)' appears twice") }
            try expect(UInt8(ascii: ":"), "':' after a member name")
            try member(&self, name)
        } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"), "',' or '}' in an object")
    }

    private mutating func array(depth: Int, _ element: (inout ItemsFileParser) throws -> Void) throws {
        guard depth < ItemsFileParser.maximumDepth else { throw failure("nested deeper than \(ItemsFileParser.maximumDepth) levels") }
        try expect(UInt8(ascii: "["), "an array")
        if take(UInt8(ascii: "]")) { return }
        repeat { try element(&self) } while take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"), "',' or ']' in an array")
    }

    private mutating func optionalString() throws -> String? {
        try literal("null") ? nil : string()
    }

    /// A JSON string, read by the tokenizer the custody log's canonical JSON shares; its problems in this
    /// parser's words.
    private mutating func string() throws -> String {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a string") }
        do {
            return try JSONStringScanner.scan(bytes, at: &index)
        } catch let scanned as JSONStringScanner.Failure {
            index = scanned.index
            switch scanned.problem {
            case .unterminated, .unterminatedEscape: throw failure("a string is not closed")
            case .controlCharacter: throw failure("a control character inside a string")
            case .unknownEscape: throw failure("an unknown escape in a string")
            case .escapeCutShort: throw failure("a \\u escape is cut short")
            case .escapeNotHex: throw failure("a \\u escape is not hexadecimal")
            case .highSurrogateAlone, .loneSurrogate: throw failure("a lone surrogate in a string")
            case .invalidUTF8: throw failure("a string is not valid UTF-8")
            }
        }
    }

    /// A non-negative integer that fits in 64 bits, digits only.
    private mutating func unsignedInteger() throws -> UInt64 {
        skipWhitespace()
        let start = index
        var value: UInt64 = 0
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(bytes[index] - 0x30))
            guard !overflow1 && !overflow2 else { throw failure("a size does not fit in 64 bits") }
            value = sum
            index += 1
        }
        guard index > start else { throw failure("a size must be a non-negative integer") }
        guard index - start == 1 || bytes[start] != 0x30 else { throw failure("a size has a leading zero") }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw failure("a size must be a whole number")
        }
        return value
    }

    /// Skips any JSON value (for members this version does not know).
    private mutating func skipValue(depth: Int) throws {
        skipWhitespace()
        guard index < bytes.count else { throw failure("a value is missing") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try object(depth: depth) { parser, _ in try parser.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["): try array(depth: depth) { parser in try parser.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "-"), 0x30...0x39: try skipNumber()
        default:
            guard try literal("true") || literal("false") || literal("null") else { throw failure("an invalid value") }
        }
    }

    /// A JSON number, per RFC 8259's grammar.
    private mutating func skipNumber() throws {
        func digits() -> Int {
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let start = index
        let whole = digits()
        guard whole > 0, whole == 1 || bytes[start] != 0x30 else { throw failure("an invalid number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw failure("an invalid number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw failure("an invalid number") }
        }
    }
}
