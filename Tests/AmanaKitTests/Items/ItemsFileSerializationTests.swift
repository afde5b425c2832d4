@testable import AmanaKit
import Foundation
import XCTest

/// items.json is written by hand (to keep memory flat); its bytes must stay exactly what Foundation's JSONEncoder
/// wrote for every bundle sealed before, so the encoder is the oracle here.
final class ItemsFileSerializationTests: XCTestCase {
    private func encoderBytes(_ file: ItemsFile) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(file)) + [UInt8(ascii: "\n")]
    }

    private func randomText(_ generator: inout SystemRandomNumberGenerator) -> String {
        let pool: [Character] = ["a", "Z", "0", " ", "/", "\\", "\"", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{1}", "\u{1f}",
                                 "\u{7f}", "é", "e\u{301}", "ش", "\u{2028}", "\u{202e}", "😀", "%", ":", "{", "]"]
        return String((0..<Int.random(in: 0...12, using: &generator)).map { _ in pool.randomElement(using: &generator)! })
    }

    func testHandWrittenBytesEqualTheEncoders() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let items = (0..<Int.random(in: 0...4, using: &generator)).map { _ -> ItemsFile.Item in
                var digests = [String: String]()
                for name in ["sha256", "sha512", "blake2b512"] where Bool.random(using: &generator) {
                    digests[name] = randomText(&generator)
                }
                let acquisition = Bool.random(using: &generator) ? Acquisition(
                    collector: Bool.random(using: &generator) ? randomText(&generator) : nil,
                    sourceURL: Bool.random(using: &generator) ? randomText(&generator) : nil,
                    device: Bool.random(using: &generator) ? randomText(&generator) : nil,
                    location: Bool.random(using: &generator) ? randomText(&generator) : nil,
                    note: Bool.random(using: &generator) ? randomText(&generator) : nil) : nil
                return ItemsFile.Item(
                    path: "data/" + randomText(&generator), size: UInt64.random(in: 0...UInt64.max, using: &generator),
                    digests: digests, mediaType: randomText(&generator),
                    modified: Bool.random(using: &generator) ? randomText(&generator) : nil,
                    originalName: Bool.random(using: &generator) ? randomText(&generator) : nil,
                    acquisition: acquisition)
            }
            let file = ItemsFile(bundleID: randomText(&generator),
                                 caseID: Bool.random(using: &generator) ? randomText(&generator) : nil,
                                 title: Bool.random(using: &generator) ? randomText(&generator) : nil, items: items)
            let mine = try file.serialized()
            XCTAssertEqual(mine, try encoderBytes(file), "round \(round):\n\(String(decoding: mine, as: UTF8.self))")
            XCTAssertEqual(try ItemsFile(parsing: mine), file, "round \(round): reads back")
        }
    }
}
