@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// PDF 1.5 files: a cross-reference stream (FlateDecode with PNG's Up predictor), the Info dictionary and the catalog
/// inside a compressed object stream, and a FlateDecode XMP stream; and their hostile variants, each a finding in
/// bounded time and memory (spec/threat-model.md section 5).
final class MetadataPDFStreamTests: XCTestCase {
    static let xmp = Array(("<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
        + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" "
        + "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"><xmp:CreatorTool>Flate Tool 2</xmp:CreatorTool>"
        + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>").utf8)

    /// Objects 1 (catalog) and 2 (Info) in object stream 3; 4 the XMP stream; 5 the cross-reference stream.
    static func pdf(xmpStream: [UInt8]? = nil, xmpFilter: String = "/FlateDecode", objectStream: [UInt8]? = nil,
                    rowsCut: Int = 0, objectStreamCount: Int = 2, objectStreamLength: String? = nil,
                    index: String = "") -> [UInt8] {
        var out = Array("%PDF-1.5\n%\u{E2}\u{E3}\n".utf8)
        let members = ["<< /Type /Catalog /Pages 9 0 R /Metadata 4 0 R >>",
                       "<< /Producer (Stream Writer 1.5) /CreationDate (D:20240501102030+02'00') >>"]
        var body = [UInt8](), header = ""
        for (index, member) in members.enumerated() {
            header += "\(index + 1) \(body.count) "
            body += Array(member.utf8) + [0x0A]
        }
        let plainStream = Array(header.utf8) + body
        let packed = objectStream ?? zlibCompress(plainStream)
        let offset3 = out.count
        out += Array("3 0 obj\n<< /Type /ObjStm /N \(objectStreamCount) /First \(header.utf8.count) /Filter /FlateDecode /Length \(objectStreamLength ?? String(packed.count)) >>\nstream\n".utf8)
        out += packed + Array("\nendstream\nendobj\n".utf8)
        let stored = xmpStream ?? zlibCompress(xmp)
        let offset4 = out.count
        out += Array("4 0 obj\n<< /Type /Metadata /Subtype /XML /Filter \(xmpFilter) /Length \(stored.count) >>\nstream\n".utf8)
        out += stored + Array("\nendstream\nendobj\n".utf8)
        let offset5 = out.count
        // Rows of W [1 2 1]: type, offset or object stream number, generation or index.
        let rows: [[UInt8]] = [[0, 0, 0, 255], [2, 0, 3, 0], [2, 0, 3, 1], [1, UInt8(offset3 >> 8), UInt8(offset3 & 0xFF), 0],
                               [1, UInt8(offset4 >> 8), UInt8(offset4 & 0xFF), 0], [1, UInt8(offset5 >> 8), UInt8(offset5 & 0xFF), 0]]
        var predicted = [UInt8](), previous = [UInt8](repeating: 0, count: 4)
        for row in rows.dropLast(rowsCut) {
            predicted.append(2)  // PNG Up
            predicted += zip(row, previous).map { $0 &- $1 }
            previous = row
        }
        let xref = zlibCompress(predicted)
        out += Array(("5 0 obj\n<< /Type /XRef /Size 6 /W [1 2 1] \(index)/Root 1 0 R /Info 2 0 R /Filter /FlateDecode "
            + "/DecodeParms << /Columns 4 /Predictor 12 >> /Length \(xref.count) >>\nstream\n").utf8)
        out += xref + Array("\nendstream\nendobj\nstartxref\n\(offset5)\n%%EOF\n".utf8)
        return out
    }

    private func read(_ bytes: [UInt8], _ name: String) throws -> MetadataRecord {
        let folder = TemporaryFolder()
        let path = try folder.write(name, bytes)
        let start = Date()
        let record = try MetadataReader.read(path: path, name: name)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2, "\(name) took too long")
        return record
    }

    private func value(_ record: MetadataRecord, _ source: String) -> String? {
        record.values.first { $0.source == source }?.normalised
    }

    func testCrossReferenceStreamObjectStreamAndCompressedXMPAreRead() throws {
        let record = try read(Self.pdf(), "v15.pdf")
        XCTAssertEqual(record.subject.format, "pdf")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(value(record, "pdf:Info/Producer"), "Stream Writer 1.5")
        XCTAssertEqual(value(record, "pdf:Info/CreationDate"), "2024-05-01T10:20:30+02:00")
        XCTAssertEqual(value(record, "xmp:xmp:CreatorTool"), "Flate Tool 2")
    }

    /// 9 MiB of zeros deflate to about 9 KB: the inflation stops at the limit, and the Info values still stand.
    func testZipBombInTheXMPStreamIsALimitFinding() throws {
        let bomb = zlibCompress([UInt8](repeating: 0, count: MetadataLimits.inflatedBytes + (1 << 20)))
        XCTAssertLessThan(bomb.count, 64 << 10)
        let record = try read(Self.pdf(xmpStream: bomb), "bomb.pdf")
        XCTAssertEqual(record.findings.map(\.code), [MetadataParseError.limit])
        XCTAssertEqual(value(record, "pdf:Info/Producer"), "Stream Writer 1.5")
        XCTAssertNil(value(record, "xmp:xmp:CreatorTool"))
    }

    func testZipBombInTheObjectStreamIsALimitFinding() throws {
        let bomb = zlibCompress([UInt8](repeating: 0x20, count: MetadataLimits.inflatedBytes + 1))
        let record = try read(Self.pdf(objectStream: bomb), "bomb2.pdf")
        XCTAssertEqual(record.findings.map(\.code), [MetadataParseError.limit])
    }

    func testAnotherFilterIsUnsupportedAndTheInfoStillStands() throws {
        let record = try read(Self.pdf(xmpStream: Array("not lzw".utf8), xmpFilter: "/LZWDecode"), "lzw.pdf")
        XCTAssertEqual(record.findings.map(\.code), [MetadataParseError.unsupported])
        XCTAssertEqual(value(record, "pdf:Info/Producer"), "Stream Writer 1.5")
    }

    func testBrokenZlibDataIsAFinding() throws {
        var stream = zlibCompress(Self.xmp)
        stream[stream.count / 2] ^= 0xFF
        stream[stream.count / 2 + 1] ^= 0xFF
        let broken = try read(Self.pdf(xmpStream: stream), "broken.pdf")
        XCTAssertEqual(broken.findings.count, 1)
        XCTAssertTrue([MetadataParseError.malformed, MetadataParseError.truncated].contains(broken.findings.first?.code))
        let cut = try read(Self.pdf(xmpStream: Array(zlibCompress(Self.xmp).prefix(40))), "cut.pdf")
        XCTAssertEqual(cut.findings.map(\.code), [MetadataParseError.truncated])
    }

    func testCrossReferenceStreamWithTooFewRowsIsAFinding() throws {
        XCTAssertEqual(try read(Self.pdf(rowsCut: 3), "rows.pdf").findings.map(\.code), [MetadataParseError.truncated])
    }

    func testObjectStreamClaimingHugeCountIsAFinding() throws {
        XCTAssertEqual(try read(Self.pdf(objectStreamCount: 10_000_000), "count.pdf").findings.map(\.code),
                       [MetadataParseError.limit])
    }

    /// An object stream whose /Length is an object inside itself: decoding it would need it decoded first.
    func testObjectStreamWhoseLengthLiesInsideItselfIsAFinding() throws {
        let record = try read(Self.pdf(objectStreamLength: "2 0 R"), "self.pdf")
        XCTAssertEqual(record.findings.map(\.code), [MetadataParseError.malformed])
        XCTAssertTrue(record.findings[0].message.contains("loop"), record.findings[0].message)
    }

    /// A /Prev chain of more sections than the limit, each a distinct empty table: the walk stops at the limit.
    func testMoreCrossReferenceSectionsThanTheLimitIsAFinding() throws {
        var out = Array("%PDF-1.4\n".utf8)
        var previous: Int?
        for _ in 0...PDFReader.sections {
            let at = out.count
            out += Array("xref\n0 0\ntrailer\n<< /Size 1\(previous.map { " /Prev \($0)" } ?? "") >>\n".utf8)
            previous = at
        }
        out += Array("startxref\n\(previous!)\n%%EOF\n".utf8)
        let record = try read(out, "chain.pdf")
        XCTAssertEqual(record.findings.map(\.code), [MetadataParseError.limit])
        XCTAssertTrue(record.findings[0].message.contains("cross-reference sections"), record.findings[0].message)
    }

    /// /Index pairs past the limit, and an /Index that is not an array of integers.
    func testIndexPastTheLimitOrNotIntegersIsAFinding() throws {
        let pairs = Array(repeating: "0 1", count: MetadataLimits.boxes + 1).joined(separator: " ")
        let many = try read(Self.pdf(index: "/Index [\(pairs)] "), "index.pdf")
        XCTAssertEqual(many.findings.map(\.code), [MetadataParseError.limit])
        XCTAssertEqual(try read(Self.pdf(index: "/Index [0 six] "), "words.pdf").findings.map(\.code),
                       [MetadataParseError.malformed])
        XCTAssertEqual(try read(Self.pdf(index: "/Index [0 6] "), "explicit.pdf").findings, [])
    }

    func testPNGPredictorsUndoEveryRowFilter() throws {
        // One row per filter type (None, Sub, Up, Average, Paeth) over 3 columns of 1 byte, checked by hand.
        let rows: [[UInt8]] = [[0, 10, 20, 30], [1, 1, 1, 1], [2, 5, 5, 5], [3, 4, 4, 4], [4, 1, 2, 3]]
        let out = try PDFStreamDecoder.unpredictPNG(rows.flatMap { $0 }, rowBytes: 3, pixelBytes: 1)
        XCTAssertEqual(Array(out[0..<3]), [10, 20, 30])
        XCTAssertEqual(Array(out[3..<6]), [1, 2, 3])
        XCTAssertEqual(Array(out[6..<9]), [6, 7, 8])
        // Average: left and up halved: 4 + (0 + 6) / 2 = 7; 4 + (7 + 7) / 2 = 11; 4 + (11 + 8) / 2 = 13.
        XCTAssertEqual(Array(out[9..<12]), [7, 11, 13])
        // Paeth: column 0 takes up (7): 8; column 1: left 8, up 11, upLeft 7, estimate 12 -> up 11: 13;
        // column 2: left 13, up 13, upLeft 11, estimate 15 -> left 13: 16.
        XCTAssertEqual(Array(out[12..<15]), [8, 13, 16])
        XCTAssertThrowsError(try PDFStreamDecoder.unpredictPNG([5, 1, 2, 3], rowBytes: 3, pixelBytes: 1))
        XCTAssertThrowsError(try PDFStreamDecoder.unpredictPNG([0, 1, 2], rowBytes: 3, pixelBytes: 1))
    }
}
