/// Reads the EXIF tags Amana records from a TIFF structure: IFD0, the Exif IFD and the GPS IFD.
///
/// The same code serves a JPEG's APP1 Exif block (in memory) and a TIFF file (seeking in the file). Only the tags in
/// ``wanted`` are read, so a hostile count on any other tag costs nothing; offsets that loop are refused.
struct TIFFReader {
    /// One tag's value: its text for ASCII tags, its numbers for the rest (a rational as its quotient).
    struct Entry: Equatable {
        var text: String?
        var numbers: [Double]
        /// The stored spelling: the text, or the numbers with rationals as `n/d`, space-separated.
        var raw: String
        /// Whether any stored number is negative (a signed type was used).
        var negative: Bool
    }

    enum Directory: String { case ifd0, exif, gps }

    static let exifPointer: UInt16 = 0x8769
    static let gpsPointer: UInt16 = 0x8825
    /// TIFF tag 700: an XMP packet (bytes), as DNG and other TIFF-based files carry it.
    static let xmpTag: UInt16 = 0x02BC
    static let wanted: [Directory: Set<UInt16>] = [
        .ifd0: [0x0100, 0x0101, 0x010F, 0x0110, 0x0112, 0x0131, 0x0132],
        .exif: [0x9003, 0x9004, 0x9011, 0x9291, 0xA002, 0xA003, 0xA420, 0xA434],
        .gps: [0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x001D],
    ]

    /// Bytes per value of each TIFF field type.
    static let widths: [UInt16: Int] = [1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8]

    let source: MetadataSource
    /// Where the TIFF header starts; every offset inside is relative to it.
    let base: UInt64
    private(set) var littleEndian = false
    /// IFD0's XMP packet (tag 700), when present.
    private(set) var xmp: [UInt8]?
    private var visited: Set<UInt64> = []

    init(source: MetadataSource, base: UInt64) {
        self.source = source
        self.base = base
    }

    /// Every wanted tag found, by directory and tag number.
    mutating func read() throws -> [Directory: [UInt16: Entry]] {
        let header = try source.read(at: base, count: 8)
        switch (header[0], header[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: throw MetadataParseError(MetadataParseError.malformed, "the TIFF header has no II or MM byte order")
        }
        let fields = ByteFields(header, littleEndian: littleEndian)
        guard try fields.u16(2) == 42 else {
            throw MetadataParseError(MetadataParseError.malformed, "the TIFF header does not carry the number 42")
        }
        var result: [Directory: [UInt16: Entry]] = [:]
        let ifd0 = try readDirectory(at: UInt64(try fields.u32(4)), .ifd0)
        result[.ifd0] = ifd0.entries
        if let exif = ifd0.pointers[TIFFReader.exifPointer] {
            result[.exif] = try readDirectory(at: exif, .exif).entries
        }
        if let gps = ifd0.pointers[TIFFReader.gpsPointer] {
            result[.gps] = try readDirectory(at: gps, .gps).entries
        }
        return result
    }

    private mutating func readDirectory(at offset: UInt64, _ directory: Directory)
        throws -> (entries: [UInt16: Entry], pointers: [UInt16: UInt64]) {
        guard visited.insert(offset).inserted else {
            throw MetadataParseError(MetadataParseError.malformed, "EXIF directories point back at each other (offset \(offset))")
        }
        guard visited.count <= MetadataLimits.ifds else {
            throw MetadataParseError(MetadataParseError.limit, "more EXIF directories than the limit")
        }
        let countBytes = ByteFields(try source.read(at: base + offset, count: 2), littleEndian: littleEndian)
        let count = Int(try countBytes.u16(0))
        guard count <= MetadataLimits.ifdEntries else {
            throw MetadataParseError(MetadataParseError.limit, "an EXIF directory claims \(count) entries")
        }
        let table = ByteFields(try source.read(at: base + offset + 2, count: count * 12), littleEndian: littleEndian)
        var entries: [UInt16: Entry] = [:]
        var pointers: [UInt16: UInt64] = [:]
        let wanted = TIFFReader.wanted[directory] ?? []
        for index in 0..<count {
            let at = index * 12
            let tag = try table.u16(at)
            if directory == .ifd0, tag == TIFFReader.exifPointer || tag == TIFFReader.gpsPointer {
                pointers[tag] = UInt64(try table.u32(at + 8))
                continue
            }
            if directory == .ifd0, tag == TIFFReader.xmpTag, xmp == nil {
                let type = try table.u16(at + 2), count = Int(try table.u32(at + 4))
                guard type == 1 || type == 7, count > 4 else { continue }
                // The source refuses a count past the structure limit or the end of the file: a finding, not a read.
                xmp = try source.read(at: base + UInt64(try table.u32(at + 8)), count: count)
                continue
            }
            guard wanted.contains(tag), entries[tag] == nil else { continue }
            entries[tag] = try readEntry(table, at)
        }
        return (entries, pointers)
    }

    private func readEntry(_ table: ByteFields, _ at: Int) throws -> Entry? {
        let type = try table.u16(at + 2)
        let count = Int(try table.u32(at + 4))
        guard let width = TIFFReader.widths[type], count > 0 else { return nil }
        guard count <= 65_536 else {
            throw MetadataParseError(MetadataParseError.limit, "an EXIF tag claims \(count) values")
        }
        let length = width * count
        let data: ByteFields
        if length <= 4 {
            data = ByteFields(try table.slice(at + 8, length), littleEndian: littleEndian)
        } else {
            let offset = UInt64(try table.u32(at + 8))
            data = ByteFields(try source.read(at: base + offset, count: length), littleEndian: littleEndian)
        }
        if type == 2 || type == 7 {
            var bytes = data.bytes
            if let nul = bytes.firstIndex(of: 0) { bytes = Array(bytes[..<nul]) }
            let text = String(decoding: bytes, as: UTF8.self)
            return Entry(text: text, numbers: [], raw: text, negative: false)
        }
        var numbers: [Double] = []
        var spellings: [String] = []
        for index in 0..<count {
            let offset = index * width
            switch type {
            case 1: let v = try data.u8(offset); numbers.append(Double(v)); spellings.append("\(v)")
            case 6: let v = Int8(bitPattern: try data.u8(offset)); numbers.append(Double(v)); spellings.append("\(v)")
            case 3: let v = try data.u16(offset); numbers.append(Double(v)); spellings.append("\(v)")
            case 8: let v = Int16(bitPattern: try data.u16(offset)); numbers.append(Double(v)); spellings.append("\(v)")
            case 4: let v = try data.u32(offset); numbers.append(Double(v)); spellings.append("\(v)")
            case 9: let v = Int32(bitPattern: try data.u32(offset)); numbers.append(Double(v)); spellings.append("\(v)")
            case 5:
                let n = try data.u32(offset), d = try data.u32(offset + 4)
                numbers.append(d == 0 ? .nan : Double(n) / Double(d)); spellings.append("\(n)/\(d)")
            case 10:
                let n = Int32(bitPattern: try data.u32(offset)), d = Int32(bitPattern: try data.u32(offset + 4))
                numbers.append(d == 0 ? .nan : Double(n) / Double(d)); spellings.append("\(n)/\(d)")
            case 11:
                let v = Float(bitPattern: try data.u32(offset)); numbers.append(Double(v)); spellings.append("\(v)")
            default:
                let v = Double(bitPattern: try data.u64(offset)); numbers.append(v); spellings.append("\(v)")
            }
        }
        return Entry(text: nil, numbers: numbers, raw: spellings.joined(separator: " "),
                     negative: numbers.contains { $0 < 0 })
    }
}
