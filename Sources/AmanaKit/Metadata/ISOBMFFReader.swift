/// Walks an MP4, MOV or M4A box tree (ISO BMFF and QuickTime), seeking from header to header.
///
/// Only `moov` and its metadata boxes are entered; media data (`mdat`) is stepped over by its size, never read.
/// Depth, box count and every box size are checked, so a looping, truncated or oversized box is a finding.
struct ISOBMFFReader {
    struct Track {
        var handler: String?
        var width: Double = 0
        var height: Double = 0
        var codec: String?
    }

    private(set) var majorBrand: String?
    private(set) var creation: UInt64?
    private(set) var modification: UInt64?
    private(set) var timescale: UInt32?
    private(set) var duration: UInt64?
    private(set) var tracks: [Track] = []
    /// `udta` QuickTime text atoms by four-character code (`©xyz`, `©mak`, `©mod`, `©swr`).
    private(set) var userText: [String: String] = [:]
    /// `loci`: latitude, longitude and altitude as stored (16.16 fixed point), with its raw spelling.
    private(set) var loci: (latitude: Double, longitude: Double, altitude: Double, raw: String)?
    /// `meta/keys` + `ilst` values by key name (`com.apple.quicktime.creationdate`).
    private(set) var keyed: [String: String] = [:]
    /// iTunes-style `ilst` text items by atom type (`©nam`, `©ART`, `©too`, `©day`), as M4A files carry them.
    private(set) var itunes: [String: String] = [:]
    /// The XMP packet of a `uuid` box with the XMP identifier.
    private(set) var xmp: [UInt8]?
    /// HEIF/HEIC (ISO 23008-12): the EXIF of the file's `Exif` item, found through `meta`/`iinf`/`iloc`.
    private(set) var exif: ExifValues.Tags?
    private(set) var exifProblem: MetadataParseError?
    /// What stopped the reading of a HEIF XMP item, when the rest of the file still stands.
    private(set) var xmpProblem: MetadataParseError?
    /// Item ids of `Exif` items and of XMP `mime` items (`iinf`), and where each item's bytes are (`iloc`).
    private var exifItems: [UInt32] = []
    private var xmpItems: [UInt32] = []
    private var locations: [UInt32: [(offset: UInt64, length: UInt64)]] = [:]

    private let source: MetadataSource
    private var boxes = 0
    private var keyNames: [String] = []
    private var keyedByIndex: [Int: String] = [:]

    static let containers: Set<String> = ["moov", "trak", "mdia", "minf", "stbl", "udta", "meta", "ilst", "edts"]
    static let textAtoms: Set<String> = ["\u{A9}xyz", "\u{A9}mak", "\u{A9}mod", "\u{A9}swr", "\u{A9}day"]

    init(source: MetadataSource) throws {
        self.source = source
        try walk(from: 0, to: source.size, depth: 0, parent: "")
        for (index, value) in keyedByIndex where index >= 1 && index <= keyNames.count {
            keyed[keyNames[index - 1]] = value
        }
        if let item = exifItems.first, let extents = locations[item] {
            do { exif = try readExifItem(extents) } catch let error as MetadataParseError { exifProblem = error }
        }
        // HEIF/AVIF keep XMP as a `mime` item; a `uuid` box (MP4) read during the walk comes first.
        if xmp == nil, let item = xmpItems.first, let extents = locations[item] {
            do { xmp = try readItem(extents, "XMP") } catch let error as MetadataParseError { xmpProblem = error }
        }
    }

    /// An `Exif` item: a 32-bit offset to the TIFF header (counted after those 4 bytes), then the TIFF structure.
    private func readExifItem(_ extents: [(offset: UInt64, length: UInt64)]) throws -> ExifValues.Tags {
        let bytes = try readItem(extents, "Exif")
        let skip = UInt64(try ByteFields(bytes).u32(0))
        guard skip <= UInt64(bytes.count) - 4 else {
            throw MetadataParseError(MetadataParseError.truncated, "the Exif item's TIFF header offset lies past its end")
        }
        var reader = TIFFReader(source: MetadataSource(bytes: Array(bytes[(4 + Int(skip))...])), base: 0)
        return try reader.read()
    }

    /// An item's bytes, its extents joined, at most ``MetadataLimits/structureBytes`` in all.
    private func readItem(_ extents: [(offset: UInt64, length: UInt64)], _ kind: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for extent in extents {
            guard extent.length <= UInt64(MetadataLimits.structureBytes - bytes.count) else {
                throw MetadataParseError(MetadataParseError.limit, "the \(kind) item is larger than the limit")
            }
            bytes += try source.read(at: extent.offset, count: Int(extent.length))
        }
        return bytes
    }

    /// Whether the file starts like an ISO BMFF or QuickTime file (`ftyp`, or a bare `moov`/`mdat`/`wide`/`free`).
    static func looksLike(_ head: [UInt8]) -> Bool {
        guard head.count >= 8 else { return false }
        return ["ftyp", "moov", "mdat", "wide", "free", "skip"].contains(fourCC(Array(head[4..<8])))
    }

    static func fourCC(_ bytes: [UInt8]) -> String {
        String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    private mutating func walk(from start: UInt64, to end: UInt64, depth: Int, parent: String) throws {
        guard depth <= MetadataLimits.boxDepth else {
            throw MetadataParseError(MetadataParseError.limit, "boxes nest deeper than \(MetadataLimits.boxDepth) levels")
        }
        var offset = start
        while end > offset, end - offset >= 8 {
            boxes += 1
            guard boxes <= MetadataLimits.boxes else {
                throw MetadataParseError(MetadataParseError.limit, "more boxes than the limit of \(MetadataLimits.boxes)")
            }
            let header = ByteFields(try source.read(at: offset, count: 8))
            var size = UInt64(try header.u32(0))
            let type = ISOBMFFReader.fourCC(try header.slice(4, 4))
            var headerSize: UInt64 = 8
            if size == 1 {
                size = try ByteFields(try source.read(at: offset + 8, count: 8)).u64(0)
                headerSize = 16
            } else if size == 0 {
                size = end - offset  // extends to the end of its parent
            }
            guard size >= headerSize else {
                throw MetadataParseError(MetadataParseError.malformed, "box '\(type)' at offset \(offset) has size \(size)")
            }
            guard size <= end - offset else {
                throw MetadataParseError(MetadataParseError.truncated,
                                         "box '\(type)' at offset \(offset) claims \(size) bytes, past the end of its parent")
            }
            try visit(type, payload: offset + headerSize, end: offset + size, depth: depth, parent: parent)
            offset += size
        }
    }

    private mutating func visit(_ type: String, payload: UInt64, end: UInt64, depth: Int, parent: String) throws {
        let length = end - payload
        func body(_ cap: Int = 4096) throws -> ByteFields {
            ByteFields(try source.read(at: payload, count: Int(min(length, UInt64(cap)))))
        }
        switch type {
        case "ftyp" where depth == 0:
            majorBrand = ISOBMFFReader.fourCC(try body(4).slice(0, 4))
        case "meta":
            // ISO meta is a full box (4 bytes of version and flags); QuickTime's is not: its first child follows.
            let peek = try body(8)
            let full = try peek.count < 8 || ISOBMFFReader.fourCC(peek.slice(4, 4)) != "hdlr"
            try walk(from: payload + (full ? 4 : 0), to: end, depth: depth + 1, parent: type)
        case "trak":
            tracks.append(Track())
            try walk(from: payload, to: end, depth: depth + 1, parent: type)
        case _ where ISOBMFFReader.containers.contains(type):
            try walk(from: payload, to: end, depth: depth + 1, parent: type)
        case "mvhd":
            let box = try body(32)
            if try box.u8(0) == 1 {
                (creation, modification) = (try box.u64(4), try box.u64(12))
                (timescale, duration) = (try box.u32(20), try box.u64(24))
            } else {
                (creation, modification) = (UInt64(try box.u32(4)), UInt64(try box.u32(8)))
                (timescale, duration) = (try box.u32(12), UInt64(try box.u32(16)))
            }
        case "tkhd" where !tracks.isEmpty:
            let box = try body(96)
            let at = try box.u8(0) == 1 ? 88 : 76
            tracks[tracks.count - 1].width = Double(try box.u32(at)) / 65_536
            tracks[tracks.count - 1].height = Double(try box.u32(at + 4)) / 65_536
        case "hdlr" where parent == "mdia" && !tracks.isEmpty:
            tracks[tracks.count - 1].handler = ISOBMFFReader.fourCC(try body(12).slice(8, 4))
        case "stsd" where !tracks.isEmpty:
            let box = try body(16)
            if try box.u32(4) > 0 { tracks[tracks.count - 1].codec = ISOBMFFReader.fourCC(try box.slice(12, 4)) }
        case _ where parent == "udta" && ISOBMFFReader.textAtoms.contains(type):
            userText[type] = try quickTimeText(try body())
        case "loci":
            try readLoci(try body())
        case "keys":
            try readKeys(try body(MetadataLimits.structureBytes))
        case "iinf" where parent == "meta":
            try readItemInfo(try body(MetadataLimits.structureBytes))
        case "iloc" where parent == "meta":
            try readItemLocations(try body(MetadataLimits.structureBytes))
        case "uuid" where xmp == nil && length > 16:
            if try source.read(at: payload, count: 16) == XMPReader.uuid {
                xmp = try source.read(at: payload + 16, count: Int(min(length - 16, UInt64(MetadataLimits.structureBytes))))
            }
        case _ where parent == "ilst" && type.hasPrefix("\u{A9}"):
            if let value = try dataValue(try body(MetadataLimits.structureBytes)) { itunes[type] = value }
        case _ where parent == "ilst":
            let index = Int(try ByteFields(Array(type.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })).u32(0))
            if let value = try dataValue(try body(MetadataLimits.structureBytes)) { keyedByIndex[index] = value }
        default:
            break
        }
    }

    /// `iinf`: a full box, an entry count, then `infe` boxes; version 2 and 3 entries name their item type.
    private mutating func readItemInfo(_ box: ByteFields) throws {
        let version = try box.u8(0)
        var at = version == 0 ? 6 : 8
        let count = Int(version == 0 ? UInt32(try box.u16(4)) : try box.u32(4))
        guard count <= MetadataLimits.boxes else {
            throw MetadataParseError(MetadataParseError.limit, "an iinf box claims \(count) items")
        }
        for _ in 0..<count {
            let size = Int(try box.u32(at))
            guard size >= 12, size <= box.count - at else {
                throw MetadataParseError(MetadataParseError.malformed, "an infe box at \(at) has size \(size)")
            }
            let entryVersion = try box.u8(at + 8)
            if entryVersion >= 2 {
                let id = entryVersion == 2 ? UInt32(try box.u16(at + 12)) : try box.u32(at + 12)
                let typeAt = at + 12 + (entryVersion == 2 ? 2 : 4) + 2
                let itemType = ISOBMFFReader.fourCC(try box.slice(typeAt, 4))
                if itemType == "Exif" { exifItems.append(id) }
                // A `mime` item names its content type after the item name (both NUL-ended); XMP is
                // `application/rdf+xml`, stored as it is (an item with a content encoding is not read).
                if itemType == "mime" {
                    let strings = try box.slice(typeAt + 4, at + size - typeAt - 4).split(separator: 0, omittingEmptySubsequences: false)
                    if strings.count >= 2, String(decoding: strings[1], as: UTF8.self) == "application/rdf+xml",
                       strings.count < 3 || strings[2].isEmpty { xmpItems.append(id) }
                }
            }
            at += size
        }
    }

    /// `iloc` (ISO 14496-12 section 8.11.3): each item's extents in the file. Items built another way (inside `idat`,
    /// or from other items) are not read.
    private mutating func readItemLocations(_ box: ByteFields) throws {
        let version = try box.u8(0)
        guard version <= 2 else { throw MetadataParseError(MetadataParseError.malformed, "iloc version \(version)") }
        let sizes = try box.u16(4)
        let offsetSize = Int(sizes >> 12), lengthSize = Int(sizes >> 8 & 0xF), baseSize = Int(sizes >> 4 & 0xF)
        let indexSize = version >= 1 ? Int(sizes & 0xF) : 0
        for width in [offsetSize, lengthSize, baseSize, indexSize] where ![0, 4, 8].contains(width) {
            throw MetadataParseError(MetadataParseError.malformed, "iloc field width \(width)")
        }
        func number(_ at: Int, _ width: Int) throws -> UInt64 {
            width == 0 ? 0 : width == 4 ? UInt64(try box.u32(at)) : try box.u64(at)
        }
        var at = 6
        let count = Int(version < 2 ? UInt32(try box.u16(at)) : try box.u32(at))
        at += version < 2 ? 2 : 4
        guard count <= MetadataLimits.boxes else {
            throw MetadataParseError(MetadataParseError.limit, "an iloc box claims \(count) items")
        }
        var extentsSeen = 0
        for _ in 0..<count {
            let id = version < 2 ? UInt32(try box.u16(at)) : try box.u32(at)
            at += version < 2 ? 2 : 4
            var method: UInt16 = 0
            if version >= 1 {
                method = try box.u16(at) & 0xF
                at += 2
            }
            at += 2  // data_reference_index
            let base = try number(at, baseSize)
            at += baseSize
            let extents = Int(try box.u16(at))
            at += 2
            // Zero-width fields make an extent cost no bytes, so the count alone must be bounded.
            extentsSeen += extents
            guard extentsSeen <= MetadataLimits.boxes else {
                throw MetadataParseError(MetadataParseError.limit, "an iloc box claims more extents than the limit")
            }
            var list: [(offset: UInt64, length: UInt64)] = []
            for _ in 0..<extents {
                at += indexSize
                let offset = try number(at, offsetSize), length = try number(at + offsetSize, lengthSize)
                at += offsetSize + lengthSize
                let (start, overflow) = base.addingReportingOverflow(offset)
                guard !overflow else { throw MetadataParseError(MetadataParseError.malformed, "an iloc offset overflows") }
                list.append((start, length))
            }
            if method == 0, exifItems.isEmpty && xmpItems.isEmpty || exifItems.contains(id) || xmpItems.contains(id) {
                locations[id] = list
            }
        }
    }

    /// A QuickTime international text atom: a 16-bit length, a 16-bit language, then the text.
    private func quickTimeText(_ box: ByteFields) throws -> String {
        let count = Int(try box.u16(0))
        if count > 0, count <= box.count - 4 { return String(decoding: try box.slice(4, count), as: UTF8.self) }
        return String(decoding: box.bytes, as: UTF8.self)  // some writers leave the prefix out
    }

    /// ISO 14496-12 / 3GPP `loci`: version and flags, language, a NUL-ended name, role, then three 16.16 numbers.
    private mutating func readLoci(_ box: ByteFields) throws {
        var at = 6
        if box.count >= 8, try box.u16(6) == 0xFEFF {
            while at + 1 < box.count, try box.u16(at) != 0 { at += 2 }
            at += 2
        } else {
            while at < box.count, try box.u8(at) != 0 { at += 1 }
            at += 1
        }
        at += 1  // role
        func fixed(_ offset: Int) throws -> (Double, String) {
            let bits = Int32(bitPattern: try box.u32(offset))
            return (Double(bits) / 65_536, String(bits))
        }
        let (longitude, lonRaw) = try fixed(at)
        let (latitude, latRaw) = try fixed(at + 4)
        let (altitude, altRaw) = try fixed(at + 8)
        loci = (latitude, longitude, altitude, "longitude \(lonRaw) latitude \(latRaw) altitude \(altRaw) (16.16)")
    }

    private mutating func readKeys(_ box: ByteFields) throws {
        let count = Int(try box.u32(4))
        guard count <= MetadataLimits.keys else {
            throw MetadataParseError(MetadataParseError.limit, "a keys box claims \(count) entries")
        }
        var at = 8
        keyNames = []
        for _ in 0..<count {
            let size = Int(try box.u32(at))
            guard size >= 8 else { throw MetadataParseError(MetadataParseError.malformed, "a keys entry has size \(size)") }
            keyNames.append(String(decoding: try box.slice(at + 8, size - 8), as: UTF8.self))
            at += size
        }
    }

    /// The first `data` box of an `ilst` item, when it holds UTF-8 text (well-known type 1).
    private func dataValue(_ item: ByteFields) throws -> String? {
        guard item.count >= 16 else { return nil }
        let size = Int(try item.u32(0))
        guard ISOBMFFReader.fourCC(try item.slice(4, 4)) == "data", size >= 16, size <= item.count else { return nil }
        guard try item.u32(8) & 0x00FF_FFFF == 1 else { return nil }
        return String(decoding: try item.slice(16, size - 16), as: UTF8.self)
    }
}
