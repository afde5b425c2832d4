@testable import AmanaKit
import Foundation
import XCTest

/// The one base64 codec: what it writes is what Foundation writes, and it reads back only that spelling.
final class Base64Tests: XCTestCase {
    func testEncodingIsFoundationsForEveryLengthAndReadsBack() {
        var bytes = [UInt8]()
        for length in 0..<70 {
            let text = Base64.encode(bytes)
            XCTAssertEqual(text, Data(bytes).base64EncodedString(), "length \(length)")
            XCTAssertEqual(Base64.decode(text), bytes, "length \(length)")
            XCTAssertEqual(Base64.decode(Array(text.utf8), length: length), bytes, "length \(length)")
            XCTAssertNil(Base64.decode(Array(text.utf8), length: length + 1), "length \(length)")
            bytes.append(UInt8(truncatingIfNeeded: length &* 37 &+ 11))
        }
    }

    /// Every other spelling of the same bytes is refused: missing or extra padding, non-zero tail bits, whitespace,
    /// the URL alphabet.
    func testOnlyTheCanonicalSpellingIsRead() {
        XCTAssertEqual(Base64.decode("QQ=="), [0x41])
        XCTAssertEqual(Base64.decode("QUI="), [0x41, 0x42])
        XCTAssertEqual(Base64.decode(""), [])
        for text in ["QQ", "QQ=", "QR==", "QUJ=", "Q===", "====", "QQ==QQ==", "QU I=", "QUI=\n", "-_8=", "QQ=A"] {
            XCTAssertNil(Base64.decode(text), text)
            // Foundation agrees once its output is required to be the input.
            XCTAssertFalse(Data(base64Encoded: text).map { $0.base64EncodedString() == text } ?? false, text)
        }
    }
}
