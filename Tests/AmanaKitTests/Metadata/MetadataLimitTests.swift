@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// One hostile file per limit of spec/threat-model.md section 7 that no other test reaches: each stops at its limit
/// with a `metadata.parse.limit` finding that names it, in bounded time.
final class MetadataLimitTests: XCTestCase {
    typealias F = MetadataFixtures

    private func read(_ bytes: [UInt8], _ name: String) throws -> MetadataRecord {
        let folder = TemporaryFolder()
        let path = try folder.write(name, bytes)
        let start = Date()
        let record = try MetadataReader.read(path: path)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2, "\(name) took too long")
        return record
    }

    /// Five top-level `keys` boxes of 4 MiB each: every one is read whole (a structure at its limit), and the fifth
    /// passes the 16 MiB a file may cost.
    func testBytesReadPerFileLimit() throws {
        let size = MetadataLimits.structureBytes
        let keys = F.be32(UInt32(size)) + Array("keys".utf8) + [UInt8](repeating: 0, count: size - 8)
        let file = F.box("ftyp", Array("qt  ".utf8) + F.be32(0)) + Array([[UInt8]](repeating: keys, count: 5).joined())
        let record = try read(file, "heavy.mov")
        XCTAssertEqual(record.findings.map(\.code), [MetadataParseError.limit])
        XCTAssertTrue(record.findings[0].message.contains("bytes read"), record.findings[0].message)
    }

    /// APP1 segments that are neither Exif nor XMP cost four reads each (marker, length, two header checks): 6,000 of
    /// them pass the 20,000 reads a file may cost before the segment limit.
    func testReadsPerFileLimit() throws {
        let app1 = [0xFF, 0xE1] + F.be16(2 + 32) + [UInt8](repeating: UInt8(ascii: "x"), count: 32)
        let file = [0xFF, 0xD8] + Array([[UInt8]](repeating: app1, count: 6_000).joined()) + [0xFF, 0xD9]
        let record = try read(file, "many.jpg")
        XCTAssertEqual(record.findings.map(\.code), [MetadataParseError.limit])
        XCTAssertTrue(record.findings[0].message.contains("reads"), record.findings[0].message)
    }

    private func heif(_ itemType: String, extra: [UInt8], length: UInt32) -> [UInt8] {
        let hdlr = F.box("hdlr", [UInt8](repeating: 0, count: 8) + Array("pict".utf8) + [UInt8](repeating: 0, count: 13))
        let infe = F.box("infe", [2, 0, 0, 0] + F.be16(1) + F.be16(0) + Array(itemType.utf8) + [0] + extra)
        let iinf = F.box("iinf", [0, 0, 0, 0] + F.be16(1) + infe)
        let iloc = F.box("iloc", [0, 0, 0, 0, 0x44, 0x00] + F.be16(1) + F.be16(1) + F.be16(0) + F.be16(1)
                         + F.be32(0) + F.be32(length))
        return F.box("ftyp", Array("heic".utf8) + F.be32(0)) + F.box("meta", [0, 0, 0, 0] + hdlr + iinf + iloc)
    }

    /// An Exif item of 5 MiB: larger than one structure may be, refused before anything is read.
    func testStructureSizeLimit() throws {
        let record = try read(heif("Exif", extra: [], length: UInt32(MetadataLimits.structureBytes + (1 << 20))), "big.heic")
        XCTAssertEqual(record.findings.map(\.code), [MetadataParseError.limit])
        XCTAssertTrue(record.findings[0].message.hasPrefix("HEIF Exif item: "), record.findings[0].message)
    }

    /// The XMP `mime` item has the same bounds: past the limit, and past the end of the file.
    func testHEIFXMPItemLimitsAndTruncation() throws {
        let mime = Array("application/rdf+xml".utf8) + [0]
        let big = try read(heif("mime", extra: mime, length: UInt32(MetadataLimits.structureBytes + 1)), "xmp.heic")
        XCTAssertEqual(big.findings.map(\.code), [MetadataParseError.limit])
        XCTAssertTrue(big.findings[0].message.hasPrefix("HEIF XMP item: "), big.findings[0].message)
        let far = try read(heif("mime", extra: mime, length: 1 << 20), "far.heic")
        XCTAssertEqual(far.findings.map(\.code), [MetadataParseError.truncated])
        // Another content type is not XMP, and is not read at all.
        let other = try read(heif("mime", extra: Array("image/jpeg".utf8) + [0], length: 1 << 20), "jpeg.heic")
        XCTAssertEqual(other.findings, [])
    }

    /// 10,001 empty chunks, segments or frames in each format that walks them: the walk stops at the limit.
    func testChunkCountLimitInPNGRIFFAndID3() throws {
        let extra = MetadataLimits.boxes + 1
        let png = F.png(width: 1, height: 1, chunks: [[UInt8]](repeating: F.pngChunk("abCd", []), count: extra))
        XCTAssertEqual(try read(png, "chunks.png").findings.map(\.code), [MetadataParseError.limit])
        let junk = Array("junk".utf8) + [0, 0, 0, 0]
        let wav = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WAVE".utf8) + Array([[UInt8]](repeating: junk, count: extra).joined())
        XCTAssertEqual(try read(wav, "chunks.wav").findings.map(\.code), [MetadataParseError.limit])
        let frames = Array([[UInt8]](repeating: Array("TXXX".utf8) + [0, 0, 0, 0, 0, 0], count: extra).joined())
        let size = frames.count
        let syncSafe: [UInt8] = [UInt8(size >> 21 & 0x7F), UInt8(size >> 14 & 0x7F), UInt8(size >> 7 & 0x7F), UInt8(size & 0x7F)]
        let mp3 = Array("ID3".utf8) + [3, 0, 0] + syncSafe + frames + [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0, count: 400)
        let tagged = try read(mp3, "frames.mp3")
        XCTAssertEqual(tagged.findings.map(\.code), [MetadataParseError.limit], "\(tagged.findings)")
        XCTAssertTrue(tagged.findings[0].message.contains("ID3 frames"), tagged.findings[0].message)
    }

    /// PNG compressed text is inflated within the file's budget: 9 MiB of zeros deflated to a few KB, as a `zTXt`
    /// Software tag (past its 64 KiB) and as a compressed `iTXt` XMP packet (past the 8 MiB the file's chunks share),
    /// each stops the reading with a limit finding rather than taking the memory it claims.
    func testPNGCompressedTextBombIsALimitFinding() throws {
        let bomb = zlibCompress([UInt8](repeating: 0, count: 9 << 20))
        XCTAssertLessThan(bomb.count, 20_000)
        let ztxt = F.png(width: 1, height: 1, chunks: [F.pngChunk("zTXt", Array("Software".utf8) + [0, 0] + bomb)])
        let software = try read(ztxt, "bomb.png")
        XCTAssertEqual(software.findings.map(\.code), [MetadataParseError.limit], "\(software.findings)")
        XCTAssertTrue(software.findings[0].message.contains("65536"), software.findings[0].message)
        let itxt = F.png(width: 1, height: 1, chunks: [F.pngChunk("iTXt", Array("XML:com.adobe.xmp".utf8) + [0, 1, 0, 0, 0] + bomb)])
        let xmp = try read(itxt, "bomb-xmp.png")
        XCTAssertEqual(xmp.findings.map(\.code), [MetadataParseError.limit], "\(xmp.findings)")
        XCTAssertTrue(xmp.findings[0].message.contains("\(MetadataLimits.inflatedBytes)"), xmp.findings[0].message)
        // Text that is not zlib is malformed; a chunk Amana does not record is never inflated at all.
        let broken = F.png(width: 1, height: 1, chunks: [F.pngChunk("zTXt", Array("Software".utf8) + [0, 0, 1, 2, 3])])
        XCTAssertEqual(try read(broken, "broken.png").findings.map(\.code), [MetadataParseError.malformed])
        let ignored = F.png(width: 1, height: 1, chunks: [F.pngChunk("zTXt", Array("Comment".utf8) + [0, 0] + bomb)])
        XCTAssertEqual(try read(ignored, "comment.png").findings, [])
    }

    /// A cross-reference table of 10,001 empty subsections: each header costs a read, and the walk stops at the limit.
    func testPDFSubsectionLimit() throws {
        var out = Array("%PDF-1.4\n".utf8)
        let xref = out.count
        out += Array("xref\n".utf8) + Array([[UInt8]](repeating: Array("0 0\n".utf8), count: MetadataLimits.boxes + 1).joined())
        out += Array("trailer\n<< /Size 1 >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        let record = try read(out, "subsections.pdf")
        XCTAssertEqual(record.findings.map(\.code), [MetadataParseError.limit])
        XCTAssertTrue(record.findings[0].message.contains("subsections"), record.findings[0].message)
    }

    /// An Info dictionary that does not close within the 64 KiB read of one object is not read: no value, no hang.
    func testPDFObjectLargerThanItsWindowIsNotRead() throws {
        var out = Array("%PDF-1.4\n".utf8)
        let info = out.count
        out += Array("1 0 obj\n<< /Producer (Padded) ".utf8) + [UInt8](repeating: 0x20, count: PDFReader.objectBytes)
        out += Array(">>\nendobj\n".utf8)
        let xref = out.count
        out += Array("xref\n0 2\n0000000000 65535 f \n".utf8) + Array(String(format: "%010d 00000 n \n", info).utf8)
        out += Array("trailer\n<< /Size 2 /Info 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        let record = try read(out, "padded.pdf")
        XCTAssertEqual(record.findings, [])
        XCTAssertNil(record.values.first { $0.source == "pdf:Info/Producer" })
    }
}
