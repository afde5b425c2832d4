/// Walks a JPEG's marker segments up to the image data, seeking over each: EXIF from APP1, size from SOFn.
///
/// Only the segment headers and the Exif block are read; the compressed image is never touched.
struct JPEGReader {
    static let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]

    var exif: ExifValues.Tags?
    /// The XMP packet of the first APP1 segment that holds one.
    var xmp: [UInt8]?
    var width: Int?
    var height: Int?
    /// What stopped the EXIF reading, when the rest of the file could still be walked.
    var exifProblem: MetadataParseError?

    init(source: MetadataSource) throws {
        guard try source.read(at: 0, count: 2) == [0xFF, 0xD8] else {
            throw MetadataParseError(MetadataParseError.malformed, "the file does not start with a JPEG SOI marker")
        }
        var offset: UInt64 = 2
        for _ in 0..<MetadataLimits.boxes {
            let marker = try source.read(at: offset, count: 2)
            guard marker[0] == 0xFF else {
                throw MetadataParseError(MetadataParseError.malformed, "no JPEG marker at offset \(offset)")
            }
            let code = marker[1]
            if code == 0xFF { offset += 1; continue }  // fill byte
            if code == 0xD9 || code == 0xDA { return }  // EOI, or SOS: the image data begins
            if (0xD0...0xD7).contains(code) || code == 0x01 { offset += 2; continue }
            let length = Int(try ByteFields(try source.read(at: offset + 2, count: 2)).u16(0))
            guard length >= 2 else {
                throw MetadataParseError(MetadataParseError.malformed, "a JPEG segment at offset \(offset) has length \(length)")
            }
            let payload = offset + 4
            if code == 0xE1, exif == nil, exifProblem == nil, length >= 8,
               try source.read(at: payload, count: 6) == JPEGReader.exifHeader {
                let block = MetadataSource(bytes: try source.read(at: payload + 6, count: length - 8))
                var reader = TIFFReader(source: block, base: 0)
                do { exif = try reader.read() } catch let error as MetadataParseError { exifProblem = error }
            }
            let xmpHeader = XMPReader.jpegHeader
            if code == 0xE1, xmp == nil, length - 2 > xmpHeader.count,
               try source.read(at: payload, count: xmpHeader.count) == xmpHeader {
                xmp = try source.read(at: payload + UInt64(xmpHeader.count), count: length - 2 - xmpHeader.count)
            }
            if (0xC0...0xCF).contains(code), ![0xC4, 0xC8, 0xCC].contains(code), width == nil {
                let frame = ByteFields(try source.read(at: payload, count: 5))
                height = Int(try frame.u16(1))
                width = Int(try frame.u16(3))
            }
            offset = payload + UInt64(length - 2)
        }
        throw MetadataParseError(MetadataParseError.limit, "more JPEG segments than the limit")
    }
}
