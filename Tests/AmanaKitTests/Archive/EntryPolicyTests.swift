@testable import AmanaKit
import XCTest

final class EntryPolicyTests: XCTestCase {
    func testAcceptsOrdinaryNames() {
        XCTAssertEqual(try EntryPolicy.check("b/data/x.jpg", isDirectory: false).get(), .init(root: "b", bagPath: "data/x.jpg"))
        XCTAssertEqual(try EntryPolicy.check("b/", isDirectory: true).get(), .init(root: "b", bagPath: ""))
        XCTAssertEqual(try EntryPolicy.check("b/data/شهادة.txt", isDirectory: false).get().bagPath, "data/شهادة.txt")
    }

    func testRejectsEscapesAndAmbiguity() {
        let cases: [(String?, EntryPolicy.Rejection)] = [
            (nil, .notUTF8),
            ("/etc/passwd", .absolute),
            ("b/../../x", .parentReference),
            ("b/data/..", .parentReference),
            ("b\\data\\x", .backslash),
            ("b//x", .emptyOrDotComponent),
            ("b/./x", .emptyOrDotComponent),
            ("./b/x", .emptyOrDotComponent),
            ("b/x/", .emptyOrDotComponent),
            ("b/x\ny", .controlCharacter),
            ("b/x\u{7f}", .controlCharacter),
            // A combining mark after a slash glues to it as one Character; the byte-wise split still sees "..".
            ("b/../\u{301}x", .parentReference),
            ("b/./\u{301}x", .emptyOrDotComponent),
        ]
        for (name, rejection) in cases {
            XCTAssertEqual(EntryPolicy.check(name, isDirectory: false), .failure(rejection), "\(String(describing: name))")
        }
    }
}

final class PathBytesTests: XCTestCase {
    /// A combining mark after the slash defeats String.hasPrefix; the byte test must not be fooled.
    func testCombiningMarkCannotHideAPayloadFile() {
        let sneaky = "data/\u{301}x.jpg"
        XCTAssertFalse(sneaky.hasPrefix("data/"), "the reason this helper exists")
        XCTAssertTrue(BagInventory.isPayload(sneaky))
        XCTAssertTrue("x.seal".hasByteSuffix(".seal"))
        XCTAssertNil(BundleLayout.parseSealPath("seals/\u{301}0001.seal"))
    }
}

final class EntryLimitTests: XCTestCase {
    func testOverlongAndOverDeepNamesAreRefused() {
        XCTAssertEqual(EntryPolicy.check("b/" + String(repeating: "x", count: 5000), isDirectory: false), .failure(.tooLong))
        XCTAssertEqual(EntryPolicy.check("b/" + Array(repeating: "d", count: 300).joined(separator: "/"), isDirectory: false),
                       .failure(.tooLong))
        XCTAssertNotNil(try? EntryPolicy.check("b/" + Array(repeating: "d", count: 200).joined(separator: "/"), isDirectory: false).get())
    }
}
