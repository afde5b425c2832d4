@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Each observation code, raised by the smallest file that shows its pattern; none of them is a verdict.
final class MetadataFlagTests: XCTestCase {
    typealias F = MetadataFixtures

    private func codes(_ bytes: [UInt8], _ name: String, acquisition: Date? = nil,
                       now: Date = Date(timeIntervalSince1970: 1_800_000_000)) throws -> [String] {
        let folder = TemporaryFolder()
        let path = try folder.write(name, bytes)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_750_000_000)],
                                              ofItemAtPath: path)
        return try MetadataReader.read(path: path, acquisitionTime: acquisition, now: now).observations.map(\.code)
    }

    private func photo(_ exif: [F.Entry], gps: [F.Entry] = [], ifd0: [F.Entry] = [.ascii(0x010F, "Canon")]) -> [UInt8] {
        F.jpeg(tiff: F.tiff(ifd0: ifd0, exif: exif, gps: gps))
    }

    func testCaptureAfterMtimeAndAfterAcquisition() throws {
        // mtime is 2025-06-15; the capture says 2025-12-01 with an offset, so there is no zone slack.
        let later = photo([.ascii(0x9003, "2025:12:01 00:00:00"), .ascii(0x9011, "+00:00")])
        XCTAssertEqual(try codes(later, "a.jpg", acquisition: Date(timeIntervalSince1970: 1_760_000_000)),
                       ["metadata.flag.capture-after-mtime", "metadata.flag.capture-after-acquisition"])
        // Without a zone, ten hours later than mtime is within what some zone could explain.
        let local = photo([.ascii(0x9003, "2025:06:15 23:00:00")])
        XCTAssertEqual(try codes(local, "b.jpg"), [])
    }

    func testGPSTimeDisagreeing() throws {
        let gps: [F.Entry] = [.ascii(0x001D, "2024:05:01"), .rationals(0x0007, [(9, 1), (0, 1), (0, 1)])]
        let agree = photo([.ascii(0x9003, "2024:05:01 12:02:00"), .ascii(0x9011, "+03:00")], gps: gps)
        XCTAssertEqual(try codes(agree, "a.jpg"), [])
        let apart = photo([.ascii(0x9003, "2024:05:01 12:30:00"), .ascii(0x9011, "+03:00")], gps: gps)
        XCTAssertEqual(try codes(apart, "b.jpg"), ["metadata.flag.gps-time-disagrees"])
    }

    func testMessagingAppPattern() throws {
        XCTAssertEqual(try codes(F.jpeg(tiff: nil, width: 1600, height: 1200), "wa.jpg"),
                       ["metadata.flag.messaging-app-pattern"])
        XCTAssertEqual(try codes(F.jpeg(tiff: nil, width: 1601, height: 1200), "other.jpg"), [])
    }

    func testNullIsland() throws {
        let gps: [F.Entry] = [.ascii(0x0001, "N"), .rationals(0x0002, [(0, 1), (0, 1), (0, 1)]),
                              .ascii(0x0003, "E"), .rationals(0x0004, [(0, 1), (0, 1), (0, 1)])]
        XCTAssertEqual(try codes(photo([], gps: gps), "a.jpg"), ["metadata.flag.gps-null-island"])
    }

    func testImpossibleDates() throws {
        XCTAssertEqual(try codes(photo([.ascii(0x9003, "1985:01:01 00:00:00")]), "old.jpg"),
                       ["metadata.flag.impossible-date"])
        // After the acquisition (and after the mtime, which is its own code).
        let future = photo([.ascii(0x9003, "2030:01:01 00:00:00"), .ascii(0x9011, "Z")])
        XCTAssertEqual(try codes(future, "future.jpg"), ["metadata.flag.capture-after-mtime", "metadata.flag.impossible-date"])
    }

    func testContainerEpochs() throws {
        let ftyp = F.box("ftyp", Array("isom".utf8) + F.be32(0))
        XCTAssertEqual(try codes(ftyp + F.box("moov", F.mvhd(creation: 0)), "a.mp4"),
                       ["metadata.flag.container-epoch", "metadata.flag.container-epoch"])
        let unixEpoch = UInt32(MetadataTime.quickTimeEpochDelta)
        XCTAssertEqual(try codes(ftyp + F.box("moov", F.mvhd(creation: unixEpoch, modification: unixEpoch)), "b.mp4"),
                       ["metadata.flag.container-epoch", "metadata.flag.container-epoch"])
        let set = UInt32(1_714_558_830 + MetadataTime.quickTimeEpochDelta)
        XCTAssertEqual(try codes(ftyp + F.box("moov", F.mvhd(creation: set, modification: set)), "c.mp4"), [])
    }

    func testEditorSoftware() throws {
        XCTAssertEqual(try codes(photo([], ifd0: [.ascii(0x0131, "Adobe Photoshop 7.0")]), "a.jpg"),
                       ["metadata.flag.editor-software"])
        XCTAssertEqual(try codes(photo([], ifd0: [.ascii(0x0131, "HDR+ 1.0")]), "b.jpg"), [])
    }

    func testLongitudeSignDisagreeingWithItsReference() throws {
        // The ProofMode bug: a negative value stored although the reference letter already says west.
        let gps: [F.Entry] = [.ascii(0x0001, "N"), .rationals(0x0002, [(40, 1), (0, 1), (0, 1)]),
                              .ascii(0x0003, "W"), .rationals(0x0004, [(-74, 1), (0, 1), (0, 1)], signed: true)]
        let folder = TemporaryFolder()
        let record = try MetadataReader.read(path: try folder.write("a.jpg", photo([], gps: gps)))
        XCTAssertEqual(record.observations.map(\.code), ["metadata.flag.gps-sign-conflict"])
        XCTAssertEqual(record.first(.longitude)?.normalised, "-74", "the reference letter decides the sign")
    }
}
