@testable import AmanaKit
import Foundation
import XCTest

/// items.json is read by a parser of Amana's own; on every document JSONDecoder reads it must agree with it, and it
/// refuses the ambiguous ones the decoder lets through.
final class ItemsFileParserTests: XCTestCase {
    private func sample(_ count: Int) -> ItemsFile {
        var items = [ItemsFile.Item]()
        for index in 0..<count {
            let digests: [String: String] = ["sha256": "ab\(index)", "sha512": "cd"]
            let modified: String? = index % 2 == 0 ? "2026-11-29T03:05:41Z" : nil
            let original: String? = index % 3 == 0 ? "e\u{301}\u{1F600}\\/\u{1}" : nil
            let acquisition: Acquisition? = index % 4 == 0 ? Acquisition(collector: "Lina", location: "33.5,36.3") : nil
            items.append(ItemsFile.Item(path: "data/photos/IMG_\(index).jpg", size: UInt64(index) * 1_000_003,
                                        digests: digests, mediaType: "image/jpeg", modified: modified,
                                        originalName: original, acquisition: acquisition))
        }
        return ItemsFile(bundleID: "b6a5", caseID: "SY-2026/07 \"Ghouta\"", title: "شهادة\ttab", items: items)
    }

    func testAgreesWithJSONDecoderWhateverTheLayout() throws {
        let file = sample(9)
        let compact = JSONEncoder()
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted]  // unsorted member order
        for bytes in [try file.serialized(), Array(try compact.encode(file)), Array(try pretty.encode(file))] {
            XCTAssertEqual(try ItemsFile(parsing: bytes), try JSONDecoder().decode(ItemsFile.self, from: Data(bytes)))
            XCTAssertEqual(try ItemsFile(parsing: bytes), file)
        }
        // Escapes the encoder never writes, but JSON allows.
        let escaped = #"{"mediaType":"m","bundleId":"\u0062\/\ud83d\ude00","items":[{"path":"p","size":0,"digests":{},"mediaType":"x","modified":null,"acquisition":null}]}"#
        let parsed = try ItemsFile(parsing: Array(escaped.utf8))
        XCTAssertEqual(parsed, try JSONDecoder().decode(ItemsFile.self, from: Data(escaped.utf8)))
        XCTAssertEqual(parsed.bundleID, "b/\u{1F600}")
    }

    func testSkipsUnknownMembersAsTheDecoderDoes() throws {
        let text = #"{"future":{"a":[1,-2.5e3,true,null,"x",{"b":[]}]},"mediaType":"m","bundleId":"b","items":[{"path":"p","size":7,"digests":{"sha256":"00"},"mediaType":"x","extra":false}]}"#
        let parsed = try ItemsFile(parsing: Array(text.utf8))
        XCTAssertEqual(parsed, try JSONDecoder().decode(ItemsFile.self, from: Data(text.utf8)))
        XCTAssertEqual(parsed.items.first?.size, 7)
    }

    func testRefusesWhatIsAmbiguousOrMalformed() {
        let item = #"{"path":"p","size":1,"digests":{},"mediaType":"x"}"#
        let cases: [(String, String)] = [
            (#"{"mediaType":"m","bundleId":"b","bundleId":"c","items":[]}"#, "appears twice"),
            (#"{"mediaType":"m","bundleId":"b","items":[{"path":"p","path":"q","size":1,"digests":{},"mediaType":"x"}]}"#, "appears twice"),
            (#"{"mediaType":"m","bundleId":"b","items":[{"path":"p","size":01,"digests":{},"mediaType":"x"}]}"#, "leading zero"),
            (#"{"mediaType":"m","bundleId":"b","items":[{"path":"p","size":-1,"digests":{},"mediaType":"x"}]}"#, "non-negative integer"),
            (#"{"mediaType":"m","bundleId":"b","items":[{"path":"p","size":1.5,"digests":{},"mediaType":"x"}]}"#, "whole number"),
            (#"{"mediaType":"m","bundleId":"b","items":[{"path":"p","size":18446744073709551616,"digests":{},"mediaType":"x"}]}"#, "64 bits"),
            ("\u{FEFF}{\"mediaType\":\"m\",\"bundleId\":\"b\",\"items\":[]}", "expected an object"),
            (#"{"mediaType":"m","bundleId":"b","items":[]} x"#, "after the document"),
            (#"{"mediaType":"m","bundleId":"\ud800","items":[]}"#, "lone surrogate"),
            ("{\"mediaType\":\"m\",\"bundleId\":\"a\u{1}\",\"items\":[]}", "control character"),
            (#"{"mediaType":"m","items":[]}"#, "'bundleId' is missing"),
            (#"{"mediaType":"m","bundleId":"b","items":[{"path":"p","digests":{},"mediaType":"x"}]}"#, "lacks one of"),
            (#"{"mediaType":"m","bundleId":"b","items":[\#(item),]}"#, "expected an object"),
            (#"{"mediaType":"m","bundleId":"b","items":[],"z":"#, "a value is missing"),
            (#"{"mediaType":"m","bundleId":"b","items":[],"z":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}", "nested deeper"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try ItemsFile(parsing: Array(text.utf8)), text) { error in
                let message = (error as? AmanaError)?.reason ?? "\(error)"
                XCTAssertTrue(message.contains(expected), "\(text): \(message)")
            }
        }
        // Invalid UTF-8 inside a string.
        XCTAssertThrowsError(try ItemsFile(parsing: Array(#"{"mediaType":"m","bundleId":""#.utf8) + [0xC3, 0x28] + Array(#"","items":[]}"#.utf8)))
    }
}
