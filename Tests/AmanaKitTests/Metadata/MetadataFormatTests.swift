@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// WAV, MP3, PDF, M4A item lists and XMP: each parser reads its seed file (the fuzz seeds under
/// fixtures/fuzz/corpus/metadata-*), and hostile variants of it (truncated, looping, sizes past the end, huge counts)
/// each get a finding in bounded time.
final class MetadataFormatTests: XCTestCase {
    static func seed(_ target: String, _ name: String) throws -> [UInt8] {
        try readBytes(TestEnvironment.packageRoot.appendingPathComponent("fixtures/fuzz/corpus/\(target)/\(name)").path)
    }

    private func read(_ bytes: [UInt8], _ name: String, acquired: Date? = nil) throws -> MetadataRecord {
        let folder = TemporaryFolder()
        let path = try folder.write(name, bytes)
        let start = Date()
        let record = try MetadataReader.read(path: path, name: name, acquisitionTime: acquired)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2, "\(name) took too long")
        return record
    }

    private func value(_ record: MetadataRecord, _ source: String) -> String? {
        record.values.first { $0.source == source }?.normalised
    }

    func testWAVDurationAndInfoTags() throws {
        let record = try read(try Self.seed("metadata-wav", "info.wav"), "a.wav")
        XCTAssertEqual(record.subject.format, "wav")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(value(record, "wav:data/fmt.byte_rate"), "0.001")
        XCTAssertEqual(value(record, "riff:INFO/INAM"), "Name")
        XCTAssertEqual(value(record, "riff:INFO/ISFT"), "Tool")
    }

    func testWAVChunkPastTheEndIsAFinding() throws {
        var bytes = try Self.seed("metadata-wav", "info.wav")
        bytes.replaceSubrange(16..<20, with: [0xFF, 0xFF, 0xFF, 0x7F])  // the fmt chunk's size
        XCTAssertEqual(try read(bytes, "big.wav").findings.map(\.code), ["metadata.parse.truncated"])
    }

    func testMP3TagsAndXingDuration() throws {
        let record = try read(try Self.seed("metadata-mp3", "xing.mp3"), "a.mp3")
        XCTAssertEqual(record.subject.format, "mp3")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(value(record, "id3v2.3:TIT2"), "Title")
        XCTAssertEqual(value(record, "id3v2.3:TDRC"), "2024", "a year alone is kept as written")
        // 100 frames of 1152 samples at 44.1 kHz.
        XCTAssertEqual(value(record, "mp3:Xing.frames"), "2.612")
    }

    func testMP3FrameWalkWithoutXing() throws {
        var bytes = try Self.seed("metadata-mp3", "xing.mp3")
        let xing = bytes.indices.first { Array(bytes[$0..<min($0 + 4, bytes.count)]) == Array("Xing".utf8) }!
        bytes.replaceSubrange(xing..<xing + 4, with: Array("none".utf8))
        let record = try read(bytes, "walk.mp3")
        XCTAssertEqual(value(record, "mp3:frames"), "0.052", "two whole frames of 1152 samples")
    }

    func testMP3FrameWalkStopsAtItsBoundAndFallsBackToTheBitRate() throws {
        // 3,000 frames of MPEG-2.5 layer III at 8 kbit/s and 8 kHz (72 bytes each): more than the 2,000 walked.
        let frame: [UInt8] = [0xFF, 0xE3, 0x18, 0xC4] + [UInt8](repeating: 0, count: 68)
        let bytes = Array([[UInt8]](repeating: frame, count: 3_000).joined())
        let record = try read(bytes, "long.mp3")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(record.first(.duration)?.source, "mp3:bytes/bitrate")
        XCTAssertEqual(record.first(.duration)?.normalised, "216", "216,000 bytes at 8,000 bit/s")
        let short = try read(Array(bytes.prefix(72 * 100)), "short.mp3")
        XCTAssertEqual(short.first(.duration)?.source, "mp3:frames")
        XCTAssertEqual(short.first(.duration)?.normalised, "7.2", "100 frames of 576 samples at 8 kHz")
    }

    func testID3SizePastTheEndAndHugeFrameAreFindings() throws {
        var tag = try Self.seed("metadata-mp3", "xing.mp3")
        tag.replaceSubrange(6..<10, with: [0x7F, 0x7F, 0x7F, 0x7F])
        XCTAssertEqual(try read(tag, "tag.mp3").findings.map(\.code), ["metadata.parse.truncated"])
        var frame = try Self.seed("metadata-mp3", "xing.mp3")
        frame.replaceSubrange(14..<18, with: [0xFF, 0xFF, 0xFF, 0xF0])  // TIT2's size
        XCTAssertEqual(try read(frame, "frame.mp3").findings.map(\.code), ["metadata.parse.truncated"])
    }

    func testPDFInfoDictionaryAndUncompressedXMP() throws {
        let record = try read(try Self.seed("metadata-pdf", "info-xmp.pdf"), "a.pdf")
        XCTAssertEqual(record.subject.format, "pdf")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(value(record, "pdf:Info/CreationDate"), "2024-05-01T10:20:30+02:00")
        XCTAssertEqual(value(record, "pdf:Info/ModDate"), "2024-05-02T00:00:00")
        XCTAssertEqual(value(record, "pdf:Info/Producer"), "Writer (1.0)")
        XCTAssertEqual(value(record, "pdf:Info/Creator"), "Test", "UTF-16BE with a byte order mark")
        XCTAssertEqual(value(record, "xmp:xmp:CreatorTool"), "Camera 1.0")
    }

    func testPDFWithoutStartxrefOrWithAStartxrefAtAnotherObjectIsAFinding() throws {
        let seed = try Self.seed("metadata-pdf", "info-xmp.pdf")
        XCTAssertEqual(try read(Array(seed.prefix(200)), "cut.pdf").findings.map(\.code), ["metadata.parse.malformed"])
        // startxref pointing at an object that is neither a table nor a cross-reference stream (MetadataPDFStreamTests
        // reads real cross-reference streams).
        var text = String(decoding: seed, as: UTF8.self)
        let mark = text.range(of: "startxref\n")!
        text.replaceSubrange(mark.upperBound..<text.index(mark.upperBound, offsetBy: 3), with: "9\n\n")
        XCTAssertEqual(try read(Array(text.utf8), "stream.pdf").findings.map(\.code), ["metadata.parse.malformed"])
    }

    func testPDFWithALargeCrossReferenceTableIsReadBySeeking() throws {
        // 6,000 entries (120 KB): the table is seeked over, not read, and the one entry wanted is read alone.
        var out = Array("%PDF-1.4\n".utf8)
        let info = out.count
        out += Array("1 0 obj\n<< /Producer (Big) >>\nendobj\n".utf8)
        let xref = out.count
        out += Array("xref\n0 6000\n0000000000 65535 f \n".utf8)
        out += Array(String(format: "%010d 00000 n \n", info).utf8)
        for _ in 2..<6000 { out += Array("0000000000 65535 f \n".utf8) }
        out += Array("trailer\n<< /Size 6000 /Info 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        let record = try read(out, "big.pdf")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(value(record, "pdf:Info/Producer"), "Big")
        // A subsection that claims more entries than the file holds is a finding.
        let text = String(decoding: out, as: UTF8.self).replacingOccurrences(of: "0 6000\n", with: "0 9999999\n")
        XCTAssertEqual(try read(Array(text.utf8), "short.pdf").findings.map(\.code), ["metadata.parse.truncated"])
    }

    func testPDFPrevChainThatLoopsIsAFinding() throws {
        var text = String(decoding: try Self.seed("metadata-pdf", "info-xmp.pdf"), as: UTF8.self)
        let xref = text.range(of: "xref\n0 5")!.lowerBound.utf16Offset(in: text)
        text = text.replacingOccurrences(of: "/Size 5 ", with: "/Size 5 /Prev \(xref) ")
        XCTAssertEqual(try read(Array(text.utf8), "loop.pdf").findings.map(\.code), ["metadata.parse.malformed"])
    }

    func testM4AItemListAndXMPInAUUIDBox() throws {
        let record = try read(try Self.seed("metadata-isobmff", "ilst-xmp.m4a"), "a.m4a")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(value(record, "itunes:ilst/\u{A9}nam"), "Title")
        XCTAssertEqual(value(record, "xmp:xmp:CreateDate"), "2024-05-01T10:20:30+02:00")
    }

    func testXMPInJPEGAndPNGComesAfterTheNativeValues() throws {
        let jpeg = try read(try Self.seed("metadata-jpeg", "exif-xmp.jpg"), "a.jpg")
        XCTAssertEqual(jpeg.first(.make)?.source, "exif:Make", "EXIF keeps priority over XMP")
        XCTAssertEqual(jpeg.all(.make).map(\.source), ["exif:Make", "xmp:tiff:Make"])
        XCTAssertEqual(value(jpeg, "xmp:photoshop:DateCreated"), "2024-05-01")
        XCTAssertEqual(value(jpeg, "xmp:exif:GPSLatitude"), "36.2083333")
        XCTAssertEqual(value(jpeg, "xmp:exif:GPSLongitude"), "-115.1375")
        let png = try read(try Self.seed("metadata-png", "xmp.png"), "a.png")
        XCTAssertEqual(png.findings, [])
        XCTAssertEqual(value(png, "xmp:xmp:CreatorTool"), "Camera 1.0")
        XCTAssertEqual(value(png, "png:tEXt/Software"), "Tool")
    }

    /// Compressed PNG text: a `zTXt` (Latin-1) and a compressed `iTXt` (UTF-8), and XMP in a compressed `iTXt`, are
    /// read as their uncompressed forms are; a method other than zlib (0) is passed over.
    func testCompressedPNGTextIsInflated() throws {
        let xmp = Array(("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
            + "<rdf:Description xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmp:CreatorTool=\"Packed Camera\"/>"
            + "</rdf:RDF></x:xmpmeta>").utf8)
        let png = MetadataFixtures.png(width: 3, height: 2, chunks: [
            MetadataFixtures.pngChunk("zTXt", Array("Software".utf8) + [0, 0] + zlibCompress([0x45, 0x64, 0x69, 0x74, 0xE9])),
            MetadataFixtures.pngChunk("iTXt", Array("Creation Time".utf8) + [0, 1, 0] + Array("en".utf8) + [0, 0]
                + zlibCompress(Array("2024-05-01T10:20:30+02:00".utf8))),
            MetadataFixtures.pngChunk("iTXt", Array("XML:com.adobe.xmp".utf8) + [0, 1, 0, 0, 0] + zlibCompress(xmp)),
            MetadataFixtures.pngChunk("zTXt", Array("Software".utf8) + [0, 7] + zlibCompress(Array("other method".utf8))),
        ])
        let record = try read(png, "packed.png")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(record.all(.software).map(\.source).filter { $0.hasPrefix("png:") }, ["png:zTXt/Software"],
                       "the unknown method is passed over")
        XCTAssertEqual(value(record, "png:zTXt/Software"), "Edit\u{E9}", "zTXt is Latin-1")
        XCTAssertEqual(record.first(.createTime)?.source, "png:iTXt/Creation Time")
        XCTAssertEqual(record.first(.createTime)?.normalised, "2024-05-01T10:20:30+02:00")
        XCTAssertEqual(value(record, "xmp:xmp:CreatorTool"), "Packed Camera")
    }

    func testXMPReaderIsStrictAboutPrefixes() {
        let packet = Array(#"<d myxmp:CreateDate="2001-01-01" xmp:CreatorTool='A &amp; B'><xmp:ModifyDate><b/></xmp:ModifyDate></d>"#.utf8)
        let values = XMPReader(packet).values
        XCTAssertEqual(values.map(\.source), ["xmp:xmp:CreatorTool"], "no prefix match inside a longer name; no nested element")
        XCTAssertEqual(values.first?.normalised, "A & B")
    }

    func testAcquisitionTimeFlagsLaterCaptures() throws {
        XCTAssertNil(MetadataReader.acquisitionTime("2024-05-01T10:00:00"), "a time without a zone is refused")
        let acquired = try XCTUnwrap(MetadataReader.acquisitionTime("2024-04-30T00:00:00Z"))
        let record = try read(try Self.seed("metadata-pdf", "info-xmp.pdf"), "late.pdf", acquired: acquired)
        XCTAssertTrue(record.observations.map(\.code).contains("metadata.flag.capture-after-acquisition"), "\(record.observations)")
    }

    func testEveryFuzzSeedReadsWithoutAFinding() throws {
        // xmp and pdf-stream seeds are fragments (a packet, a stream), not files.
        for format in MetadataFuzzing.formats where format != "xmp" && format != "pdf-stream" {
            let folder = TestEnvironment.packageRoot.appendingPathComponent("fixtures/fuzz/corpus/metadata-\(format)").path
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                let record = try read(try readBytes("\(folder)/\(name)"), name)
                XCTAssertEqual(record.findings, [], name)
                XCTAssertNotEqual(record.subject.format, "unknown", name)
            }
        }
    }

    typealias F = MetadataFixtures

    /// A HEIF file whose top-level `meta` holds `iinf` and `iloc` as given.
    private func heif(iinf: [UInt8], iloc: [UInt8]) -> [UInt8] {
        let hdlr = F.box("hdlr", [UInt8](repeating: 0, count: 8) + Array("pict".utf8) + [UInt8](repeating: 0, count: 13))
        return F.box("ftyp", Array("heic".utf8) + F.be32(0)) + F.box("meta", [0, 0, 0, 0] + hdlr + iinf + iloc)
    }

    private var exifItemInfo: [UInt8] {
        let infe = F.box("infe", [2, 0, 0, 0] + F.be16(1) + F.be16(0) + Array("Exif".utf8) + [0])
        return F.box("iinf", [0, 0, 0, 0] + F.be16(1) + infe)
    }

    func testHEIFExifItemIsReadThroughItsLocation() throws {
        let record = try read(try Self.seed("metadata-isobmff", "exif-item.avif"), "a.avif")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(value(record, "exif:Make"), "TestMake")
        XCTAssertEqual(record.first(.captureTime)?.normalised, "2024-05-01T10:20:30+02:00")
    }

    func testHEIFItemLocationsThatCostNothingPerExtentHitTheLimit() throws {
        // iloc version 0 with every field width 0: an extent takes no bytes, so only the count bounds the work.
        let iloc = F.box("iloc", [0, 0, 0, 0, 0, 0] + F.be16(1) + F.be16(1) + F.be16(0) + F.be16(0xFFFF))
        XCTAssertEqual(try read(heif(iinf: exifItemInfo, iloc: iloc), "extents.heic").findings.map(\.code),
                       ["metadata.parse.limit"])
    }

    func testHEIFExifItemPastTheEndIsAFinding() throws {
        // Offsets and lengths 4 bytes wide; the Exif item claims 64 bytes at offset 0x7000_0000.
        let iloc = F.box("iloc", [0, 0, 0, 0, 0x44, 0x00] + F.be16(1) + F.be16(1) + F.be16(0) + F.be16(1)
                         + F.be32(0x7000_0000) + F.be32(64))
        let record = try read(heif(iinf: exifItemInfo, iloc: iloc), "far.heic")
        XCTAssertEqual(record.findings.map(\.code), ["metadata.parse.truncated"])
        XCTAssertTrue(record.findings[0].message.hasPrefix("HEIF Exif item: "), record.findings[0].message)
    }

    /// The byte scanner in `MetadataTime.exif` against the plain reading it replaced (split, then `Int`).
    func testEXIFTimeScannerAgreesWithSplittingAndIntParsing() {
        func reference(_ text: String) -> [Int]? {
            let groups = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { ":- T".contains($0) })
            guard groups.count >= 6 else { return nil }
            let numbers = groups.prefix(6).compactMap { Int($0) }
            return numbers.count == 6 ? numbers : nil
        }
        let cases = ["2024:05:01 10:20:30", " 2024-05-01T10:20:30 ", "2024:05:01 10:20:30+02:00", "2024:05:01 10:20:30Z",
                     "2024:05:01 10:20", "2024::05:01  10:20:30", "+2024:05:01 10:20:30", "2024:05:01 10:20:+",
                     "2024:05:01 10:20:3a", "2024:05:01\t10:20:30", "99999999999999999999:01:01 00:00:00",
                     "2024:05:01 10:20:30:99", "0000:00:00 00:00:00", "2024:05:01 10:20:30.5", "", "    ",
                     "2024:05:01 10:20:30 extra words", "2024:05:01 1０:20:30"]
        for text in cases {
            let ours = MetadataTime.exif(text).map { [$0.year, $0.month, $0.day, $0.hour, $0.minute, $0.second] }
            let expected = reference(text).flatMap { n in
                MetadataTime(year: n[0], month: n[1], day: n[2], hour: n[3], minute: n[4], second: n[5]).isValid ? n : nil
            }
            XCTAssertEqual(ours, expected, text)
        }
    }

    /// `MetadataTime.iso8601` reads printable ASCII on bytes; it must agree with the reading by characters it replaced.
    func testISO8601ByteReadingAgreesWithTheCharacterReading() {
        func reference(_ text: String) -> MetadataTime? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.count >= 19 else { return nil }
            var time = MetadataTime.exif(String(trimmed.prefix(19)))
            var rest = trimmed.dropFirst(19)
            if rest.first == "." { rest = rest.drop(while: { $0 == "." || $0.isNumber }) }
            if rest.isEmpty { return time }
            if rest == "Z" {
                time?.offset = 0
            } else if let offset = MetadataTime.parseOffset(String(rest)) {
                time?.offset = offset
            } else {
                return nil
            }
            return time
        }
        var cases = ["2024-05-01T10:20:30", "2024-05-01T10:20:30Z", "2024-05-01T10:20:30+02:00", "2024-05-01T10:20:30-0330",
                     " 2024-05-01T10:20:30.123Z ", "2024-05-01T10:20:30.5.6+01:00", "2024-05-01T10:20:30ZZ",
                     "2024-05-01T10:20:3", "2024-05-01T10:20:30+2", "2024:05:01 10:20:30", "2024-05-01T10:20:30 +02:00",
                     "2024-13-01T10:20:30Z", "", "2024-05-01T10:20:30\u{2003}", "2024-05-01T10:20:30\r\n"]
        var generator = SystemRandomNumberGenerator()
        let pool = Array("0123456789-:T.Z+ 5\t")
        for _ in 0..<2_000 {
            var text = Array("2024-05-01T10:20:30")
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                let at = Int.random(in: 0...text.count, using: &generator)
                text.insert(pool.randomElement(using: &generator)!, at: at)
            }
            cases.append(String(text))
        }
        for text in cases { XCTAssertEqual(MetadataTime.iso8601(text), reference(text), text) }
    }
}
