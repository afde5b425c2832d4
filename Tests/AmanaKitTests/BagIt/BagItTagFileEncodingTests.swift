import XCTest

@testable import AmanaKit

final class BagItTagFileEncodingTests: XCTestCase {
    func testDeclaredNamesAreMatchedWithoutCaseAndByAlias() {
        XCTAssertEqual(TagFileEncoding(declaredName: "UTF-8"), .utf8)
        XCTAssertEqual(TagFileEncoding(declaredName: "utf-8"), .utf8)
        XCTAssertEqual(TagFileEncoding(declaredName: "ISO-8859-1"), .iso8859_1)
        XCTAssertEqual(TagFileEncoding(declaredName: "latin1"), .iso8859_1)
        XCTAssertEqual(TagFileEncoding(declaredName: "UTF-16"), .utf16)
        XCTAssertEqual(TagFileEncoding(declaredName: "us-ascii"), .usASCII)
        XCTAssertNil(TagFileEncoding(declaredName: "Shift_JIS"))
        XCTAssertNil(TagFileEncoding(declaredName: ""))
        XCTAssertNil(TagFileEncoding(declaredName: "UTF-8 "))
    }

    func testUTF8IsStrictAndReportsAByteOrderMark() {
        XCTAssertEqual(TagFileEncoding.utf8.decode(Array("Núñez".utf8)), .init(text: "Núñez", hadByteOrderMark: false))
        XCTAssertEqual(TagFileEncoding.utf8.decode([0xEF, 0xBB, 0xBF, 0x41]), .init(text: "A", hadByteOrderMark: true))
        XCTAssertNil(TagFileEncoding.utf8.decode([0x41, 0xC3]), "truncated sequence")
        XCTAssertNil(TagFileEncoding.utf8.decode([0xC0, 0xAF]), "overlong slash")
        XCTAssertNil(TagFileEncoding.utf8.decode([0xED, 0xA0, 0x80]), "encoded surrogate")
    }

    func testISO8859_1MapsEveryByte() {
        XCTAssertEqual(TagFileEncoding.iso8859_1.decode([0x63, 0x61, 0x66, 0xE9])?.text, "café")
        XCTAssertEqual(TagFileEncoding.iso8859_1.decode(Array(0...255))?.text.unicodeScalars.count, 256)
    }

    func testUSASCIIRefusesHighBytes() {
        XCTAssertEqual(TagFileEncoding.usASCII.decode(Array("abc".utf8))?.text, "abc")
        XCTAssertNil(TagFileEncoding.usASCII.decode([0x61, 0xE9]))
    }

    func testUTF16FollowsItsByteOrderMarkAndDefaultsToBigEndian() {
        XCTAssertEqual(TagFileEncoding.utf16.decode([0xFE, 0xFF, 0x00, 0x41, 0x00, 0xE9]), .init(text: "Aé", hadByteOrderMark: true))
        XCTAssertEqual(TagFileEncoding.utf16.decode([0xFF, 0xFE, 0x41, 0x00, 0xE9, 0x00]), .init(text: "Aé", hadByteOrderMark: true))
        XCTAssertEqual(TagFileEncoding.utf16.decode([0x00, 0x41]), .init(text: "A", hadByteOrderMark: false))
        XCTAssertEqual(TagFileEncoding.utf16LE.decode([0x41, 0x00]), .init(text: "A", hadByteOrderMark: false))
        XCTAssertEqual(TagFileEncoding.utf16BE.decode([0xFE, 0xFF, 0x00, 0x41]), .init(text: "A", hadByteOrderMark: true))
        XCTAssertEqual(TagFileEncoding.utf16.decode([0xD8, 0x3D, 0xDE, 0x00])?.text, "😀")
    }

    func testUTF16IsStrict() {
        XCTAssertNil(TagFileEncoding.utf16.decode([0xFE, 0xFF, 0x00]), "odd length")
        XCTAssertNil(TagFileEncoding.utf16.decode([0xD8, 0x00, 0x00, 0x41]), "unpaired high surrogate")
        XCTAssertNil(TagFileEncoding.utf16.decode([0xDC, 0x00]), "lone low surrogate")
    }
}
