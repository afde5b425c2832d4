@testable import AmanaKit
import XCTest

final class VerdictTests: XCTestCase {
    func testRules() {
        let pass = Finding.passed("a.b", "ok")
        XCTAssertEqual(Verdict(findings: []), .indeterminate, "nothing shown means nothing passed")
        XCTAssertEqual(Verdict(findings: [pass]), .totalPassed)
        XCTAssertEqual(Verdict(findings: [pass, .warning("w", "w")]), .totalPassed)
        XCTAssertEqual(Verdict(findings: [pass, .indeterminate("i", "i")]), .indeterminate)
        XCTAssertEqual(Verdict(findings: [.indeterminate("i", "i"), .failed("f", "f")]), .totalFailed)
        XCTAssertEqual([Verdict.totalPassed, .totalFailed, .indeterminate].map(\.exitCode), [0, 1, 2])
    }

    func testMediaTypes() {
        XCTAssertEqual(MediaType.detect(prefix: [0xFF, 0xD8, 0xFF, 0xE0], name: "x.bin"), "image/jpeg")
        XCTAssertEqual(MediaType.detect(prefix: [0, 0, 0, 0x18] + Array("ftypisom".utf8), name: "clip"), "video/mp4")
        XCTAssertEqual(MediaType.detect(prefix: [0, 0, 0, 0x18] + Array("ftypqt  ".utf8), name: "clip"), "video/quicktime")
        XCTAssertEqual(MediaType.detect(prefix: Array("hello".utf8), name: "notes.TXT"), "text/plain")
        XCTAssertEqual(MediaType.detect(prefix: [], name: "noext"), "application/octet-stream")
    }
}
