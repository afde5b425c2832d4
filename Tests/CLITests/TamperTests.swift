@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Each case alters a good bundle the way an attacker or an accident would, and asserts the exact finding.
final class TamperTests: XCTestCase {
    private var fixture: CLIFixture!
    private var good: String!
    private var entries: BundleEntries!
    private let photo = "data/checkpoint-photo.png"

    override func setUpWithError() throws {
        fixture = try CLIFixture()
        good = try fixture.sealSample()
        entries = try BundleEntries(tar: good)
    }

    /// Writes `altered` as a tar, verifies it, and checks the exit status and that `code` is among the failures.
    private func assertFails(_ altered: BundleEntries, with codes: String..., status: Int32 = 1,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let path = fixture.folder.file("altered-\(UUID().uuidString).tar")
        try altered.write(to: path)
        try assertFails(path: path, with: codes, status: status, file: file, line: line)
    }

    private func assertFails(path: String, with codes: [String], status: Int32 = 1,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let (exit, report) = try fixture.verifyJSON(path)
        XCTAssertEqual(exit, status, "exit status", file: file, line: line)
        XCTAssertEqual(report.verdict, status == 1 ? "TOTAL-FAILED" : "INDETERMINATE", file: file, line: line)
        for code in codes {
            let pool = status == 1 ? report.failedCodes : Set(report.codes("indeterminate"))
            XCTAssertTrue(pool.contains(code), "expected \(code) in \(report.findings.map { "\($0.status) \($0.code) \($0.subject ?? "")" })",
                          file: file, line: line)
        }
    }

    func testTheUntamperedRewriteStillPasses() throws {
        // Guards the harness itself: rewriting with RawTar must not by itself cause a failure.
        let path = fixture.folder.file("rewritten.tar")
        try entries.write(to: path)
        let (exit, report) = try fixture.verifyJSON(path)
        XCTAssertEqual(exit, 0, "\(report.findings.filter { $0.status != "passed" })")
    }

    func testFlippedPayloadByte() throws {
        var altered = entries!
        altered[photo][100] ^= 0x01
        try assertFails(altered, with: "payload.digest.mismatch")
    }

    func testTruncatedAndExtendedPayloadFile() throws {
        var shorter = entries!
        shorter[photo].removeLast()
        try assertFails(shorter, with: "payload.digest.mismatch", "bagit.info.oxum.mismatch")
        var longer = entries!
        longer[photo].append(0)
        try assertFails(longer, with: "payload.digest.mismatch", "bagit.info.oxum.mismatch")
    }

    func testMissingExtraAndRenamedFiles() throws {
        var missing = entries!
        missing.remove(photo)
        try assertFails(missing, with: "payload.file.missing")
        var extra = entries!
        extra.add("data/planted.jpg", [1, 2, 3])
        try assertFails(extra, with: "payload.file.unlisted")
        var renamed = entries!
        renamed.rename(photo, to: "data/renamed.png")
        try assertFails(renamed, with: "payload.file.missing", "payload.file.unlisted")
    }

    func testEditedManifest() throws {
        var altered = entries!
        var text = String(decoding: altered["manifest-sha256.txt"], as: UTF8.self)
        let first = text.first!
        text.replaceSubrange(text.startIndex...text.startIndex, with: first == "0" ? "1" : "0")
        altered["manifest-sha256.txt"] = Array(text.utf8)
        try assertFails(altered, with: "tagmanifest.digest.mismatch", "payload.digest.mismatch")
    }

    /// A forger swaps a file and recomputes every manifest: the bag is valid BagIt again, but the seal is not fooled.
    func testConsistentlyRecomputedManifestsBreakTheSeal() throws {
        var altered = entries!
        altered[photo][100] ^= 0x01
        altered.rehash(manifest: "manifest-sha256.txt", algorithm: .sha256)
        altered.rehash(manifest: "manifest-sha512.txt", algorithm: .sha512)
        altered.rehash(manifest: "tagmanifest-sha256.txt", algorithm: .sha256)
        altered.rehash(manifest: "tagmanifest-sha512.txt", algorithm: .sha512)
        let path = fixture.folder.file("forged.tar")
        try altered.write(to: path)
        let (exit, report) = try fixture.verifyJSON(path)
        XCTAssertEqual(exit, 1)
        XCTAssertEqual(report.failedCodes, ["seal.commitment.mismatch", "items.digest.mismatch", "custody.item.mismatch"],
                       "only the seal, items.json and the custody log can tell: \(report.findings.filter { $0.status != "passed" })")
    }

    func testEditedSealStatement() throws {
        var altered = entries!
        var text = String(decoding: altered["seals/0001.seal"], as: UTF8.self)
        text = text.replacingOccurrences(of: "Claimed-Time: 2", with: "Claimed-Time: 1")
        altered["seals/0001.seal"] = Array(text.utf8)
        try assertFails(altered, with: "seal.signature.invalid")
    }

    func testCorruptedSignature() throws {
        var altered = entries!
        var lines = String(decoding: altered["seals/0001.seal.minisig"], as: UTF8.self).split(separator: "\n").map(String.init)
        var signature = Array(lines[1])
        signature[20] = signature[20] == "A" ? "B" : "A"
        lines[1] = String(signature)
        altered["seals/0001.seal.minisig"] = Array((lines.joined(separator: "\n") + "\n").utf8)
        try assertFails(altered, with: "seal.signature.invalid")
    }

    /// Someone re-signs the original statement with their own key: the signature names the wrong key.
    func testSealSignedByAnotherKeyFails() throws {
        let other = try SecretKey.generate(name: "Mallory", organization: nil)
        var altered = entries!
        let signature = try other.sign(altered["seals/0001.seal"], trustedComment: "timestamp:0")
        altered["seals/0001.seal.minisig"] = Array(signature.minisignFile().utf8)
        try assertFails(altered, with: "seal.signature.key-mismatch")
    }

    /// Someone rewrites the statement to name their own key and signs it: valid, but not by anyone trusted.
    func testSealReplacedByAnotherKeyIsNotTrusted() throws {
        let other = try SecretKey.generate(name: "Mallory", organization: nil)
        var altered = entries!
        var statement = try SealStatement(parsing: altered["seals/0001.seal"])
        statement.signerKeyID = other.keyID.description
        statement.signerPublicKey = other.publicKey.base64
        altered["seals/0001.seal"] = statement.serialized()
        altered["seals/0001.seal.minisig"] = Array(try other.sign(statement.serialized(), trustedComment: "t").minisignFile().utf8)
        try assertFails(altered, with: "seal.key.untrusted", status: 2)
    }

    func testDuplicateEntry() throws {
        var altered = entries!
        altered.entries.append(altered.entries.first { $0.name.hasSuffix(photo) }!)
        try assertFails(altered, with: "archive.entry.duplicate")
    }

    func testParentAndAbsoluteEntryNames() throws {
        var parent = entries!
        parent.entries.append(RawTar.Entry("\(entries.root)/data/../../escape.txt", contents: [1]))
        try assertFails(parent, with: "archive.entry.path")
        var absolute = entries!
        absolute.entries.append(RawTar.Entry("/tmp/amana-absolute.txt", contents: [1]))
        try assertFails(absolute, with: "archive.entry.path")
    }

    func testSymlinkAndHardlinkEntries() throws {
        var symlink = entries!
        symlink.entries.append(RawTar.Entry("\(entries.root)/data/link", .symbolicLink, linkName: "/etc/passwd"))
        try assertFails(symlink, with: "archive.entry.type")
        var hardlink = entries!
        hardlink.entries.append(RawTar.Entry("\(entries.root)/data/hard", .hardLink, linkName: "/etc/passwd"))
        try assertFails(hardlink, with: "archive.entry.type")
    }

    func testTruncatedTar() throws {
        let bytes = try readBytes(good)
        let path = try fixture.folder.write("truncated.tar", Array(bytes.prefix(bytes.count / 2 + 100)))
        try assertFails(path: path, with: ["archive.truncated"])
    }

    func testEmptyFileAndRandomBytes() throws {
        let empty = try fixture.folder.write("empty.tar", [])
        try assertFails(path: empty, with: ["archive.empty"])
        var generator = SystemRandomNumberGenerator()
        let random = try fixture.folder.write("random.tar", (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try assertFails(path: random, with: ["archive.format.invalid"])
    }
}
