import XCTest

@testable import AmanaKit

final class BagItTagFileTests: XCTestCase {
    private func fields(_ text: String, _ separator: TagFile.Separator = .strict) -> [TagFile.Field] {
        let parsed = TagFile.parse(text, separator: separator)
        XCTAssertEqual(parsed.problems, [], "unexpected problems in \(text.debugDescription)")
        return parsed.tagFile.fields
    }

    func testLineEndingsLFCRLFAndCRAreAllLineEnds() {
        let expected = [TagFile.Field("A", "1"), TagFile.Field("B", "2"), TagFile.Field("C", "3")]
        XCTAssertEqual(fields("A: 1\nB: 2\nC: 3\n"), expected)
        XCTAssertEqual(fields("A: 1\r\nB: 2\r\nC: 3\r\n"), expected)
        XCTAssertEqual(fields("A: 1\rB: 2\rC: 3\r"), expected)
        XCTAssertEqual(fields("A: 1\r\nB: 2\rC: 3"), expected, "mixed endings, no final line end")
    }

    func testCRLFIsOneLineEndNotAnEmptyLine() {
        XCTAssertEqual(TextLines.split("a\r\nb"), ["a", "b"])
        XCTAssertEqual(TextLines.split("a\r\rb"), ["a", "", "b"])
        XCTAssertEqual(TextLines.split("a\n\nb\n"), ["a", "", "b"])
        XCTAssertEqual(TextLines.split(""), [])
    }

    func testContinuationLinesKeepTheLineBreakAndDropTheIndent() {
        let text = "External-Description: Uncompressed greyscale TIFF images from the\r\n         Yoshimuri papers collection.\r\nNext:\tvalue\n\tmore\n"
        XCTAssertEqual(fields(text), [
            TagFile.Field("External-Description", "Uncompressed greyscale TIFF images from the\nYoshimuri papers collection."),
            TagFile.Field("Next", "value\nmore"),
        ])
    }

    func testUncommonSeparatorsAreAcceptedBefore1_0() {
        let text = "Test-Tag: 1\nTest-Tag:   2\nTest-Tag : 3\nTest-Tag : 4\nTest-Tag    :   5\n"
        let parsed = fields(text, .lenient)
        XCTAssertEqual(parsed.map(\.label), Array(repeating: "Test-Tag", count: 5))
        XCTAssertEqual(parsed.map(\.value), ["1", "2", "3", "4", "5"])
        XCTAssertEqual(TagFile.Separator(for: .v0_97), .lenient)
        XCTAssertEqual(TagFile.Separator(for: .v1_0), .strict)
    }

    func testStrictSeparatorsFollowBagIt1_0() {
        XCTAssertEqual(fields("A:\tvalue\nB:\nC: \n"), [TagFile.Field("A", "value"), TagFile.Field("B", ""), TagFile.Field("C", "")])
        for bad in ["Label : value", "Label:  value", "Label:value", "Label\t: value"] {
            let parsed = TagFile.parse(bad + "\n", separator: .strict)
            XCTAssertEqual(parsed.problems.count, 1, bad)
            XCTAssertEqual(parsed.problems.first?.line, 1, bad)
            XCTAssertEqual(TagFile.parse(bad, separator: .lenient).problems, [], bad)
        }
    }

    func testValuesMayHoldColonsAndLabelsMayRepeat() {
        XCTAssertEqual(fields("Contact-Email: a:b@example.org\nX: 1\nx: 2\n"), [
            TagFile.Field("Contact-Email", "a:b@example.org"), TagFile.Field("X", "1"), TagFile.Field("x", "2"),
        ])
        XCTAssertEqual(TagFile(fields: fields("X: 1\nY: 0\nx: 2\n")).values("X"), ["1", "2"])
    }

    func testEveryBadLineIsReportedAndTheGoodOnesKept() {
        let parsed = TagFile.parse("  orphan continuation\nA: 1\nno colon here\n: empty label\nB: 2\n  continued\n", separator: .strict)
        XCTAssertEqual(parsed.tagFile.fields, [TagFile.Field("A", "1"), TagFile.Field("B", "2\ncontinued")])
        XCTAssertEqual(parsed.problems.map(\.line), [1, 3, 4])
    }

    func testAContinuationOfABadLineIsNotGluedToTheFieldBefore() {
        let parsed = TagFile.parse("A: 1\nbroken\n  tail\n", separator: .strict)
        XCTAssertEqual(parsed.tagFile.fields, [TagFile.Field("A", "1")])
        XCTAssertEqual(parsed.problems.map(\.line), [2])
    }

    func testBlankLinesAreSkipped() {
        XCTAssertEqual(fields("\nA: 1\n\n   \nB: 2\n\n"), [TagFile.Field("A", "1"), TagFile.Field("B", "2")])
    }

    func testGarbageNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = TagFileEncoding.iso8859_1.decode(bytes)!.text
            _ = TagFile.parse(text, separator: .strict)
            _ = TagFile.parse(text, separator: .lenient)
        }
    }

    func testSerializedRoundTrips() throws {
        let file = TagFile(fields: [
            TagFile.Field("Source-Organization", "Amana Project"),
            TagFile.Field("External-Description", "first line\nsecond: line"),
            TagFile.Field("Empty", ""),
            TagFile.Field("Source-Organization", "Second Org"),
        ])
        let text = try file.serialized()
        XCTAssertEqual(text, "Source-Organization: Amana Project\nExternal-Description: first line\n  second: line\nEmpty: \nSource-Organization: Second Org\n")
        XCTAssertEqual(TagFile.parse(text, separator: .strict).tagFile, file)
    }

    func testSerializedRefusesWhatWouldNotReadBack() {
        for field in [
            TagFile.Field("", "x"), TagFile.Field("A:B", "x"), TagFile.Field(" A", "x"), TagFile.Field("A\nB", "x"),
            TagFile.Field("A", " leading"), TagFile.Field("A", "trailing "), TagFile.Field("A", "a\n\nb"),
            TagFile.Field("A", "a\rb"),
        ] {
            XCTAssertThrowsError(try TagFile(fields: [field]).serialized(), "\(field)")
        }
    }
}
