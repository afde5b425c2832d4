import Foundation

/// Entry points for the metadata fuzz targets (Sources/amana-fuzz/MetadataTargets.swift): one per parser, each fed
/// bytes held in memory, so a target reaches its parser whatever the first bytes are.
package enum MetadataFuzzing {
    /// The parsers a target can name.
    package static let formats = ["jpeg", "tiff", "png", "isobmff", "wav", "mp3", "pdf", "xmp", "pdf-stream"]

    /// Runs one parser over `bytes`; a parse error is the expected outcome for most inputs and is dropped.
    package static func parse(_ format: String, _ bytes: [UInt8]) {
        let source = MetadataSource(bytes: bytes)
        switch format {
        case "jpeg": _ = try? JPEGReader(source: source).xmp.map { XMPReader($0).values }
        case "tiff":
            var reader = TIFFReader(source: source, base: 0)
            _ = (try? reader.read()).map { ExifValues($0).values }
        case "png": _ = try? PNGReader(source: source)
        case "isobmff": _ = (try? ISOBMFFReader(source: source)).map { QuickTimeValues($0).values }
        case "wav": _ = try? RIFFReader(source: source)
        case "mp3": _ = try? MP3Reader(source: source)
        case "pdf": _ = try? PDFReader(source: source)
        case "xmp": _ = XMPReader(bytes).values
        case "pdf-stream":
            // A stream dictionary, a line feed, then the stored bytes: the filter and predictor decoding alone.
            let split = bytes.firstIndex(of: 0x0A) ?? bytes.count
            var decoder = PDFStreamDecoder()
            _ = try? decoder.decode(Array(bytes[min(split + 1, bytes.count)...]), dictionary: Array(bytes[..<split]))
        default: break
        }
        // And the whole reader, which dispatches on the first bytes and applies the flag rules.
        _ = MetadataReader.read(bytes: bytes, now: Date(timeIntervalSince1970: 1_800_000_000))
    }
}
