@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Files the real tools write, read by Amana and checked against what was asked and against exiftool: a HEIC made
/// by heif-enc (libheif) from a JPEG with EXIF, XMP that exiftool adds to a HEIC (a `mime` item) and to an MP4 (a
/// `uuid` box), a PDF that qpdf rewrites with object streams and a cross-reference stream, and a PDF whose XMP
/// stream zlib-flate (qpdf's) compressed.
final class MetadataHEICAndPDFTests: XCTestCase {
    /// exiftool's reading of `path` (`-j -n`, the given tags), as a dictionary.
    private func exiftoolReading(_ path: String, _ tags: [String]) throws -> [String: Any] {
        let exiftool = try TestEnvironment.requireTool("exiftool")
        let read = try runTool(exiftool, ["-j", "-n"] + tags + [path])
        XCTAssertEqual(read.status, 0, "\(read)")
        return try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: Any]])?.first)
    }

    /// A small HEIC that heif-enc encodes from a JPEG carrying the EXIF exiftool wrote into it.
    private func heic(_ folder: TemporaryFolder) throws -> String {
        let ffmpeg = try TestEnvironment.requireTool("ffmpeg")
        let exiftool = try TestEnvironment.requireTool("exiftool")
        let heifEnc = try TestEnvironment.requireTool("heif-enc")
        let jpeg = folder.file("source.jpg"), heic = folder.file("photo.heic")
        XCTAssertEqual(try runTool(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1",
                                            jpeg]).status, 0)
        let wrote = try runTool(exiftool, ["-q", "-overwrite_original", "-Make=Amana", "-Model=HEIC rig",
                                           "-Software=Camera 3.1", "-DateTimeOriginal=2024:05:01 10:20:30",
                                           "-OffsetTimeOriginal=+02:00", "-GPSLatitude=36.5", "-GPSLatitudeRef=N",
                                           "-GPSLongitude=115.25", "-GPSLongitudeRef=W", jpeg])
        XCTAssertEqual(wrote.status, 0, "\(wrote)")
        let encoded = try runTool(heifEnc, ["-q", "50", jpeg, "-o", heic])
        XCTAssertEqual(encoded.status, 0, "\(encoded)")
        return heic
    }

    func testHeifEncHEICExifAgreesWithExiftool() throws {
        let folder = TemporaryFolder()
        let path = try heic(folder)
        XCTAssertEqual(Array(try readBytes(path)[4..<12]), Array("ftypheic".utf8), "heif-enc must write a HEIC")
        let record = try MetadataReader.read(path: path)
        XCTAssertEqual(record.subject.format, "isobmff")
        XCTAssertEqual(record.findings, [])
        let oracle = try exiftoolReading(path, ["-IFD0:Make", "-IFD0:Model", "-IFD0:Software", "-ExifIFD:DateTimeOriginal",
                                         "-ExifIFD:OffsetTimeOriginal", "-Composite:GPSLatitude",
                                         "-Composite:GPSLongitude"])
        XCTAssertEqual(record.first(.make)?.raw, oracle["Make"] as? String)
        XCTAssertEqual(record.first(.model)?.raw, oracle["Model"] as? String)
        XCTAssertEqual(record.first(.software)?.raw, oracle["Software"] as? String)
        XCTAssertEqual(record.first(.captureTime)?.raw, oracle["DateTimeOriginal"] as? String)
        XCTAssertEqual(record.first(.offsetTime)?.raw, oracle["OffsetTimeOriginal"] as? String)
        XCTAssertEqual(Double(record.first(.latitude)?.normalised ?? ""), oracle["GPSLatitude"] as? Double)
        XCTAssertEqual(Double(record.first(.longitude)?.normalised ?? ""), oracle["GPSLongitude"] as? Double)
        // And what was asked for.
        XCTAssertEqual(record.first(.captureTime)?.normalised, "2024-05-01T10:20:30+02:00")
        XCTAssertEqual(record.first(.longitude)?.normalised, "-115.25")
    }

    func testExiftoolXMPInAHEICMimeItemIsRead() throws {
        let folder = TemporaryFolder()
        let path = try heic(folder)
        let exiftool = try TestEnvironment.requireTool("exiftool")
        let wrote = try runTool(exiftool, ["-q", "-overwrite_original", "-XMP-xmp:CreatorTool=HEIF XMP Tool",
                                           "-XMP-xmp:CreateDate=2024:05:01 10:20:30+02:00", path])
        XCTAssertEqual(wrote.status, 0, "\(wrote)")
        let record = try MetadataReader.read(path: path)
        XCTAssertEqual(record.findings, [])
        let oracle = try exiftoolReading(path, ["-XMP-xmp:CreatorTool", "-XMP-xmp:CreateDate"])
        XCTAssertEqual(record.values.first { $0.source == "xmp:xmp:CreatorTool" }?.raw, oracle["CreatorTool"] as? String)
        XCTAssertEqual(record.values.first { $0.source == "xmp:xmp:CreateDate" }?.normalised, "2024-05-01T10:20:30+02:00")
        // The EXIF item is still read beside it.
        XCTAssertEqual(record.first(.make)?.normalised, "Amana")
    }

    func testExiftoolXMPInAnMP4UUIDBoxIsRead() throws {
        let ffmpeg = try TestEnvironment.requireTool("ffmpeg")
        let exiftool = try TestEnvironment.requireTool("exiftool")
        let folder = TemporaryFolder()
        let path = folder.file("clip.mp4")
        XCTAssertEqual(try runTool(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "0.5",
                                            "-c:v", "mpeg4", path]).status, 0)
        let wrote = try runTool(exiftool, ["-q", "-overwrite_original", "-XMP-xmp:CreatorTool=MP4 XMP Tool", path])
        XCTAssertEqual(wrote.status, 0, "\(wrote)")
        let record = try MetadataReader.read(path: path)
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(record.values.first { $0.source == "xmp:xmp:CreatorTool" }?.raw,
                       try exiftoolReading(path, ["-XMP-xmp:CreatorTool"])["CreatorTool"] as? String)
    }

    /// A classic PDF 1.4 (table, uncompressed objects) with the given XMP stream object text.
    private func classicPDF(metadata: [UInt8]) -> [UInt8] {
        let objects: [[UInt8]] = [
            Array("<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>".utf8),
            Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>".utf8),
            metadata,
            Array("<< /Producer (Object Streams 1.0) /Creator (Amana test) /CreationDate (D:20240501102030+02'00') >>".utf8),
        ]
        var out = Array("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n".utf8) + object + Array("\nendobj\n".utf8)
        }
        let xref = out.count
        out += Array("xref\n0 6\n0000000000 65535 f \n".utf8)
        for offset in offsets { out += Array(String(format: "%010d 00000 n \n", offset).utf8) }
        out += Array("trailer\n<< /Size 6 /Root 1 0 R /Info 5 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        return out
    }

    private func checkPDFAgainstExiftool(_ path: String) throws -> MetadataRecord {
        let record = try MetadataReader.read(path: path)
        XCTAssertEqual(record.subject.format, "pdf")
        XCTAssertEqual(record.findings, [])
        let oracle = try exiftoolReading(path, ["-PDF:Producer", "-PDF:Creator", "-PDF:CreateDate", "-XMP-xmp:CreatorTool"])
        XCTAssertEqual(record.values.first { $0.source == "pdf:Info/Producer" }?.raw, oracle["Producer"] as? String)
        XCTAssertEqual(record.values.first { $0.source == "pdf:Info/Creator" }?.raw, oracle["Creator"] as? String)
        XCTAssertEqual(record.values.first { $0.source == "pdf:Info/CreationDate" }?.normalised, "2024-05-01T10:20:30+02:00")
        XCTAssertNotNil(oracle["CreatorTool"])
        XCTAssertEqual(record.values.first { $0.source == "xmp:xmp:CreatorTool" }?.raw, oracle["CreatorTool"] as? String)
        return record
    }

    func testQpdfObjectStreamsAndCrossReferenceStreamAgreeWithExiftool() throws {
        let qpdf = try TestEnvironment.requireTool("qpdf")
        let folder = TemporaryFolder()
        let xmp = MetadataPDFStreamXMP.packet
        let plain = try folder.write("plain.pdf", classicPDF(
            metadata: Array("<< /Type /Metadata /Subtype /XML /Length \(xmp.count) >>\nstream\n".utf8) + xmp
                + Array("\nendstream".utf8)))
        let packed = folder.file("packed.pdf")
        let rewritten = try runTool(qpdf, ["--object-streams=generate", plain, packed])
        XCTAssertEqual(rewritten.status, 0, "\(rewritten)")
        let text = String(decoding: try readBytes(packed), as: UTF8.self)
        XCTAssertTrue(text.contains("/Type /ObjStm"), "qpdf must write an object stream")
        XCTAssertTrue(text.contains("/Type /XRef"), "qpdf must write a cross-reference stream")
        XCTAssertFalse(text.contains("Object Streams 1.0"), "the Info dictionary must be inside the compressed stream")
        _ = try checkPDFAgainstExiftool(packed)
    }

    /// exiftool writes a long Software tag as a PNG `zTXt` chunk with `-z`, and reads a compressed `iTXt` XMP packet
    /// built here: Amana's reading of both equals exiftool's.
    func testCompressedPNGTextAgreesWithExiftool() throws {
        let exiftool = try TestEnvironment.requireTool("exiftool")
        let folder = TemporaryFolder()
        let xmp = Array(("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
            + "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"><xmp:CreatorTool>Packed Camera 2"
            + "</xmp:CreatorTool></rdf:Description></rdf:RDF></x:xmpmeta>").utf8)
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            var sum = CRC32()
            body.withUnsafeBytes { sum.update($0) }
            let n = UInt32(data.count), crc = sum.value
            return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + body
                + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        }
        let plain = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
            + chunk("iTXt", Array("XML:com.adobe.xmp".utf8) + [0, 1, 0, 0, 0] + zlibCompress(xmp))
            + chunk("IDAT", zlibCompress([0, 0])) + chunk("IEND", [])
        let path = try folder.write("plain.png", plain)
        let software = String(repeating: "Editor Suite ", count: 12)
        let wrote = try runTool(exiftool, ["-q", "-z", "-overwrite_original", "-Software=\(software)", path])
        XCTAssertEqual(wrote.status, 0, "\(wrote)")
        XCTAssertNotNil(try readBytes(path).firstRange(of: Array("zTXtSoftware".utf8)), "exiftool -z must write a zTXt chunk")
        let record = try MetadataReader.read(path: path)
        XCTAssertEqual(record.findings, [])
        let oracle = try exiftoolReading(path, ["-PNG:Software", "-XMP-xmp:CreatorTool"])
        XCTAssertEqual(record.first(.software)?.source, "png:zTXt/Software")
        XCTAssertEqual(record.first(.software)?.raw, oracle["Software"] as? String)
        XCTAssertEqual(record.all(.software).first { $0.source == "xmp:xmp:CreatorTool" }?.raw, oracle["CreatorTool"] as? String)
        XCTAssertEqual(oracle["CreatorTool"] as? String, "Packed Camera 2", "exiftool must read the compressed iTXt")
    }

    func testZlibFlateCompressedXMPStreamAgreesWithExiftool() throws {
        let zlibFlate = try TestEnvironment.requireTool("zlib-flate")
        let folder = TemporaryFolder()
        let raw = try folder.write("xmp.xml", MetadataPDFStreamXMP.packet)
        let packed = folder.file("xmp.zlib")
        let compressed = try runTool("/bin/sh", ["-c", "'\(zlibFlate)' -compress < '\(raw)' > '\(packed)'"])
        XCTAssertEqual(compressed.status, 0, "\(compressed)")
        let deflated = try readBytes(packed)
        XCTAssertNotEqual(deflated, MetadataPDFStreamXMP.packet)
        let path = try folder.write("flate.pdf", classicPDF(
            metadata: Array("<< /Type /Metadata /Subtype /XML /Filter /FlateDecode /Length \(deflated.count) >>\nstream\n".utf8)
                + deflated + Array("\nendstream".utf8)))
        _ = try checkPDFAgainstExiftool(path)
    }
}

enum MetadataPDFStreamXMP {
    static let packet = Array(("<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
        + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" "
        + "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"><xmp:CreatorTool>PDF XMP Tool 4</xmp:CreatorTool>"
        + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>").utf8)
}
