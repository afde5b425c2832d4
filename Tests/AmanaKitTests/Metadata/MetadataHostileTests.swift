@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Hostile files: each gets a clear finding, in bounded time, and the rest of the record still stands.
final class MetadataHostileTests: XCTestCase {
    typealias F = MetadataFixtures

    private func read(_ bytes: [UInt8], _ name: String) throws -> MetadataRecord {
        let folder = TemporaryFolder()
        let path = try folder.write(name, bytes)
        let start = Date()
        let record = try MetadataReader.read(path: path)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2, "\(name) took too long")
        return record
    }

    func testTruncatedJPEGSegmentIsAFinding() throws {
        let whole = F.jpeg(tiff: F.tiff(ifd0: [.ascii(0x010F, "Canon")]))
        let record = try read(Array(whole.prefix(20)), "cut.jpg")
        XCTAssertEqual(record.findings.map(\.code), ["metadata.parse.truncated"])
    }

    func testExifDirectoriesThatLoopAreAFinding() throws {
        // IFD0's Exif pointer points back at IFD0 itself.
        var tiff = F.tiff(ifd0: [.ascii(0x010F, "Canon")], exif: [.ascii(0x9003, "2024:01:01 00:00:00")])
        let pointerEntry = 8 + 2 + 12  // second entry of IFD0 (tags sorted: 0x010F, then 0x8769)
        tiff.replaceSubrange(pointerEntry + 8..<pointerEntry + 12, with: F.be32(8))
        let record = try read(F.jpeg(tiff: tiff), "loop.jpg")
        XCTAssertEqual(record.findings.map(\.code), ["metadata.parse.malformed"])
        XCTAssertTrue(record.findings[0].message.contains("point back"), record.findings[0].message)
        XCTAssertEqual(record.first(.width)?.normalised, "64", "the frame size is still read")
    }

    func testExifValuePastTheEndIsAFinding() throws {
        var tiff = F.tiff(ifd0: [.ascii(0x010F, "A long maker name")])
        tiff.replaceSubrange(8 + 2 + 8..<8 + 2 + 12, with: F.be32(0x7FFF_0000))
        let record = try read(F.jpeg(tiff: tiff), "far.jpg")
        XCTAssertEqual(record.findings.map(\.code), ["metadata.parse.truncated"])
    }

    func testHugeExifCountIsAFinding() throws {
        var tiff = F.tiff(ifd0: [.ascii(0x010F, "Canon")])
        tiff.replaceSubrange(8..<10, with: F.be16(0xFFFF))
        XCTAssertEqual(try read(F.jpeg(tiff: tiff), "count.jpg").findings.map(\.code), ["metadata.parse.limit"])
        var value = F.tiff(ifd0: [.ascii(0x010F, "Canon")])
        value.replaceSubrange(8 + 2 + 4..<8 + 2 + 8, with: F.be32(0xFFFF_FFFF))
        XCTAssertEqual(try read(F.jpeg(tiff: value), "values.jpg").findings.map(\.code), ["metadata.parse.limit"])
    }

    func testBoxSizePastTheEndIsAFinding() throws {
        let file = F.box("ftyp", Array("isom".utf8) + F.be32(0)) + F.be32(0x7000_0000) + Array("moov".utf8) + [0, 0]
        XCTAssertEqual(try read(file, "big.mp4").findings.map(\.code), ["metadata.parse.truncated"])
    }

    func testBoxesNestedWithoutEndAreAFinding() throws {
        var inner: [UInt8] = F.mvhd(creation: 1)
        for _ in 0..<40 { inner = F.box("udta", inner) }
        let file = F.box("ftyp", Array("isom".utf8) + F.be32(0)) + F.box("moov", inner)
        XCTAssertEqual(try read(file, "deep.mp4").findings.map(\.code), ["metadata.parse.limit"])
    }

    func testBoxOfSizeSmallerThanItsHeaderIsAFinding() throws {
        // A size of 4 would make a naive walker step backwards or loop forever.
        let file = F.box("ftyp", Array("isom".utf8) + F.be32(0)) + F.be32(4) + Array("moov".utf8)
        XCTAssertEqual(try read(file, "loop.mp4").findings.map(\.code), ["metadata.parse.malformed"])
    }

    func testManyEmptyBoxesHitTheBoxLimit() throws {
        let file = F.box("ftyp", Array("isom".utf8) + F.be32(0))
            + Array(repeating: F.box("free", []), count: MetadataLimits.boxes + 1).flatMap { $0 }
        XCTAssertEqual(try read(file, "many.mp4").findings.map(\.code), ["metadata.parse.limit"])
    }

    func testKeysBoxClaimingHugeCountIsAFinding() throws {
        let keys = F.box("keys", [0, 0, 0, 0] + F.be32(0xFFFF_FFFF))
        let meta = F.box("meta", F.box("hdlr", [UInt8](repeating: 0, count: 8) + Array("mdta".utf8)) + keys)
        let file = F.box("ftyp", Array("qt  ".utf8) + F.be32(0)) + F.box("moov", meta)
        XCTAssertEqual(try read(file, "keys.mov").findings.map(\.code), ["metadata.parse.limit"])
    }

    func testTruncatedMvhdIsAFinding() throws {
        let file = F.box("ftyp", Array("isom".utf8) + F.be32(0)) + F.box("moov", F.box("mvhd", [0, 0, 0, 0, 1]))
        XCTAssertEqual(try read(file, "short.mp4").findings.map(\.code), ["metadata.parse.truncated"])
    }

    func testNumbersNoIntegerHoldsAreNotRecordedRatherThanTrapping() throws {
        let huge = F.Entry(tag: 0x0100, type: 12, count: 1, value: F.be64(1e300.bitPattern))
        let gps = F.Entry(tag: 0x0007, type: 12, count: 3, value: [1e300, 1, 1].flatMap { F.be64($0.bitPattern) })
        let record = try read(F.jpeg(tiff: F.tiff(ifd0: [huge], gps: [gps])), "huge.jpg")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(record.all(.width).map(\.source), ["jpeg:SOF"])
        XCTAssertNil(record.first(.gpsTime))
        // mvhd version 1 with a 64-bit creation time of 2^64 - 1 seconds after 1904.
        let mvhd = F.box("mvhd", [1, 0, 0, 0] + F.be64(UInt64.max) + F.be64(UInt64.max) + F.be32(1000) + F.be64(1)
            + [UInt8](repeating: 0, count: 80))
        let movie = try read(F.box("ftyp", Array("isom".utf8) + F.be32(0)) + F.box("moov", mvhd), "far.mp4")
        XCTAssertEqual(movie.findings, [])
        XCTAssertEqual(movie.first(.createTime)?.raw, String(UInt64.max))
    }

    func testPNGChunkPastTheEndIsAFinding() throws {
        var png = F.png(width: 1, height: 1, chunks: [])
        png.replaceSubrange(33..<37, with: F.be32(0xFFFF_FF00))  // IDAT's length
        XCTAssertEqual(try read(png, "cut.png").findings.map(\.code), ["metadata.parse.truncated"])
    }

    func testUnreadablePathIsAnError() {
        XCTAssertThrowsError(try MetadataReader.read(path: "/nonexistent/amana-metadata")) { error in
            XCTAssertEqual((error as? AmanaError)?.code, .inputUnreadable)
        }
    }
}
