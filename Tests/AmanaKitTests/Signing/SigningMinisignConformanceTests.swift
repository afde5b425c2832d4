import XCTest

@testable import AmanaKit

/// The minisign author's own key and signatures (from go-minisign's tests), kept outside the project in
/// `../shared/conformance/minisign`. Skipped with a message when that folder is absent.
final class SigningMinisignConformanceTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try SigningTestSupport.conformanceDirectory()
    }

    private func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)
    }

    private func publicKey() throws -> PublicKey {
        try PublicKey(minisignFile: try read("release.pub"))
    }

    private func message() throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("test.txt")))
    }

    func testReleaseKey() throws {
        let key = try publicKey()
        XCTAssertEqual(key.keyID.description, "E7620F1842B4E81F")
        XCTAssertNil(key.name)
        XCTAssertEqual(key.base64 + "\n", try read("release.pub").split(separator: "\n", maxSplits: 1)[1] + "")
    }

    func testPrehashedSignatureVerifies() throws {
        let text = try read("test.txt.minisig")
        let signature = try MinisignSignature(minisignFile: text)
        XCTAssertEqual(signature.algorithm, .prehashed)
        XCTAssertEqual(signature.keyID.description, "E7620F1842B4E81F")
        XCTAssertEqual(signature.trustedComment, "timestamp:1635443258\tfile:test\thashed")
        XCTAssertEqual(try publicKey().verify(signature, message: try message()), .valid)
        XCTAssertEqual(signature.minisignFile(), text, "re-serialising gives minisign's bytes back")
        XCTAssertEqual(try publicKey().verify(signature, message: try message() + [0x0a]), .invalidSignature)
    }

    func testLegacySignatureVerifies() throws {
        let text = try read("test.txt.legacy.minisig")
        let signature = try MinisignSignature(minisignFile: text)
        XCTAssertEqual(signature.algorithm, .legacy)
        XCTAssertEqual(try publicKey().verify(signature, message: try message()), .valid)
        XCTAssertEqual(signature.minisignFile(), text)
    }

    func testAlteredTrustedCommentFails() throws {
        let signature = try MinisignSignature(minisignFile: try read("test.txt.bad-trusted-comment.minisig"))
        XCTAssertEqual(try publicKey().verify(signature, message: try message()), .invalidTrustedComment)
    }
}
