@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// The sealer's metadata records must cost flat memory: each line leaves memory once every earlier item's line has,
/// through a block buffer and an unlinked temporary file, however many items a bundle has. The figures checked are
/// counts the writer keeps (lines waiting, bytes buffered), not timings or resident memory, so they cannot flake on a
/// busy machine; and the records file must still be byte for byte the records of the items in order.
final class MetadataRecordsWriterTests: XCTestCase {
    private let claimed = UTCTime.parse("2026-06-01T12:00:00Z")!

    func testRecordsAreWrittenInOrderWhileOnlyAFewWaitInMemory() throws {
        let folder = TemporaryFolder()
        let count = 700
        for index in 0..<count {
            let name = String(format: "in/%03d/item-%04d", index / 100, index)
            if index % 10 == 0 {
                let tiff = MetadataFixtures.tiff(ifd0: [.ascii(0x010F, "Maker \(index)")],
                                                 exif: [.ascii(0x9003, "2024:05:01 10:20:\(String(format: "%02d", index % 60))")])
                try folder.write(name + ".jpg", MetadataFixtures.jpeg(tiff: tiff, width: 64, height: 48))
            } else {
                try folder.write(name + ".txt", Array("exhibit \(index)".utf8))
            }
        }
        // Larger than one slot of the read ring: its record is read on the reading thread, while the small files
        // before it may still be parsed on other threads.
        try folder.write("in/300/large.jpg", MetadataFixtures.jpeg(tiff: nil) + [UInt8](repeating: 0x5A, count: 1 << 20))
        var options = SealOptions(inputs: [folder.file("in")], output: folder.file("case.tar"))
        options.time = claimed
        _ = try Sealer.seal(options, key: try SecretKey.generate(name: "Field Team", organization: nil))

        let held = MetadataRecordsFile.Writer.lastHeld.value
        let entries = try TestingHooks.tarEntries(folder.file("case.tar"))
        let file = try XCTUnwrap(entries.first { $0.path.hasSuffix("/" + MetadataRecordsFile.path) }).contents
        let lines = file.split(separator: 0x0A)
        XCTAssertEqual(lines.count, count + 1)
        XCTAssertGreaterThan(file.count, 3 * MetadataRecordsFile.Writer.flushBytes,
                             "the records must outgrow the buffer for the test to mean anything")
        XCTAssertLessThan(held.waitingLines, ChunkPipeline.depth,
                          "a line waits only for records still in the read ring")
        let longest = lines.map(\.count).max() ?? 0
        XCTAssertLessThan(held.bufferedBytes, MetadataRecordsFile.Writer.flushBytes + longest + 1)
        XCTAssertGreaterThan(held.spooledEarly, 0, "lines must leave memory before the last item is read")

        // Byte for byte the record of each item in items.json's order, as a read of the file gives it.
        let items = try ItemsFile(parsing: try XCTUnwrap(entries.first { $0.path.hasSuffix("/" + BundleLayout.itemsFile) }).contents)
        XCTAssertEqual(items.items.count, lines.count)
        for (item, line) in zip(items.items, lines) {
            let source = folder.file(String(item.path.dropFirst("data/".count)))
            let record = try MetadataReader.read(path: source, name: item.path, acquisitionTime: claimed, now: claimed)
            XCTAssertEqual(Array(line), MetadataRecordJSON.serialize(record), item.path)
        }
        // The spool was unlinked when it was made: nothing but the bundle appears beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted(), ["case.tar", "in"])
    }
}
