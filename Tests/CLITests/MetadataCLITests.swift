import AmanaTestSupport
import Foundation
import XCTest

final class MetadataCLITests: XCTestCase {
    /// A JPEG with only a frame header and no EXIF, at a size WhatsApp re-encodes to.
    static let bareJPEG: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0x04, 0xB0, 0x06, 0x40, 1, 1, 0x11, 0,
                                    0xFF, 0xDA, 0, 2, 0xFF, 0xD9]

    func testPrintsValuesSourcesAndObservations() throws {
        let folder = TemporaryFolder()
        let path = try folder.write("chat.jpg", Self.bareJPEG)
        let result = try amana(["metadata", path])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("width: 1600  from jpeg:SOF"), result.stdout)
        XCTAssertTrue(result.stdout.contains("fileModifyTime: "), result.stdout)
        XCTAssertTrue(result.stdout.contains("from file:mtime  [zone: given]"), result.stdout)
        XCTAssertTrue(result.stdout.contains("worth a person's attention: no EXIF and a long edge of 1600 pixels"), result.stdout)
        XCTAssertTrue(result.stdout.contains("[metadata.flag.messaging-app-pattern]"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("not proof; nothing here is a verdict\n"), result.stdout)
        XCTAssertEqual(result.stderr, "")
    }

    func testJSONIsAnArrayOfVersionedRecords() throws {
        let folder = TemporaryFolder()
        let a = try folder.write("a.jpg", Self.bareJPEG)
        let b = try folder.write("b.bin", "not media")
        let result = try amana(["metadata", a, b, "--json"])
        XCTAssertEqual(result.status, 0, "\(result)")
        let records = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records.map { $0["mediaType"] as? String }, Array(repeating: "application/vnd.amana.metadata+json;version=1", count: 2))
        XCTAssertEqual((records[1]["subject"] as? [String: Any])?["format"] as? String, "unknown")
    }

    func testHostileFileIsAFindingNotAnError() throws {
        let folder = TemporaryFolder()
        let path = try folder.write("cut.jpg", Array(Self.bareJPEG.prefix(8)))
        let result = try amana(["metadata", path])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("could not read all metadata: "), result.stdout)
        XCTAssertTrue(result.stdout.contains("[metadata.parse.truncated]"), result.stdout)
    }

    func testMissingFileIsOneErrorLine() throws {
        let result = try amana(["metadata", "/nonexistent/amana.jpg"])
        XCTAssertEqual(result.status, 66, "\(result)")
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "amana: error: cannot read /nonexistent/amana.jpg: not a readable file\n")
    }
}
