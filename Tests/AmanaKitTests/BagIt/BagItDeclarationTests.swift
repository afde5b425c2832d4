import XCTest

@testable import AmanaKit

final class BagItDeclarationTests: XCTestCase {
    private func parse(_ text: String) throws -> BagDeclaration {
        try BagDeclaration.parse(Array(text.utf8))
    }

    private func assertInvalid(_ bytes: [UInt8], _ why: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try BagDeclaration.parse(bytes), why, file: file, line: line) { error in
            XCTAssertEqual((error as? AmanaError)?.code, .inputInvalid, file: file, line: line)
        }
    }

    private func assertInvalid(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        assertInvalid(Array(text.utf8), text.debugDescription, file: file, line: line)
    }

    func testWritesExactlyTheTwoLines() {
        XCTAssertEqual(BagDeclaration().serialized(), Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8))
    }

    func testRoundTrip() throws {
        XCTAssertEqual(try BagDeclaration.parse(BagDeclaration().serialized()), BagDeclaration())
    }

    func testAcceptsEveryLineEndingAndAMissingFinalOne() throws {
        for text in [
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
            "BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n",
            "BagIt-Version: 1.0\rTag-File-Character-Encoding: UTF-8\r",
            "BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8",
            "BagIt-Version:\t1.0\nTag-File-Character-Encoding:\tUTF-8\n",
        ] {
            let declaration = try parse(text)
            XCTAssertEqual(declaration.version, .v1_0, text.debugDescription)
            XCTAssertEqual(declaration.encoding, .utf8)
        }
    }

    func testAcceptsEveryKnownVersionAndOtherEncodingNames() throws {
        for version in ["0.93", "0.94", "0.95", "0.96", "0.97", "1.0"] {
            XCTAssertEqual(try parse("BagIt-Version: \(version)\nTag-File-Character-Encoding: UTF-8\n").version.text, version)
        }
        let latin = try parse("BagIt-Version: 0.97\nTag-File-Character-Encoding: ISO-8859-1\n")
        XCTAssertEqual(latin.encoding, .iso8859_1)
        let unknown = try parse("BagIt-Version: 1.0\nTag-File-Character-Encoding: Shift_JIS\n")
        XCTAssertEqual(unknown.encodingName, "Shift_JIS")
        XCTAssertNil(unknown.encoding, "a valid declaration may name an encoding Amana cannot read")
    }

    func testRejectsAByteOrderMark() {
        assertInvalid([0xEF, 0xBB, 0xBF] + Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8), "BOM")
    }

    func testRejectsInvalidWhitespace() {
        assertInvalid("BagIt-Version : 1.0\nTag-File-Character-Encoding : UTF-8\n")
        assertInvalid("BagIt-Version:  1.0\nTag-File-Character-Encoding: UTF-8\n")
        assertInvalid("BagIt-Version: 1.0 \nTag-File-Character-Encoding: UTF-8\n")
        assertInvalid("BagIt-Version:1.0\nTag-File-Character-Encoding: UTF-8\n")
        assertInvalid(" BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        assertInvalid("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\t\n")
    }

    func testRejectsAnythingButExactlyTwoLinesInOrder() {
        assertInvalid("")
        assertInvalid("BagIt-Version: 0.97\n")
        assertInvalid("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n\n")
        assertInvalid("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nExtra: x\n")
        assertInvalid("Tag-File-Character-Encoding: UTF-8\nBagIt-Version: 1.0\n")
        assertInvalid("bagit-version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        assertInvalid("BagIt-Version: 1.0\nTag-File-Character-Encoding:\n")
        assertInvalid("BagIt-Version: 1.0\n  continued\n")
    }

    func testRejectsMalformedAndUnknownVersions() {
        for version in [".97", "1", "1.", "v1.0", "1.0.0", "-1.0", "1,0", "0.98", "2.0", "1.00", "01.0", "99999999999.0"] {
            assertInvalid("BagIt-Version: \(version)\nTag-File-Character-Encoding: UTF-8\n")
        }
    }

    func testRejectsBytesThatAreNotUTF8() {
        assertInvalid(Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8".utf8) + [0xFF, 0x0A], "invalid UTF-8")
        assertInvalid([0xFE, 0xFF, 0x00, 0x42], "UTF-16")
    }

    func testVersionsOrderByNumber() {
        XCTAssertLessThan(BagItVersion("0.97")!, BagItVersion("1.0")!)
        XCTAssertLessThan(BagItVersion("0.9")!, BagItVersion("0.93")!)
        XCTAssertFalse(BagItVersion("1.00")!.isKnown)
        XCTAssertEqual(BagItNames.bagInfoName(for: BagItVersion("0.95")!), "package-info.txt")
        XCTAssertEqual(BagItNames.bagInfoName(for: .v0_96), "bag-info.txt")
    }

    func testSalvageReadsWhatItCanOfABrokenDeclaration() {
        let salvaged = BagDeclaration.salvage(Array("\u{FEFF}BagIt-Version : 0.97\nTag-File-Character-Encoding : ISO-8859-1\n".utf8))
        XCTAssertEqual(salvaged?.version, .v0_97)
        XCTAssertEqual(salvaged?.encoding, .iso8859_1)
    }
}
