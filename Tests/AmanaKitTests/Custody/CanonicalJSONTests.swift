@testable import AmanaKit
import XCTest

final class CanonicalJSONTests: XCTestCase {
    /// RFC 8785 section 3.2.3: members sort by UTF-16 code units (so U+1F600, a surrogate pair, sorts before U+FB33).
    func testKeyOrderIsUTF16() {
        let keys = ["\u{20ac}", "\r", "\u{fb33}", "1", "\u{1f600}", "\u{80}", "\u{f6}"]
        let value = JSONValue.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONValue.null) }))
        let text = String(decoding: CanonicalJSON.serialize(value), as: UTF8.self)
        XCTAssertEqual(text, "{\"\\r\":null,\"1\":null,\"\u{80}\":null,\"\u{f6}\":null,\"\u{20ac}\":null,\"\u{1f600}\":null,\"\u{fb33}\":null}")
    }

    func testStringEscapes() {
        let text = String(decoding: CanonicalJSON.serialize(.string("a\"b\\c\n\t\u{0f}é/€")), as: UTF8.self)
        XCTAssertEqual(text, "\"a\\\"b\\\\c\\n\\t\\u000fé/€\"")
    }

    func testRoundTripAndCanonicalCheck() throws {
        let value = JSONValue.object(["b": .array([.integer(-5), .bool(true), .null]), "a": .string("x"), "c": .object([:])])
        let bytes = CanonicalJSON.serialize(value)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "{\"a\":\"x\",\"b\":[-5,true,null],\"c\":{}}")
        XCTAssertEqual(try CanonicalJSON.parseCanonical(bytes), value)
        for variant in ["{\"b\":[-5,true,null],\"a\":\"x\",\"c\":{}}", "{\"a\": \"x\",\"b\":[-5,true,null],\"c\":{}}",
                        "{\"a\":\"\\u0078\",\"b\":[-5,true,null],\"c\":{}}", "{\"a\":\"x\",\"b\":[-5,true,null],\"c\":{}}\n"] {
            XCTAssertThrowsError(try CanonicalJSON.parseCanonical(Array(variant.utf8)), variant)
        }
    }

    func testStrictParserRejections() {
        let bad = [
            "{\"a\":1,\"a\":2}",                       // duplicate
            "{\"\u{e9}\":1,\"e\u{301}\":2}",           // duplicate after normalisation
            "1.5", "1e3", "01", "-0", "9007199254740993", "12345678901234567",
            "[1,]", "{\"a\":1,}", "\"\\ud800\"", "\"\u{01}\"", "\"abc", "tru", "[1] [2]",
            "\u{feff}{}",
            String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
        ]
        for text in bad {
            XCTAssertThrowsError(try CanonicalJSON.parse(Array(text.utf8)), text) { error in
                XCTAssertEqual((error as? AmanaError)?.code, .inputInvalid)
            }
        }
        XCTAssertThrowsError(try CanonicalJSON.parse([0x22, 0xFF, 0x22]), "invalid UTF-8")
        XCTAssertEqual(try CanonicalJSON.parse(Array("\"\\ud83d\\ude00\"".utf8)), .string("\u{1f600}"))
    }
}
