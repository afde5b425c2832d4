/// Reads a PDF's document information dictionary and its XMP metadata stream.
///
/// Nothing in the file is run or rendered: the reader seeks to `startxref` near the end, reads the trailer's `/Info`
/// and `/Root` references, finds those objects through the cross-reference table, and parses only their
/// dictionaries. PDF 1.5 files keep that table in a cross-reference stream and small objects (the Info dictionary, the
/// catalog) inside compressed object streams; both are inflated with a bounded output (``PDFStreamDecoder``), as is
/// a FlateDecode XMP stream. Any other filter is a `metadata.parse.unsupported` finding, and the record says nothing
/// rather than guess.
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
    /// What stopped the XMP stream's reading (an unsupported filter, a zip bomb), when the Info values still stand.
    private(set) var xmpProblem: MetadataParseError?

    /// One cross-reference section: a classic table (seeked into, 20 bytes per entry), or a decoded cross-reference
    /// stream's rows with their field widths (`/W`) and subsections (`/Index`).
    private enum Section {
        case table(first: Int, count: Int, at: UInt64)
        case stream(rows: [UInt8], widths: [Int], index: [(first: Int, count: Int)])
    }

    /// Where an object is: at a file offset, or the `index`-th object of object stream `stream`.
    private enum Location {
        case free
        case offset(UInt64)
        case compressed(stream: Int, index: Int)
    }

    /// An object's bytes and where its body starts in them; `base` is their file offset (nil inside an object stream).
    private struct Located {
        var bytes: [UInt8]
        var at: Int
        var base: UInt64?
    }

    private let source: MetadataSource
    private var trailers: [[UInt8]] = []
    private var sections: [Section] = []
    private var decoder = PDFStreamDecoder()
    /// Decoded object streams by object number: their headers' object numbers and offsets, and the bytes.
    private var objectStreams: [Int: (entries: [(number: Int, offset: Int)], first: Int, bytes: [UInt8])] = [:]
    /// Object streams being decoded, to refuse one whose decoding needs itself.
    private var opening: Set<Int> = []

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
            do { xmp = try stream(metadata) } catch let error as MetadataParseError { xmpProblem = error }
        }
    }

    /// Reads one cross-reference section, a classic table or a stream; returns its `/Prev`.
    private mutating func readSection(at offset: UInt64) throws -> UInt64? {
        guard offset < source.size else {
            throw MetadataParseError(MetadataParseError.truncated, "startxref points past the end of the PDF")
        }
        guard try window(offset, 4) == Array("xref".utf8) else { return try readStreamSection(at: offset) }
        let first = sections.count
        let previous = try readTable(at: offset)
        // A hybrid file (PDF 1.5 section 7.5.8.4): its objects in object streams are listed only in the stream
        // named by /XRefStm, which is read before the table of the same update.
        if let stream = PDFReader.integerValue("XRefStm", in: trailers[trailers.count - 1]) {
            let tables = Array(sections[first...])
            sections.removeSubrange(first...)
            let trailerCount = trailers.count
            _ = try readStreamSection(at: UInt64(stream))
            trailers.removeSubrange(trailerCount...)  // the table's trailer speaks for this update
            sections += tables
        }
        return previous
    }

    private func window(_ at: UInt64, _ cap: Int) throws -> [UInt8] {
        try source.read(at: at, count: Int(min(source.size - min(at, source.size), UInt64(cap))))
    }

    /// A classic cross-reference table (`xref` … `trailer << … >>`); returns its `/Prev`.
    ///
    /// Subsection headers are read and their entries seeked over (20 bytes each), so a table of any length costs a
    /// few small reads; an object's entry is read only when that object is wanted.
    private mutating func readTable(at offset: UInt64) throws -> UInt64? {
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
            sections.append(.table(first: first, count: entries, at: start))
            cursor = start + UInt64(entries) * 20
        }
        throw MetadataParseError(MetadataParseError.limit, "more cross-reference subsections than the limit")
    }

    /// A cross-reference stream (PDF 32000-1 section 7.5.8): an object `<< /Type /XRef /W [...] ... >>` whose
    /// inflated rows list every object; its dictionary is the trailer. Returns its `/Prev`.
    private mutating func readStreamSection(at offset: UInt64) throws -> UInt64? {
        guard offset < source.size else {
            throw MetadataParseError(MetadataParseError.truncated, "a cross-reference stream lies past the end of the PDF")
        }
        let located = try objectAt(offset, "the cross-reference stream")
        guard let open = PDFReader.range(of: "<<", in: located.bytes, from: located.at),
              let dictionary = PDFReader.dictionary(located.bytes, open),
              let type = PDFReader.keyValue("Type", in: dictionary), PDFReader.matches("/XRef", dictionary, type) else {
            throw MetadataParseError(MetadataParseError.malformed, "startxref points at neither a table nor a cross-reference stream")
        }
        let rows = try streamData(located, dictionary: dictionary, open: open)
        let widths = try PDFReader.integers("W", in: dictionary) ?? []
        guard widths.count == 3, widths.allSatisfy({ (0...8).contains($0) }), widths.reduce(0, +) > 0 else {
            throw MetadataParseError(MetadataParseError.malformed, "a cross-reference stream's /W is not three widths of 0 to 8")
        }
        let size = PDFReader.integerValue("Size", in: dictionary) ?? 0
        let numbers = try PDFReader.integers("Index", in: dictionary) ?? [0, size]
        guard numbers.count % 2 == 0 else {
            throw MetadataParseError(MetadataParseError.malformed, "a cross-reference stream's /Index is not pairs of numbers")
        }
        let index = stride(from: 0, to: numbers.count, by: 2).map { (first: numbers[$0], count: numbers[$0 + 1]) }
        var entries = 0
        for subsection in index {
            let (sum, overflow) = entries.addingReportingOverflow(subsection.count)
            entries = overflow ? Int.max : sum
        }
        guard entries <= rows.count / widths.reduce(0, +) else {
            throw MetadataParseError(MetadataParseError.truncated, "a cross-reference stream has fewer rows than its /Index lists")
        }
        trailers.append(dictionary)
        sections.append(.stream(rows: rows, widths: widths, index: index))
        return PDFReader.integerValue("Prev", in: dictionary).map(UInt64.init)
    }

    /// Where the newest section that lists object `number` puts it; nil when none does.
    private func locate(_ number: Int) throws -> Location? {
        for section in sections {
            switch section {
            case .table(let first, let count, let at) where number >= first && number - first < count:
                let entry = try source.read(at: at + UInt64(number - first) * 20, count: 20)
                guard let (offset, _) = PDFReader.number(entry, 0) else { continue }
                return entry[17] == UInt8(ascii: "f") ? .free : .offset(UInt64(offset))
            case .stream(let rows, let widths, let index):
                var row = 0
                for subsection in index {
                    defer { row += subsection.count }
                    guard number >= subsection.first, number - subsection.first < subsection.count else { continue }
                    var at = (row + number - subsection.first) * widths.reduce(0, +)
                    var fields: [UInt64] = []
                    for width in widths {
                        var value: UInt64 = 0
                        for _ in 0..<width {
                            value = value << 8 | UInt64(rows[at])
                            at += 1
                        }
                        fields.append(value)
                    }
                    switch widths[0] == 0 ? 1 : fields[0] {
                    case 0: return .free
                    case 1: return .offset(fields[1])
                    case 2 where fields[1] <= UInt64(Int.max) && fields[2] <= UInt64(Int.max):
                        return .compressed(stream: Int(fields[1]), index: Int(fields[2]))
                    default: return nil  // a type PDF 1.5 does not define: a null reference
                    }
                }
            default:
                continue
            }
        }
        return nil
    }

    /// The dictionary of object `number`, or nil when the tables do not list it as in use.
    private mutating func object(_ number: Int) throws -> [UInt8]? {
        guard let located = try objectBytes(number) else { return nil }
        guard let open = PDFReader.range(of: "<<", in: located.bytes, from: located.at) else { return nil }
        return PDFReader.dictionary(located.bytes, open)
    }

    private mutating func objectBytes(_ number: Int) throws -> Located? {
        switch try locate(number) {
        case nil, .free?: return nil
        case .offset(let offset)?: return try objectAt(offset, "object \(number)")
        case .compressed(let stream, let index)?: return try compressedObject(number, stream: stream, index: index)
        }
    }

    /// The object whose `N G obj` header is at `offset`.
    private func objectAt(_ offset: UInt64, _ what: String) throws -> Located {
        guard offset < source.size else {
            throw MetadataParseError(MetadataParseError.truncated, "\(what) lies past the end of the PDF")
        }
        let bytes = try window(offset, PDFReader.objectBytes)
        guard let header = PDFReader.range(of: "obj", in: bytes, from: 0), header < 32 else {
            throw MetadataParseError(MetadataParseError.malformed, "\(what) is not where the table says")
        }
        return Located(bytes: bytes, at: header + 3, base: offset)
    }

    /// Object `number`, stored as the `index`-th object of object stream `stream` (PDF 32000-1 section 7.5.7).
    private mutating func compressedObject(_ number: Int, stream: Int, index: Int) throws -> Located? {
        if objectStreams[stream] == nil {
            // Its /Length may point into another object stream, whose own may point back: a loop, not a recursion.
            guard opening.insert(stream).inserted else {
                throw MetadataParseError(MetadataParseError.malformed, "object streams refer to each other in a loop")
            }
            defer { opening.remove(stream) }
            // An object stream is never itself inside one; anything else is a loop or a lie.
            guard case .offset(let offset)? = try locate(stream) else {
                throw MetadataParseError(MetadataParseError.malformed, "object stream \(stream) is not stored at a file offset")
            }
            let located = try objectAt(offset, "object stream \(stream)")
            guard let open = PDFReader.range(of: "<<", in: located.bytes, from: located.at),
                  let dictionary = PDFReader.dictionary(located.bytes, open),
                  let type = PDFReader.keyValue("Type", in: dictionary), PDFReader.matches("/ObjStm", dictionary, type),
                  let count = PDFReader.integerValue("N", in: dictionary),
                  let first = PDFReader.integerValue("First", in: dictionary) else {
                throw MetadataParseError(MetadataParseError.malformed, "object \(stream) is not an object stream")
            }
            guard count <= MetadataLimits.boxes else {
                throw MetadataParseError(MetadataParseError.limit, "an object stream claims \(count) objects")
            }
            let bytes = try streamData(located, dictionary: dictionary, open: open)
            guard first <= bytes.count else {
                throw MetadataParseError(MetadataParseError.truncated, "an object stream's /First lies past its end")
            }
            let header = Array(bytes[..<first])
            var entries: [(number: Int, offset: Int)] = []
            var at = 0
            for _ in 0..<count {
                guard let (object, afterObject) = PDFReader.number(header, PDFReader.skipSpace(header, at)),
                      let (offset, afterOffset) = PDFReader.number(header, PDFReader.skipSpace(header, afterObject)) else {
                    throw MetadataParseError(MetadataParseError.malformed, "an object stream's header is unreadable")
                }
                entries.append((object, offset))
                at = afterOffset
            }
            objectStreams[stream] = (entries, first, bytes)
        }
        let (entries, first, bytes) = objectStreams[stream]!
        let position = index < entries.count && entries[index].number == number
            ? index : entries.firstIndex { $0.number == number }
        guard let position else { return nil }
        let start = first + entries[position].offset
        let end = position + 1 < entries.count ? first + entries[position + 1].offset : bytes.count
        guard start <= end, end <= bytes.count else {
            throw MetadataParseError(MetadataParseError.malformed, "object \(number)'s offset in its object stream is out of order")
        }
        return Located(bytes: Array(bytes[start..<end]), at: 0, base: nil)
    }

    /// The decoded data of the stream object `located`, whose dictionary starts at `open`: `/Length` bytes after the
    /// `stream` keyword (read from the file, bounded like every read), or up to `endstream` when the length is not
    /// usable, then through its filter.
    private mutating func streamData(_ located: Located, dictionary: [UInt8], open: Int) throws -> [UInt8] {
        let bytes = located.bytes
        guard let base = located.base,
              let keyword = PDFReader.range(of: "stream", in: bytes, from: open + dictionary.count) else {
            throw MetadataParseError(MetadataParseError.malformed, "a PDF stream object has no stream data")
        }
        var start = keyword + 6
        if start < bytes.count, bytes[start] == 13 { start += 1 }
        if start < bytes.count, bytes[start] == 10 { start += 1 }
        var length: Int?
        if let reference = PDFReader.reference("Length", in: dictionary) {
            if let object = try objectBytes(reference) {
                length = PDFReader.number(object.bytes, PDFReader.skipSpace(object.bytes, object.at))?.0
            }
        } else {
            length = PDFReader.integerValue("Length", in: dictionary)
        }
        let raw: [UInt8]
        if let length {
            raw = try source.read(at: base + UInt64(start), count: length)
        } else if let end = PDFReader.range(of: "endstream", in: bytes, from: start) {
            raw = Array(bytes[start..<end])
        } else {
            throw MetadataParseError(MetadataParseError.malformed, "a PDF stream has neither a usable /Length nor an endstream")
        }
        return try decoder.decode(raw, dictionary: dictionary)
    }

    /// The XMP stream's bytes, inflated when it is FlateDecode-compressed.
    private mutating func stream(_ number: Int) throws -> [UInt8]? {
        guard let located = try objectBytes(number), located.base != nil,
              let open = PDFReader.range(of: "<<", in: located.bytes, from: located.at),
              let dictionary = PDFReader.dictionary(located.bytes, open) else { return nil }
        return try streamData(located, dictionary: dictionary, open: open)
    }

    /// A text value of `/key` in a dictionary: a literal or hex string, or an indirect reference to one.
    private mutating func value(_ key: String, in dictionary: [UInt8]) throws -> String? {
        guard let at = PDFReader.keyValue(key, in: dictionary) else { return nil }
        if let text = PDFReader.string(dictionary, at) { return text }
        if let number = PDFReader.reference(key, in: dictionary), let located = try objectBytes(number) {
            return PDFReader.string(located.bytes, PDFReader.skipSpace(located.bytes, located.at))
        }
        return nil
    }

    /// The integers of an array value `/key [ ... ]`; nil when the key is absent. More than twice
    /// ``MetadataLimits/boxes`` numbers is a limit finding, anything but integers a malformed one.
    static func integers(_ key: String, in dictionary: [UInt8]) throws -> [Int]? {
        guard let at = keyValue(key, in: dictionary) else { return nil }
        guard matches("[", dictionary, at) else {
            throw MetadataParseError(MetadataParseError.malformed, "/\(key) is not an array")
        }
        var numbers: [Int] = []
        var cursor = skipSpace(dictionary, at + 1)
        while let (value, after) = number(dictionary, cursor) {
            guard numbers.count < MetadataLimits.boxes * 2 else {
                throw MetadataParseError(MetadataParseError.limit, "/\(key) holds more than \(MetadataLimits.boxes * 2) numbers")
            }
            numbers.append(value)
            cursor = skipSpace(dictionary, after)
        }
        guard matches("]", dictionary, cursor) else {
            throw MetadataParseError(MetadataParseError.malformed, "/\(key) is not an array of integers")
        }
        return numbers
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
        var chars = Array(text.metadataTrimmed)
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
