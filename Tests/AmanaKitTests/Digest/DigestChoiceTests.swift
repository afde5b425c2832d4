import AmanaKit
import XCTest

final class DigestChoiceTests: XCTestCase {
    func testAllowedSetsParseInAnyOrderAndCase() throws {
        XCTAssertEqual(try DigestChoice.parse("sha256,sha512"), [.sha256, .sha512])
        XCTAssertEqual(try DigestChoice.parse("SHA512, sha256"), [.sha256, .sha512])
        XCTAssertEqual(try DigestChoice.parse("sha256"), [.sha256])
        XCTAssertEqual(try DigestChoice.parse("blake2b512,sha256"), [.sha256, .blake2b512])
        XCTAssertEqual(try DigestChoice.parse("sha512,blake2b512"), [.sha512, .blake2b512])
        XCTAssertEqual(DigestChoice.allowed.first, DigestAlgorithm.sealDefault)
    }

    func testOtherSetsAreRefusedWithTheAllowedOnesAsHint() {
        for text in ["", "sha512", "blake2b512", "md5", "sha1,sha256", "sha256,sha256", "sha256,sha512,blake2b512",
                     "sha384", "sha3-256", "sha256,"] {
            XCTAssertThrowsError(try DigestChoice.parse(text), text) { error in
                let amana = error as? AmanaError
                XCTAssertEqual(amana?.code, .usage, text)
                XCTAssertTrue(amana?.hint?.contains("sha256,sha512") ?? false, text)
            }
        }
    }

    func testBlake2bManifestName() {
        XCTAssertEqual(DigestAlgorithm(bagItName: "blake2b512"), .blake2b512)
        XCTAssertEqual(Manifest(kind: .payload, algorithm: .blake2b512).fileName, "manifest-blake2b512.txt")
        XCTAssertEqual(Manifest(kind: .tag, algorithm: .blake2b512).fileName, "tagmanifest-blake2b512.txt")
        XCTAssertEqual(DigestAlgorithm.blake2b512.byteCount, 64)
        XCTAssertFalse(DigestAlgorithm.blake2b512.isBroken)
    }
}
