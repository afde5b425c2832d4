@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// metadata.jsonl is written by hand (for speed); its lines must stay exactly what Foundation's JSONEncoder wrote for
/// every bundle sealed before, so the encoder is the oracle here. And a record read from bytes in memory (the sealer's
/// read ring) must equal the record read from the file.
final class MetadataRecordJSONTests: XCTestCase {
    private func encoderBytes(_ record: MetadataRecord) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(record))
    }

    private func randomText(_ generator: inout SystemRandomNumberGenerator) -> String {
        let pool: [Character] = ["a", "Z", "0", " ", "/", "\\", "\"", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{1}", "\u{1f}",
                                 "\u{7f}", "é", "e\u{301}", "ش", "\u{2028}", "\u{202e}", "😀", "%", ":", "{", "]", "\u{0}"]
        return String((0..<Int.random(in: 0...12, using: &generator)).map { _ in pool.randomElement(using: &generator)! })
    }

    func testHandWrittenLinesEqualTheEncoders() throws {
        var generator = SystemRandomNumberGenerator()
        let zones: [TimeZoneBasis?] = [nil, .given, .containerUTC, .unknown]
        for round in 0..<300 {
            func observations() -> [MetadataObservation] {
                (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                    MetadataObservation(randomText(&generator), randomText(&generator))
                }
            }
            let values = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                MetadataValue(MetadataField(rawValue: randomText(&generator)), source: randomText(&generator),
                              raw: randomText(&generator), normalised: randomText(&generator),
                              timeZone: zones.randomElement(using: &generator)!)
            }
            var record = MetadataRecord(
                subject: .init(name: randomText(&generator), size: UInt64.random(in: 0...UInt64.max, using: &generator),
                               format: randomText(&generator)),
                values: values, observations: observations(), findings: observations())
            if round % 7 == 0 { record.notice = randomText(&generator) }
            let mine = MetadataRecordJSON.serialize(record)
            XCTAssertEqual(mine, try encoderBytes(record), "round \(round):\n\(String(decoding: mine, as: UTF8.self))")
        }
    }

    func testRecordOfARealReadEqualsTheEncoders() throws {
        let folder = TemporaryFolder()
        let tiff = MetadataFixtures.tiff(
            ifd0: [.ascii(0x010F, "Fairphone"), .ascii(0x0131, "Adobe Photoshop 25")],
            exif: [.ascii(0x9003, "2099:05:01 10:20:30"), .ascii(0x9011, "+03:00")],
            gps: [.ascii(0x0001, "N"), .rationals(0x0002, [(0, 1), (0, 1), (0, 1)]),
                  .ascii(0x0003, "E"), .rationals(0x0004, [(0, 1), (0, 1), (0, 1)])])
        let path = try folder.write("photo.jpg", MetadataFixtures.jpeg(tiff: tiff, width: 1600, height: 900))
        let record = try MetadataReader.read(path: path, name: "photo.jpg")
        XCTAssertFalse(record.observations.isEmpty, "the fixture must give observations for the test to cover them")
        XCTAssertEqual(MetadataRecordJSON.serialize(record), try encoderBytes(record))
    }

    /// The sealer parses a small file from the bytes it read for hashing: the record must be the one a read of the
    /// file gives, for every format and for hostile files too (same reads, same limits, same findings).
    func testReadingFromBorrowedBytesEqualsReadingTheFile() throws {
        let folder = TemporaryFolder()
        let modified = Date(timeIntervalSince1970: 1_700_000_000)
        var inputs: [(String, [UInt8])] = []
        for target in MetadataFuzzing.formats {
            let seeds = TestEnvironment.packageRoot.appendingPathComponent("fixtures/fuzz/corpus/metadata-\(target)").path
            for seed in (try? FileManager.default.contentsOfDirectory(atPath: seeds)) ?? [] {
                let bytes = try readBytes("\(seeds)/\(seed)")
                inputs.append(("\(target)-\(seed)", bytes))
                // And cut short: the truncation findings must match too.
                inputs.append(("\(target)-\(seed)-cut", Array(bytes.prefix(bytes.count * 2 / 3))))
            }
        }
        inputs.append(("truncated.jpg", Array(MetadataFixtures.jpeg(tiff: MetadataFixtures.tiff(ifd0: [.ascii(0x010F, "X")])).prefix(30))))
        inputs.append(("empty", []))
        XCTAssertGreaterThan(inputs.count, 8, "the fuzz seeds must be found")
        for (name, bytes) in inputs {
            let path = try folder.write(name, bytes)
            let handle = try XCTUnwrap(FileHandle(forReadingAtPath: path))
            defer { try? handle.close() }
            let fromFile = MetadataReader.read(descriptor: handle.fileDescriptor, size: UInt64(bytes.count),
                                               modified: modified, name: name, acquisitionTime: modified, now: modified)
            let fromMemory = bytes.withUnsafeBytes {
                MetadataReader.read(MetadataSource(borrowing: $0), name: name, modified: modified,
                                    acquisitionTime: modified, now: modified)
            }
            XCTAssertEqual(fromMemory, fromFile, name)
        }
    }
}
