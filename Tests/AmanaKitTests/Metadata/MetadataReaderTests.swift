@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Reading honest files built byte by byte: every value with its source, raw form, normalised form and zone basis.
final class MetadataReaderTests: XCTestCase {
    typealias F = MetadataFixtures

    func testJPEGExifValuesCarrySourceRawNormalisedAndZone() throws {
        let folder = TemporaryFolder()
        let tiff = F.tiff(
            ifd0: [.ascii(0x010F, "Fairphone"), .ascii(0x0110, "FP4"), .ascii(0x0131, "Camera 2.0"), .short(0x0112, 6)],
            exif: [.ascii(0x9003, "2024:05:01 10:20:30"), .ascii(0x9011, "+03:00"), .ascii(0x9291, "123"),
                   .ascii(0x9004, "2024:05:01 10:20:30")],
            gps: [.ascii(0x0001, "N"), .rationals(0x0002, [(36, 1), (12, 1), (3000, 100)]),
                  .ascii(0x0003, "E"), .rationals(0x0004, [(37, 1), (9, 1), (0, 1)]),
                  .rationals(0x0006, [(4015, 10)]), .ascii(0x001D, "2024:05:01"),
                  .rationals(0x0007, [(7, 1), (20, 1), (31, 1)])])
        let path = try folder.write("photo.jpg", F.jpeg(tiff: tiff, width: 640, height: 480))
        let before = try readBytes(path)
        let record = try MetadataReader.read(path: path, name: "photo.jpg")
        XCTAssertEqual(try readBytes(path), before, "reading must not change a byte")

        XCTAssertEqual(record.mediaType, "application/vnd.amana.metadata+json;version=1")
        XCTAssertEqual(record.subject.format, "jpeg")
        XCTAssertEqual(record.first(.captureTime),
                       MetadataValue(.captureTime, source: "exif:DateTimeOriginal+OffsetTimeOriginal",
                                     raw: "2024:05:01 10:20:30", normalised: "2024-05-01T10:20:30+03:00", timeZone: .given))
        // CreateDate has no offset tag of its own: its zone is unknown, and it is not borrowed from another tag.
        XCTAssertEqual(record.first(.createTime)?.normalised, "2024-05-01T10:20:30")
        XCTAssertEqual(record.first(.createTime)?.timeZone, .unknown)
        XCTAssertEqual(record.first(.latitude)?.normalised, "36.2083333")
        XCTAssertEqual(record.first(.latitude)?.raw, "36/1 12/1 3000/100 N")
        XCTAssertEqual(record.first(.longitude)?.normalised, "37.15")
        XCTAssertEqual(record.first(.altitude)?.normalised, "401.5")
        XCTAssertEqual(record.first(.gpsTime)?.normalised, "2024-05-01T07:20:31Z")
        XCTAssertEqual(record.first(.make)?.normalised, "Fairphone")
        XCTAssertEqual(record.first(.orientation)?.normalised, "6")
        XCTAssertEqual(record.first(.width)?.source, "jpeg:SOF")
        XCTAssertEqual(record.first(.width)?.normalised, "640")
        XCTAssertEqual(record.first(.fileModifyTime)?.source, "file:mtime")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(record.observations, [], "\(record.observations)")
    }

    func testQuickTimeMovieReadsMvhdKeysXyzAndLoci() throws {
        let folder = TemporaryFolder()
        // 2024-05-01T10:20:30Z is 3797405... seconds after 1904; computed rather than typed.
        let unix: Int64 = 1_714_558_830
        let creation = UInt32(unix + MetadataTime.quickTimeEpochDelta)
        let keyName = Array("com.apple.quicktime.location.ISO6709".utf8)
        let dateName = Array("com.apple.quicktime.creationdate".utf8)
        let keys = F.box("keys", [0, 0, 0, 0] + F.be32(2)
            + F.be32(UInt32(8 + keyName.count)) + Array("mdta".utf8) + keyName
            + F.be32(UInt32(8 + dateName.count)) + Array("mdta".utf8) + dateName)
        func item(_ index: UInt32, _ text: String) -> [UInt8] {
            F.be32(UInt32(8 + 16 + text.utf8.count)) + F.be32(index)
                + F.box("data", F.be32(1) + F.be32(0) + Array(text.utf8))
        }
        let meta = F.box("meta", F.box("hdlr", [UInt8](repeating: 0, count: 8) + Array("mdta".utf8) + [UInt8](repeating: 0, count: 12))
            + keys + F.box("ilst", item(1, "+35.6895+139.6917+040.000/") + item(2, "2024-05-01T13:20:30+0300")))
        let xyz = Array("+48.8584+002.2945/".utf8)
        let loci = [0, 0, 0, 0] + [0x15, 0xC7] + Array("Paris".utf8) + [0, 0]
            + F.be32(UInt32(bitPattern: Int32(2.2945 * 65_536))) + F.be32(UInt32(bitPattern: Int32(48.8584 * 65_536)))
            + F.be32(UInt32(35 * 65_536)) + [0, 0]
        let udta = F.box("udta", F.box("\u{A9}xyz", F.be16(UInt16(xyz.count)) + F.be16(0x15C7) + xyz) + F.box("loci", loci))
        let tkhd = F.box("tkhd", [UInt8](repeating: 0, count: 76) + F.be32(1920 << 16) + F.be32(1080 << 16))
        let stsd = F.box("stsd", [0, 0, 0, 0] + F.be32(1) + F.be32(16) + Array("avc1".utf8) + [UInt8](repeating: 0, count: 8))
        let hdlr = F.box("hdlr", [UInt8](repeating: 0, count: 8) + Array("vide".utf8) + [UInt8](repeating: 0, count: 12))
        let trak = F.box("trak", tkhd + F.box("mdia", hdlr + F.box("minf", F.box("stbl", stsd))))
        let file = F.box("ftyp", Array("qt  ".utf8) + F.be32(0)) + F.box("mdat", [1, 2, 3])
            + F.box("moov", F.mvhd(creation: creation, modification: creation) + trak + udta + meta)
        let record = try MetadataReader.read(path: try folder.write("clip.mov", file))

        XCTAssertEqual(record.subject.format, "isobmff")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(record.first(.captureTime),
                       MetadataValue(.captureTime, source: "quicktime:keys/creationdate", raw: "2024-05-01T13:20:30+0300",
                                     normalised: "2024-05-01T13:20:30+03:00", timeZone: .given))
        XCTAssertEqual(record.first(.createTime),
                       MetadataValue(.createTime, source: "mp4:mvhd.creation_time", raw: String(creation),
                                     normalised: "2024-05-01T10:20:30Z", timeZone: .containerUTC))
        XCTAssertEqual(record.all(.latitude).map(\.source),
                       ["quicktime:keys/location.ISO6709", "quicktime:udta/\u{A9}xyz", "mp4:udta/loci"])
        XCTAssertEqual(record.all(.latitude).map(\.normalised), ["35.6895", "48.8584", "48.8583984"])
        XCTAssertEqual(record.all(.longitude).map(\.normalised), ["139.6917", "2.2945", "2.2944946"])
        XCTAssertEqual(record.first(.altitude)?.normalised, "40")
        XCTAssertEqual(record.first(.duration)?.normalised, "2.5")
        XCTAssertEqual(record.first(.width)?.normalised, "1920")
        XCTAssertEqual(record.first(.codec)?.normalised, "avc1")
        XCTAssertEqual(record.observations, [], "\(record.observations)")
    }

    func testPNGTextAndExifChunks() throws {
        let folder = TemporaryFolder()
        let text = F.pngChunk("tEXt", Array("Software".utf8) + [0] + Array("GIMP 2.10".utf8))
        let itxt = F.pngChunk("iTXt", Array("Creation Time".utf8) + [0, 0, 0] + Array("en".utf8) + [0, 0]
            + Array("2024-05-01T10:20:30Z".utf8))
        let exif = F.pngChunk("eXIf", F.tiff(ifd0: [.ascii(0x010F, "Google")], exif: [.ascii(0x9003, "2024:05:01 12:20:30")]))
        let record = try MetadataReader.read(path: try folder.write("a.png", F.png(width: 300, height: 200, chunks: [text, itxt, exif])))
        XCTAssertEqual(record.subject.format, "png")
        XCTAssertEqual(record.findings, [])
        XCTAssertEqual(record.first(.width), MetadataValue(.width, source: "png:IHDR", raw: "300", normalised: "300"))
        XCTAssertEqual(record.first(.software)?.source, "png:tEXt/Software")
        XCTAssertEqual(record.first(.createTime),
                       MetadataValue(.createTime, source: "png:iTXt/Creation Time", raw: "2024-05-01T10:20:30Z",
                                     normalised: "2024-05-01T10:20:30Z", timeZone: .given))
        XCTAssertEqual(record.first(.captureTime)?.source, "exif:DateTimeOriginal")
        XCTAssertEqual(record.first(.make)?.normalised, "Google")
        XCTAssertEqual(record.observations.map(\.code), ["metadata.flag.editor-software"])
    }

    func testRecordIsVersionedJSONWithTheNotice() throws {
        let folder = TemporaryFolder()
        let record = try MetadataReader.read(path: try folder.write("a.jpg", F.jpeg(tiff: nil)), name: "a.jpg")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try JSONSerialization.jsonObject(with: encoder.encode(record)) as? [String: Any]
        XCTAssertEqual(object?["mediaType"] as? String, "application/vnd.amana.metadata+json;version=1")
        XCTAssertEqual(object?["notice"] as? String, MetadataRecord.notice)
        XCTAssertEqual(try JSONDecoder().decode(MetadataRecord.self, from: encoder.encode(record)), record)
    }

    func testISO6709Forms() {
        XCTAssertEqual(ISO6709("+35.6895+139.6917/"), ISO6709(latitude: 35.6895, longitude: 139.6917, altitude: nil))
        XCTAssertEqual(ISO6709("-3330.5-07030.0+100/")?.latitude, -33.508333333333333)
        XCTAssertEqual(ISO6709("-3330.5-07030.0+100/")?.longitude, -70.5)
        XCTAssertEqual(ISO6709("+403000-0743000/")?.longitude, -74.5)
        XCTAssertNil(ISO6709("north"))
        XCTAssertNil(ISO6709("+95.0+10.0/"))
    }
}
