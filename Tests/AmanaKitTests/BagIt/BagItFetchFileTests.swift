import XCTest

@testable import AmanaKit

final class BagItFetchFileTests: XCTestCase {
    func testReadsUrlLengthAndAPathWithSpaces() {
        let text = "http://localhost:8989/bags/holey-bag/data/test%201.txt - data/test 1.txt\r\nhttps://example.org/x 42\tdata/x%0Ay\n"
        let (fetch, findings) = FetchFile.parse(text, version: .v1_0)
        XCTAssertEqual(findings, [])
        XCTAssertEqual(fetch.entries, [
            .init(url: "http://localhost:8989/bags/holey-bag/data/test%201.txt", length: nil, path: "data/test 1.txt"),
            .init(url: "https://example.org/x", length: 42, path: "data/x\ny"),
        ])
    }

    func testMalformedLinesAreFindings() {
        let text = "http://x/a -\nnot-a-url - data/a\nhttp://x/a 12ab data/a\nhttp://x/a -12 data/a\n:// - data/a\n"
        let (fetch, findings) = FetchFile.parse(text, version: .v1_0)
        XCTAssertEqual(fetch.entries, [])
        XCTAssertEqual(findings.map(\.code), Array(repeating: FetchCode.malformed.rawValue, count: 5))
    }

    func testPathsMustBeSafeAndInsideThePayload() {
        for path in ["../../../README.md", "/tmp/test.txt", "~/test.txt", "~root/foo", "C:\\Windows\\x.exe", "bagit.txt", "data/../x"] {
            let (fetch, findings) = FetchFile.parse("https://example.org - \(path)\n", version: .v0_97)
            XCTAssertEqual(fetch.entries, [], path)
            XCTAssertEqual(findings.map(\.code), [FetchCode.pathInvalid.rawValue], path)
            XCTAssertEqual(findings.first?.subject, path)
        }
    }

    func testURLSchemes() {
        XCTAssertTrue(FetchFile.isAbsoluteURL("file:///x"))
        XCTAssertTrue(FetchFile.isAbsoluteURL("s3+https://bucket/x"))
        XCTAssertFalse(FetchFile.isAbsoluteURL("/x"))
        XCTAssertFalse(FetchFile.isAbsoluteURL("1http://x"))
        XCTAssertFalse(FetchFile.isAbsoluteURL("http:"))
    }
}
