/// Reads a PDF's document information dictionary and, when stored uncompressed, its XMP metadata stream.
///
/// Nothing in the file is run or rendered: the reader seeks to `startxref` near the end, reads the trailer's `/Info`
/// and `/Root` references, finds those objects through the cross-reference table, and parses only their
/// dictionaries. A cross-reference stream (PDF 1.5) or an object inside a compressed object stream is not inflated:
/// that is a `metadata.parse.unsupported` finding, and the record says nothing rather than guess.
struct PDFReader {
    /// Info keys Amana records, and the field each feeds.
    static let infoFields: [(key: String, field: MetadataField)] = [
        ("CreationDate", .createTime), ("ModDate", .modifyTime), ("Producer", .software), ("Creator", .software),
        ("Title", .title), ("Author", .artist),
    ]
    /// How far from the end `startxref` is looked for, and how much of one object is read.
    static let tailBytes = 2048
    static let objectBytes = 65_536
    /// Cross-reference sections followed through `/Prev` (incremental updates).
    static let sections = 32

    /// Info key and decoded text, in ``infoFields`` order.
    private(set) var info: [(key: String, text: String)] = []
    private(set) var xmp: [UInt8]?

    private let source: MetadataSource
    private var trailers: [[UInt8]] = []
    private var tables: [(first: Int, count: Int, at: UInt64)] = []

    static func looksLike(_ head: [UInt8]) -> Bool { head.starts(with: Array("%PDF-".utf8)) }

    init(source: MetadataSource) throws {
        self.source = source
        let tailCount = Int(min(source.size, UInt64(PDFReader.tailBytes)))
        let tail = try source.read(at: source.size - UInt64(tailCount), count: tailCount)
        guard let mark = PDFReader.lastRange(of: "startxref", in: tail),
              let xref = PDFReader.integer(after: mark, in: tail) else {
            throw MetadataParseError(MetadataParseError.malformed, "no startxref near the end of the PDF")
        }
        var next: UInt64? = UInt64(xref)
        var seen: Set<UInt64> = []
        while let offset = next {
            guard seen.insert(offset).inserted else {
                throw MetadataParseError(MetadataParseError.malformed, "the PDF's /Prev chain points back on itself")
            }
            guard seen.count <= PDFReader.sections else {
                throw MetadataParseError(MetadataParseError.limit, "more cross-reference sections than the limit")
            }
            next = try readSection(at: offset)
        }
        let trailer = trailers.first ?? []
        if let reference = PDFReader.reference("Info", in: trailer), let dictionary = try object(reference) {
            for (key, _) in PDFReader.infoFields {
                if let text = try value(key, in: dictionary) { info.append((key, text)) }
            }
        }
        if let root = PDFReader.reference("Root", in: trailer), let catalog = try object(root),
           let metadata = PDFReader.reference("Metadata", in: catalog) {
            xmp = try stream(metadata)
        }
    }

    /// Reads one classic cross-reference section (`xref` … `trailer << … >>`); returns its `/Prev`.
    ///
    /// Subsection headers are read and their entries seeked over (20 bytes each), so a table of any length costs a
    /// few small reads; an object's entry is read only when that object is wanted.
    private mutating func readSection(at offset: UInt64) throws -> UInt64? {
        guard offset < source.size else {
            throw MetadataParseError(MetadataParseError.truncated, "startxref points past the end of the PDF")
        }
        func window(_ at: UInt64, _ cap: Int) throws -> [UInt8] {
            try source.read(at: at, count: Int(min(source.size - at, UInt64(cap))))
        }
        guard try window(offset, 4) == Array("xref".utf8) else {
            throw MetadataParseError(MetadataParseError.unsupported,
                                     "the PDF uses a cross-reference stream, which Amana does not inflate")
        }
        var cursor = offset + 4
        for _ in 0..<MetadataLimits.boxes {
            guard cursor < source.size else {
                throw MetadataParseError(MetadataParseError.truncated, "the cross-reference table runs past the end")
            }
            let bytes = try window(cursor, 256)
            let at = PDFReader.skipSpace(bytes, 0)
            if PDFReader.matches("trailer", bytes, at) {
                let trailer = try window(cursor + UInt64(at), PDFReader.objectBytes)
                guard let open = PDFReader.range(of: "<<", in: trailer, from: 0),
                      let dictionary = PDFReader.dictionary(trailer, open) else {
                    throw MetadataParseError(MetadataParseError.malformed, "the PDF trailer has no dictionary")
                }
                trailers.append(dictionary)
                return PDFReader.integerValue("Prev", in: dictionary).map(UInt64.init)
            }
            guard let (first, afterFirst) = PDFReader.number(bytes, at),
                  let (entries, afterCount) = PDFReader.number(bytes, PDFReader.skipSpace(bytes, afterFirst)) else {
                throw MetadataParseError(MetadataParseError.malformed, "a cross-reference subsection header is unreadable")
            }
            let start = cursor + UInt64(PDFReader.skipSpace(bytes, afterCount))
            guard UInt64(entries) <= (source.size - min(start, source.size)) / 20 else {
                throw MetadataParseError(MetadataParseError.truncated, "a cross-reference subsection runs past the end")
            }
            tables.append((first, entries, start))
            cursor = start + UInt64(entries) * 20
        }
        throw MetadataParseError(MetadataParseError.limit, "more cross-reference subsections than the limit")
    }

    /// The dictionary of object `number`, or nil when the tables do not list it as in use.
    private func object(_ number: Int) throws -> [UInt8]? {
        guard let (bytes, at) = try objectBytes(number) else { return nil }
        guard let open = PDFReader.range(of: "<<", in: bytes, from: at) else { return nil }
        return PDFReader.dictionary(bytes, open)
    }

    private func objectBytes(_ number: Int) throws -> ([UInt8], Int)? {
        for table in tables where number >= table.first && number - table.first < table.count {
            let entry = try source.read(at: table.at + UInt64(number - table.first) * 20, count: 20)
            guard let (offset, _) = PDFReader.number(entry, 0) else { continue }
            if entry[17] == UInt8(ascii: "f") { return nil }
            guard UInt64(offset) < source.size else {
                throw MetadataParseError(MetadataParseError.truncated, "object \(number) lies past the end of the PDF")
            }
            let bytes = try source.read(at: UInt64(offset), count: Int(min(source.size - UInt64(offset),
                                                                          UInt64(PDFReader.objectBytes))))
            guard let header = PDFReader.range(of: "obj", in: bytes, from: 0), header < 32 else {
                throw MetadataParseError(MetadataParseError.malformed, "object \(number) is not where the table says")
            }
            return (bytes, header + 3)
        }
        return nil
    }

    /// An uncompressed stream's bytes (the XMP packet); nil when it is filtered.
    private func stream(_ number: Int) throws -> [UInt8]? {
        guard let (bytes, at) = try objectBytes(number), let open = PDFReader.range(of: "<<", in: bytes, from: at),
              let dictionary = PDFReader.dictionary(bytes, open) else { return nil }
        if PDFReader.range(of: "/Filter", in: dictionary, from: 0) != nil { return nil }
        guard let keyword = PDFReader.range(of: "stream", in: bytes, from: open + dictionary.count) else { return nil }
        var start = keyword + 6
        if start < bytes.count, bytes[start] == 13 { start += 1 }
        if start < bytes.count, bytes[start] == 10 { start += 1 }
        guard let end = PDFReader.range(of: "endstream", in: bytes, from: start) else { return nil }
        return Array(bytes[start..<end])
    }

    /// A text value of `/key` in a dictionary: a literal or hex string, or an indirect reference to one.
    private func value(_ key: String, in dictionary: [UInt8]) throws -> String? {
        guard let at = PDFReader.keyValue(key, in: dictionary) else { return nil }
        if let text = PDFReader.string(dictionary, at) { return text }
        if let number = PDFReader.reference(key, in: dictionary), let (bytes, start) = try objectBytes(number) {
            return PDFReader.string(bytes, PDFReader.skipSpace(bytes, start))
        }
        return nil
    }

    // MARK: - Lexing (PDF 32000-1 section 7.2 and 7.3)

    static func isSpace(_ byte: UInt8) -> Bool { [0, 9, 10, 12, 13, 32].contains(byte) }

    static func skipSpace(_ bytes: [UInt8], _ from: Int) -> Int {
        var at = from
        while at < bytes.count, isSpace(bytes[at]) { at += 1 }
        return at
    }

    static func matches(_ word: String, _ bytes: [UInt8], _ at: Int) -> Bool {
        let needle = Array(word.utf8)
        return at >= 0 && at + needle.count <= bytes.count && Array(bytes[at..<at + needle.count]) == needle
    }

    static func range(of word: String, in bytes: [UInt8], from: Int) -> Int? {
        let needle = Array(word.utf8)
        guard from >= 0, bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
        for at in from...(bytes.count - needle.count) where bytes[at] == needle[0] && matches(word, bytes, at) { return at }
        return nil
    }

    static func lastRange(of word: String, in bytes: [UInt8]) -> Int? {
        let needle = Array(word.utf8)
        guard bytes.count >= needle.count else { return nil }
        for at in stride(from: bytes.count - needle.count, through: 0, by: -1) where matches(word, bytes, at) { return at }
        return nil
    }

    /// A non-negative decimal integer at `at` and the index after it (at most 18 digits, so it never overflows).
    static func number(_ bytes: [UInt8], _ at: Int) -> (Int, Int)? {
        var end = at, value = 0
        while end < bytes.count, end - at < 18, (48...57).contains(bytes[end]) {
            value = value * 10 + Int(bytes[end] - 48)
            end += 1
        }
        return end > at ? (value, end) : nil
    }

    static func integer(after mark: Int, in bytes: [UInt8]) -> Int? {
        number(bytes, skipSpace(bytes, mark + 9)).map(\.0)
    }

    /// The balanced `<< … >>` starting at `open` (nested dictionaries and strings respected), or nil if it never closes.
    static func dictionary(_ bytes: [UInt8], _ open: Int) -> [UInt8]? {
        var depth = 0, at = open
        while at + 1 < bytes.count {
            if bytes[at] == UInt8(ascii: "("), let end = literalEnd(bytes, at) {
                at = end
                continue
            }
            if bytes[at] == UInt8(ascii: "<"), bytes[at + 1] == UInt8(ascii: "<") {
                depth += 1
                at += 2
                continue
            }
            if bytes[at] == UInt8(ascii: ">"), bytes[at + 1] == UInt8(ascii: ">") {
                depth -= 1
                at += 2
                if depth == 0 { return Array(bytes[open..<at]) }
                continue
            }
            at += 1
        }
        return nil
    }

    /// Where the value of `/key` starts in a dictionary (the key must be followed by a delimiter).
    static func keyValue(_ key: String, in dictionary: [UInt8]) -> Int? {
        var from = 0
        while let at = range(of: "/" + key, in: dictionary, from: from) {
            let after = at + key.utf8.count + 1
            if after < dictionary.count, isSpace(dictionary[after]) || "(</[".utf8.contains(dictionary[after]) {
                return skipSpace(dictionary, after)
            }
            from = at + 1
        }
        return nil
    }

    static func reference(_ key: String, in dictionary: [UInt8]) -> Int? {
        guard let at = keyValue(key, in: dictionary), let (number, after) = number(dictionary, at),
              let (_, afterGeneration) = self.number(dictionary, skipSpace(dictionary, after)),
              matches("R", dictionary, skipSpace(dictionary, afterGeneration)) else { return nil }
        return number
    }

    static func integerValue(_ key: String, in dictionary: [UInt8]) -> Int? {
        keyValue(key, in: dictionary).flatMap { number(dictionary, $0)?.0 }
    }

    /// The index just after a literal string's closing parenthesis.
    static func literalEnd(_ bytes: [UInt8], _ open: Int) -> Int? {
        var depth = 0, at = open
        while at < bytes.count {
            switch bytes[at] {
            case UInt8(ascii: "\\"): at += 1
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return at + 1 }
            default: break
            }
            at += 1
        }
        return nil
    }

    /// A literal `( … )` or hex `< … >` string at `at`, decoded as UTF-16BE when it starts with a byte order mark and
    /// as Latin-1 otherwise (PDFDocEncoding agrees with it on every character a date or a name uses).
    static func string(_ bytes: [UInt8], _ at: Int) -> String? {
        guard at < bytes.count else { return nil }
        var raw: [UInt8] = []
        if bytes[at] == UInt8(ascii: "("), let end = literalEnd(bytes, at) {
            var index = at + 1
            while index < end - 1 {
                let byte = bytes[index]
                index += 1
                guard byte == UInt8(ascii: "\\"), index < end - 1 else { raw.append(byte); continue }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): raw.append(10)
                case UInt8(ascii: "r"): raw.append(13)
                case UInt8(ascii: "t"): raw.append(9)
                case UInt8(ascii: "b"): raw.append(8)
                case UInt8(ascii: "f"): raw.append(12)
                case 10, 13: break  // a line continuation
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = Int(escaped - 48)
                    for _ in 0..<2 where index < end - 1 && (48...55).contains(bytes[index]) {
                        value = value * 8 + Int(bytes[index] - 48)
                        index += 1
                    }
                    raw.append(UInt8(truncatingIfNeeded: value))
                default: raw.append(escaped)
                }
            }
        } else if bytes[at] == UInt8(ascii: "<"), at + 1 < bytes.count, bytes[at + 1] != UInt8(ascii: "<") {
            var digits: [UInt8] = []
            var index = at + 1
            while index < bytes.count, bytes[index] != UInt8(ascii: ">") {
                if let digit = hexValue(bytes[index]) { digits.append(digit) }
                index += 1
            }
            guard index < bytes.count else { return nil }
            if digits.count % 2 == 1 { digits.append(0) }
            raw = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
        } else {
            return nil
        }
        if raw.starts(with: [0xFE, 0xFF]) {
            let units = stride(from: 2, to: raw.count - 1, by: 2).map { UInt16(raw[$0]) << 8 | UInt16(raw[$0 + 1]) }
            return String(decoding: units, as: UTF16.self)
        }
        return String(raw.map { Character(Unicode.Scalar($0)) })
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }

    /// A PDF date, `D:YYYYMMDDHHmmSSOHH'mm'`, where every part after the year may be left out.
    static func date(_ text: String) -> MetadataTime? {
        var chars = Array(text.trimmingCharacters(in: .whitespaces))
        if chars.starts(with: ["D", ":"]) { chars.removeFirst(2) }
        let digits = chars.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 4, digits.count <= 14, digits.count % 2 == 0 else { return nil }
        func part(_ at: Int, _ length: Int, _ fallback: Int) -> Int {
            at + length <= digits.count ? Int(String(digits[at..<at + length])) ?? fallback : fallback
        }
        var time = MetadataTime(year: part(0, 4, 0), month: part(4, 2, 1), day: part(6, 2, 1), hour: part(8, 2, 0),
                                minute: part(10, 2, 0), second: part(12, 2, 0))
        let zone = String(chars.dropFirst(digits.count)).replacingOccurrences(of: "'", with: "")
        if zone == "Z" || zone.hasPrefix("Z") {
            time.offset = 0
        } else if !zone.isEmpty {
            let spelled = zone.count == 3 ? zone + "00" : zone
            guard let offset = MetadataTime.parseOffset(spelled) else { return time.isValid ? time : nil }
            time.offset = offset
        }
        return time.isValid ? time : nil
    }
}
