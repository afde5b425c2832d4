@testable import AmanaKit
import XCTest

/// The one JSON string tokenizer: what it reads, what it refuses and where, and that the custody log's parser and
/// the items.json reader, which both use it, accept and refuse the same strings.
final class JSONStringScannerTests: XCTestCase {
    private func scan(_ text: String) -> Result<String, JSONStringScanner.Failure> {
        var index = 0
        do { return .success(try JSONStringScanner.scan(Array(text.utf8), at: &index)) } catch {
            return .failure(error as! JSONStringScanner.Failure)
        }
    }

    func testReadsEscapesAndSurrogatePairs() throws {
        XCTAssertEqual(try scan(#""plain""#).get(), "plain")
        XCTAssertEqual(try scan(#""a\"b\\c\/d\b\f\n\r\t""#).get(), "a\"b\\c/d\u{08}\u{0C}\n\r\t")
        XCTAssertEqual(try scan(#""caf\u00e9 \u00E9""#).get(), "café é")
        XCTAssertEqual(try scan(#""\ud83d\ude00""#).get(), "😀")
        var index = 0
        _ = try JSONStringScanner.scan(Array(#""ab" tail"#.utf8), at: &index)
        XCTAssertEqual(index, 4, "just past the closing quote")
    }

    func testRefusesWhatCouldBeReadTwoWaysWithTheByte() {
        let cases: [(String, JSONStringScanner.Problem, Int)] = [
            (#""open"#, .unterminated, 5),
            ("\"a\\", .unterminatedEscape, 3),
            ("\"a\u{09}b\"", .controlCharacter, 2),
            (#""\x""#, .unknownEscape, 3),
            (#""\u12""#, .escapeCutShort, 3),
            (#""\u12g4""#, .escapeNotHex, 3),
            (#""\ud83d""#, .highSurrogateAlone, 7),
            (#""\ude00""#, .loneSurrogate, 7),
            (#""\ud83d\u0041""#, .loneSurrogate, 13),
        ]
        for (text, problem, index) in cases {
            guard case .failure(let failure) = scan(text) else { XCTFail(text); continue }
            XCTAssertEqual(failure.problem, problem, text)
            XCTAssertEqual(failure.index, index, text)
        }
        var index = 0
        XCTAssertThrowsError(try JSONStringScanner.scan([0x22, 0xC3, 0x28, 0x22], at: &index)) {
            XCTAssertEqual(($0 as? JSONStringScanner.Failure)?.problem, .invalidUTF8)
        }
    }

    /// A string is accepted by the custody log's parser exactly when items.json accepts it as a bundle id.
    func testBothReadersAgree() {
        let strings = [#""b""#, #""caf\u00e9""#, #""\ud83d\ude00""#, #""\ud83d""#, #""\ude00""#, "\"a\u{01}\"", #""\q""#,
                       #""\u00zz""#, #""ok\/""#]
        for string in strings {
            let canonical = try? CanonicalJSON.parse(Array(string.utf8))
            let items = try? ItemsFile(parsing: Array(#"{"mediaType":"m","bundleId":\#(string),"items":[]}"#.utf8))
            XCTAssertEqual(canonical == nil, items == nil, string)
            if case .string(let text)? = canonical { XCTAssertEqual(items?.bundleID, text, string) }
        }
    }
}
