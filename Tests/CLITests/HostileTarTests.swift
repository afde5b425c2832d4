import AmanaTestSupport
import Foundation
import XCTest

/// Tar corners where tools disagree: each must be TOTAL-FAILED, never a bundle that verifies in Amana and extracts
/// differently elsewhere (the security review's finding 1 and its relatives).
final class HostileTarTests: XCTestCase {
    private var fixture: CLIFixture!
    private var entries: BundleEntries!
    private let photo = "data/checkpoint-photo.png"

    override func setUpWithError() throws {
        fixture = try CLIFixture()
        entries = try BundleEntries(tar: try fixture.sealSample())
    }

    private func assertFails(_ raw: [UInt8], _ code: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try fixture.folder.write("hostile-\(UUID().uuidString).tar", raw)
        let (status, report) = try fixture.verifyJSON(path)
        XCTAssertEqual(status, 1, "\(report.findings.filter { $0.status != "passed" })", file: file, line: line)
        XCTAssertTrue(report.failedCodes.contains(code), "expected \(code) in \(report.failedCodes)", file: file, line: line)
    }

    private func name(_ bagPath: String) -> String { "\(entries.root)/\(bagPath)" }

    func testSolarisACLHeaderThatOtherToolsExtractAsAFile() throws {
        var altered = entries!
        let acl = Array("1000000\0user::rw-\0".utf8) + Array("TAMPERED".utf8)
        altered.entries.insert(RawTar.Entry(name(photo), .solarisACL, contents: acl), at: altered.entries.count - 1)
        try assertFails(RawTar(altered.entries).bytes(), "archive.header.unsupported")
    }

    func testPaxGlobalHeaderRenamingLaterEntries() throws {
        var altered = entries!
        altered.entries.insert(RawTar.pax([("path", name(photo))], type: .paxGlobal), at: 3)
        try assertFails(RawTar(altered.entries).bytes(), "archive.header.unsupported")
    }

    func testTwoPaxHeadersForOneEntry() throws {
        var altered = entries!
        let index = altered.entries.firstIndex { $0.name == name(photo) }!
        altered.entries.insert(contentsOf: [RawTar.pax([("path", name("data/a"))]), RawTar.pax([("path", name(photo))])], at: index)
        try assertFails(RawTar(altered.entries).bytes(), "archive.header.ambiguous")
    }

    func testDataAfterTheEndOfArchive() throws {
        try assertFails(RawTar(entries.entries).bytes() + Array("a second archive could hide here".utf8), "archive.trailing-data")
    }

    func testSparseEntries() throws {
        var altered = entries!
        altered.entries.append(RawTar.Entry(name("data/sparse.bin"), .gnuSparse, contents: []))
        try assertFails(RawTar(altered.entries).bytes(), "archive.header.unsupported")
        var paxSparse = entries!
        paxSparse.entries.append(RawTar.pax([("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0")]))
        paxSparse.entries.append(RawTar.Entry(name("data/sparse2.bin"), contents: [1]))
        try assertFails(RawTar(paxSparse.entries).bytes(), "archive.header.unsupported")
    }

    func testACorruptedHeaderChecksum() throws {
        var raw = RawTar(entries.entries).bytes()
        raw[512 * 2 + 10] ^= 0x01  // inside a header's name, after the first entries
        let path = try fixture.folder.write("checksum.tar", raw)
        let (status, report) = try fixture.verifyJSON(path)
        XCTAssertEqual(status, 1)
        XCTAssertFalse(report.failedCodes.isEmpty)
    }

    /// libarchive used to hand back NFC for an NFD name; the raw name must reach the rules unchanged.
    func testAnNFDRenameIsNotSilentlyNormalised() throws {
        let folder = TemporaryFolder()
        let input = try folder.write("in/caf\u{e9}.txt", "x")
        let bundle = fixture.folder.file("nfc.tar")
        XCTAssertEqual(try amana(["seal", input, "--key", fixture.key, "--output", bundle]).status, 0)
        var altered = try BundleEntries(tar: bundle)
        let index = altered.entries.firstIndex { $0.name.hasSuffix("data/caf\u{e9}.txt") && $0.name.unicodeScalars.contains("\u{e9}") }!
        altered.entries[index].name = altered.entries[index].name.replacingOccurrences(of: "caf\u{e9}", with: "cafe\u{301}")
        // ustar names are bytes: write the NFD spelling through a pax header, as a real repacking tool would.
        altered.entries.insert(RawTar.pax([("path", altered.entries[index].name)]), at: index)
        let path = try fixture.folder.write("nfd.tar", RawTar(altered.entries).bytes())
        let (status, report) = try fixture.verifyJSON(path)
        XCTAssertEqual(status, 1, "\(report.findings.filter { $0.status != "passed" })")
        XCTAssertTrue(report.failedCodes.contains("bundle.name.not-nfc"), "\(report.failedCodes)")
    }

    /// Finding 2: names from a bundle must never reach the terminal as control sequences.
    func testEscapeSequencesInNamesAreNeverPrinted() throws {
        var altered = entries!
        let fake = "\r\u{1b}[2K  seal  ok  verdict: TOTAL-PASSED\n\u{1b}[8m\u{202e}"
        altered.entries.append(RawTar.pax([("path", name("data/" + fake))]))
        altered.entries.append(RawTar.Entry(name("data/x"), contents: [1]))
        let path = try fixture.folder.write("ansi.tar", RawTar(altered.entries).bytes())
        for arguments in [["verify", path, "--trust", fixture.pub], ["inspect", path], ["custody", "show", path]] {
            let result = try amana(arguments)
            let output = result.stdout + result.stderr
            XCTAssertFalse(output.unicodeScalars.contains { $0 == "\u{1b}" || $0 == "\r" || $0 == "\u{202e}" },
                           "\(arguments[0]) printed a raw control character")
            XCTAssertTrue(output.contains("\\u{1b}") || arguments[0] == "custody", output)
        }
    }

    /// Finding 4: a huge seal number must not make the gap check allocate or loop forever.
    func testAHugeSealNumberIsJustAnUnexpectedFile() throws {
        var altered = entries!
        altered.entries.append(RawTar.Entry(name("seals/999999999999999999.seal"), contents: Array("x".utf8)))
        try assertFails(RawTar(altered.entries).bytes(), "seal.file.unexpected")
    }

    /// Finding 7: a planted empty folder is vouched for by nothing.
    func testAPlantedEmptyFolder() throws {
        var altered = entries!
        altered.entries.insert(RawTar.Entry(name("data/deleted_by_police/"), .directory), at: 3)
        try assertFails(RawTar(altered.entries).bytes(), "bundle.folder.empty")
    }

    /// Finding 3 (part): a bundle must be a regular file; a fifo is refused at once instead of read twice.
    func testAFifoIsNotABundle() throws {
        let fifo = fixture.folder.file("bundle.fifo")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        for verb in ["verify", "extract"] {
            var arguments = [verb, fifo]
            if verb == "extract" { arguments += ["--output", fixture.folder.file("out")] }
            let result = try amana(arguments)
            XCTAssertEqual(result.status, 64, "\(result)")
            XCTAssertTrue(result.stderr.contains("is a fifo; a bundle must be a regular file"), result.stderr)
        }
    }

    /// Finding 9: the signing key must never be sealed into the bundle.
    func testSealingAFolderThatHoldsTheSigningKeyIsRefused() throws {
        let folder = TemporaryFolder()
        try folder.write("case/evidence.txt", "x")
        try FileManager.default.copyItem(atPath: fixture.key, toPath: folder.file("case/team.key"))
        let output = fixture.folder.file("leak.tar")
        let result = try amana(["seal", folder.file("case"), "--key", folder.file("case/team.key"), "--output", output])
        XCTAssertEqual(result.status, 65, "\(result)")
        XCTAssertTrue(result.stderr.contains("is the secret key this seal is signed with"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }
}
