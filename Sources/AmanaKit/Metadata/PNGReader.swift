/// Walks a PNG's chunks, seeking over each: size from IHDR, text from `tEXt` and uncompressed `iTXt`, EXIF from `eXIf`.
///
/// Image data (`IDAT`) is stepped over by its length, never read. Compressed text (`zTXt`, compressed `iTXt`) is not
/// inflated: a decompression bomb is not worth a Software tag.
struct PNGReader {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The text keywords Amana records (PNG specification section 11.3.4.2), highest priority first per field.
    static let keywords: [String: MetadataField] = ["Creation Time": .createTime, "Software": .software]
    static let xmpKeyword: [UInt8] = Array("XML:com.adobe.xmp".utf8) + [0]

    private(set) var width: Int?
    private(set) var height: Int?
    /// Keyword, chunk type and text, in file order.
    private(set) var texts: [(keyword: String, chunk: String, text: String)] = []
    private(set) var exif: ExifValues.Tags?
    /// The XMP packet of an uncompressed `iTXt` chunk with keyword `XML:com.adobe.xmp`.
    private(set) var xmp: [UInt8]?
    private(set) var exifProblem: MetadataParseError?

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
            case "tEXt", "iTXt":
                var chunk = try source.read(at: data, count: Int(min(length, 65_536)))
                // An XMP packet may be longer than any text Amana wants; it alone is read whole (within the limits).
                if type == "iTXt", xmp == nil, length > 65_536, chunk.starts(with: PNGReader.xmpKeyword) {
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

    private mutating func readText(_ chunk: ByteFields, _ type: String) throws {
        let bytes = chunk.bytes
        guard let nul = bytes.firstIndex(of: 0) else { return }
        let keyword = String(decoding: bytes[..<nul], as: UTF8.self)
        let isXMP = type == "iTXt" && keyword == "XML:com.adobe.xmp"
        guard PNGReader.keywords[keyword] != nil || isXMP else { return }
        if type == "tEXt" {
            // tEXt is Latin-1.
            texts.append((keyword, type, String(bytes[(nul + 1)...].map { Character(Unicode.Scalar($0)) })))
            return
        }
        // iTXt: compression flag, method, language NUL, translated keyword NUL, UTF-8 text.
        guard bytes.count > nul + 2, bytes[nul + 1] == 0 else { return }
        var at = nul + 3
        for _ in 0..<2 {
            guard let end = bytes[at...].firstIndex(of: 0) else { return }
            at = end + 1
        }
        if isXMP {
            xmp = Array(bytes[at...])
            return
        }
        texts.append((keyword, type, String(decoding: bytes[at...], as: UTF8.self)))
    }
}
