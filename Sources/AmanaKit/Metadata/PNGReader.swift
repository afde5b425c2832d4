/// Walks a PNG's chunks, seeking over each: size from IHDR, text from `tEXt`, `zTXt` and `iTXt`, EXIF from `eXIf`.
///
/// Image data (`IDAT`) is stepped over by its length, never read. Compressed text (`zTXt`, compressed `iTXt`: exiftool
/// writes a long Software tag as `zTXt` with `-z`) is inflated only for the keywords Amana records, and within one
/// budget for the whole file (``MetadataLimits/inflatedBytes``, the PDF's): a decompression bomb is a
/// `metadata.parse.limit` finding, never the memory it claims.
struct PNGReader {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The text keywords Amana records (PNG specification section 11.3.4.2), highest priority first per field.
    static let keywords: [String: MetadataField] = ["Creation Time": .createTime, "Software": .software]

    private(set) var width: Int?
    private(set) var height: Int?
    /// Keyword, chunk type and text, in file order.
    private(set) var texts: [(keyword: String, chunk: String, text: String)] = []
    private(set) var exif: ExifValues.Tags?
    /// The XMP packet of an `iTXt` chunk with keyword `XML:com.adobe.xmp` (inflated when compressed).
    private(set) var xmp: [UInt8]?
    private(set) var exifProblem: MetadataParseError?
    /// What compressed text may still inflate to, all chunks of the file together.
    private var inflateBudget = MetadataLimits.inflatedBytes
    /// The longest text (other than XMP) a compressed chunk may inflate to: an uncompressed one is read up to 64 KiB.
    static let textLimit = 65_536

    init(source: MetadataSource) throws {
        guard try source.read(at: 0, count: 8) == PNGReader.signature else {
            throw MetadataParseError(MetadataParseError.malformed, "the file does not start with the PNG signature")
        }
        var offset: UInt64 = 8
        for _ in 0..<MetadataLimits.boxes {
            guard source.size - offset >= 12 else { return }  // no room for another chunk: the file simply ends
            let header = ByteFields(try source.read(at: offset, count: 8))
            let length = UInt64(try header.u32(0))
            let type = ISOBMFFReader.fourCC(try header.slice(4, 4))
            guard length <= source.size - offset - 12 else {
                throw MetadataParseError(MetadataParseError.truncated, "PNG chunk '\(type)' at offset \(offset) runs past the end")
            }
            let data = offset + 8
            switch type {
            case "IHDR":
                let ihdr = ByteFields(try source.read(at: data, count: 8))
                (width, height) = (Int(try ihdr.u32(0)), Int(try ihdr.u32(4)))
            case "tEXt", "iTXt", "zTXt":
                var chunk = try source.read(at: data, count: Int(min(length, 65_536)))
                // An XMP packet may be longer than any text Amana wants; it is read whole (within the limits), and
                // so is an `iTXt` or `zTXt` chunk Amana records, whose compressed text must be whole to inflate.
                let keyword = PNGReader.keyword(chunk)
                if length > 65_536, type != "tEXt",
                   PNGReader.keywords[keyword] != nil || (type == "iTXt" && xmp == nil && keyword == "XML:com.adobe.xmp") {
                    chunk = try source.read(at: data, count: Int(length))
                }
                try readText(ByteFields(chunk), type)
            case "eXIf" where exif == nil:
                var reader = TIFFReader(source: MetadataSource(bytes: try source.read(at: data, count: Int(length))), base: 0)
                do { exif = try reader.read() } catch let error as MetadataParseError { exifProblem = error }
            case "IEND":
                return
            default:
                break
            }
            offset = data + length + 4
        }
        throw MetadataParseError(MetadataParseError.limit, "more PNG chunks than the limit")
    }

    /// A text chunk's keyword: the bytes before its first NUL (empty when there is none).
    static func keyword(_ chunk: [UInt8]) -> String {
        guard let nul = chunk.firstIndex(of: 0) else { return "" }
        return String(decoding: chunk[..<nul], as: UTF8.self)
    }

    private static func latin1<S: Sequence<UInt8>>(_ bytes: S) -> String {
        String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    private mutating func readText(_ chunk: ByteFields, _ type: String) throws {
        let bytes = chunk.bytes
        guard let nul = bytes.firstIndex(of: 0) else { return }
        let keyword = String(decoding: bytes[..<nul], as: UTF8.self)
        let isXMP = type == "iTXt" && keyword == "XML:com.adobe.xmp"
        guard PNGReader.keywords[keyword] != nil || isXMP else { return }
        switch type {
        case "tEXt":
            // tEXt is Latin-1.
            texts.append((keyword, type, PNGReader.latin1(bytes[(nul + 1)...])))
        case "zTXt":
            // zTXt: compression method (0, zlib, the only one defined), then the compressed Latin-1 text.
            guard bytes.count > nul + 1, bytes[nul + 1] == 0 else { return }
            texts.append((keyword, type, PNGReader.latin1(try inflate(bytes[(nul + 2)...], cap: PNGReader.textLimit))))
        default:
            // iTXt: compression flag (0 or 1), method (0), language NUL, translated keyword NUL, UTF-8 text.
            guard bytes.count > nul + 2 else { return }
            let compressed = bytes[nul + 1]
            guard compressed == 0 || (compressed == 1 && bytes[nul + 2] == 0) else { return }
            var at = nul + 3
            for _ in 0..<2 {
                guard let end = bytes[at...].firstIndex(of: 0) else { return }
                at = end + 1
            }
            var text = Array(bytes[at...])
            if compressed == 1 { text = try inflate(text[...], cap: isXMP ? inflateBudget : PNGReader.textLimit) }
            if isXMP {
                xmp = text
                return
            }
            texts.append((keyword, type, String(decoding: text, as: UTF8.self)))
        }
    }

    /// Inflates one chunk's compressed text, within `cap` and what is left of the file's budget.
    private mutating func inflate(_ bytes: ArraySlice<UInt8>, cap: Int) throws -> [UInt8] {
        let text = try Inflater.inflate(Array(bytes), limit: min(cap, inflateBudget))
        inflateBudget -= text.count
        return text
    }
}
