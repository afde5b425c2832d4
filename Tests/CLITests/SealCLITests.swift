import AmanaTestSupport
import Foundation
import XCTest

final class SealCLITests: XCTestCase {
    func testSealThenVerifyPasses() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        let result = try amana(["verify", bundle, "--trust", fixture.pub])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("verdict: TOTAL-PASSED"), result.stdout)
        XCTAssertTrue(result.stdout.contains("valid signature by trusted key"), result.stdout)
        XCTAssertTrue(result.stdout.contains("(Test Documenter, Test Archive)"), result.stdout)
    }

    func testSealOutputSaysWhatWasSealed() throws {
        let fixture = try CLIFixture()
        let input = try fixture.folder.write("in/one.txt", "one\n")
        let result = try amana(["seal", input, "--key", fixture.key, "--output", fixture.folder.file("b.tar")])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.hasPrefix("sealed 1 file (4 bytes) into \(fixture.folder.file("b.tar"))\nbundle id: "), result.stdout)
        XCTAssertTrue(result.stdout.contains("seal 1 signed by key "), result.stdout)
        XCTAssertEqual(result.stderr, "")
    }

    func testFoldersKeepTheirLayoutAndEmptyFilesAreFine() throws {
        let fixture = try CLIFixture()
        try fixture.folder.write("case/a/b/deep.txt", "deep\n")
        try fixture.folder.write("case/empty.bin", [])
        let bundle = fixture.folder.file("b.tar")
        XCTAssertEqual(try amana(["seal", fixture.folder.file("case"), "--key", fixture.key, "--output", bundle]).status, 0)
        let entries = try BundleEntries(tar: bundle)
        XCTAssertEqual(entries["data/case/a/b/deep.txt"], Array("deep\n".utf8))
        XCTAssertEqual(entries["data/case/empty.bin"], [])
        XCTAssertEqual(try amana(["verify", bundle, "--trust", fixture.pub]).status, 0)
    }

    func testNamesAreStoredInNFC() throws {
        let fixture = try CLIFixture()
        let nfd = "cafe\u{301}.txt"
        let input = try fixture.folder.write("in/\(nfd)", "x")
        let bundle = fixture.folder.file("b.tar")
        XCTAssertEqual(try amana(["seal", input, "--key", fixture.key, "--output", bundle]).status, 0)
        let names = try BundleEntries(tar: bundle).entries.map(\.name)
        XCTAssertTrue(names.contains { $0.hasSuffix("/data/caf\u{e9}.txt") && $0.unicodeScalars.contains("\u{e9}") }, "\(names)")
        XCTAssertFalse(names.contains { $0.unicodeScalars.contains("\u{301}") }, "\(names)")
    }

    func testSourcesAreNeverModified() throws {
        let fixture = try CLIFixture()
        let input = try fixture.folder.write("in/evidence.bin", (0..<100_000).map { UInt8($0 % 251) })
        let before = try FileManager.default.attributesOfItem(atPath: input)
        let bytesBefore = try readBytes(input)
        XCTAssertEqual(try amana(["seal", input, "--key", fixture.key, "--output", fixture.folder.file("b.tar")]).status, 0)
        let after = try FileManager.default.attributesOfItem(atPath: input)
        XCTAssertEqual(try readBytes(input), bytesBefore)
        XCTAssertEqual(before[.modificationDate] as? Date, after[.modificationDate] as? Date)
        XCTAssertEqual(before[.posixPermissions] as? Int, after[.posixPermissions] as? Int)
    }

    // MARK: - Refusals: one clear error, a non-zero exit, and no output at all

    private func assertRefused(_ inputs: [String], status: Int32, message: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let fixture = try CLIFixture()
        let outputDir = TemporaryFolder("amana-out")
        let result = try amana(["seal"] + inputs + ["--key", fixture.key, "--output", outputDir.file("b.tar")])
        XCTAssertEqual(result.status, status, "\(result)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: "), result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.contains(message), result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n").filter { $0.hasPrefix("amana: error:") }.count, 1,
                       file: file, line: line)
        XCTAssertEqual(outputDir.listing(), [], "no output and no leftovers", file: file, line: line)
    }

    func testRefusesSymlinks() throws {
        let folder = TemporaryFolder()
        let target = try folder.write("real.txt", "x")
        try FileManager.default.createSymbolicLink(atPath: folder.file("link.txt"), withDestinationPath: target)
        try assertRefused([folder.file("link.txt")], status: 65, message: "is a symbolic link")
        try assertRefused([folder.path], status: 65, message: "link.txt is a symbolic link")
    }

    func testRefusesDevicesAndFifos() throws {
        try assertRefused(["/dev/null"], status: 65, message: "/dev/null is a character device")
        let folder = TemporaryFolder()
        XCTAssertEqual(mkfifo(folder.file("pipe"), 0o644), 0)
        try assertRefused([folder.path], status: 65, message: "pipe is a fifo")
    }

    func testRefusesMissingAndUnreadableFiles() throws {
        try assertRefused(["/nonexistent/evidence.jpg"], status: 66, message: "cannot read /nonexistent/evidence.jpg")
        let folder = TemporaryFolder()
        let secret = try folder.write("locked.txt", "x")
        chmod(secret, 0o000)
        if getuid() != 0 {
            try assertRefused([secret], status: 66, message: "cannot read \(secret)")
        } else {
            // Root reads anything; drop to nobody for this one check, so it runs in CI (which is root) too.
            let setpriv = try TestEnvironment.requireTool("setpriv")
            let fixture = try CLIFixture()
            chmod(fixture.key, 0o644)
            chmod(fixture.folder.path, 0o755)
            let out = TemporaryFolder("amana-out")
            chmod(out.path, 0o777)
            chmod(folder.path, 0o755)
            let result = try runTool(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", TestEnvironment.amanaBinary,
                                           "seal", secret, "--key", fixture.key, "--output", out.file("b.tar")])
            XCTAssertEqual(result.status, 66, "\(result)")
            XCTAssertTrue(result.stderr.hasPrefix("amana: error: cannot read \(secret): permission denied"), result.stderr)
            XCTAssertEqual(out.listing(), [])
        }
    }

    func testRefusesNamesThatAreNotUTF8() throws {
        let folder = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.file("in"), withIntermediateDirectories: true)
        var raw = Array(folder.file("in/bad-").utf8CString.dropLast()) + [CChar(bitPattern: 0xFF), 0]
        let fd = raw.withUnsafeMutableBufferPointer { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        XCTAssertGreaterThanOrEqual(fd, 0)
        close(fd)
        try assertRefused([folder.file("in")], status: 65, message: "bad-\\xff is not valid UTF-8")
    }

    func testRefusesTwoInputsWithTheSameStoredName() throws {
        let folder = TemporaryFolder()
        let a = try folder.write("a/photo.jpg", "a")
        let b = try folder.write("b/photo.jpg", "b")
        try assertRefused([a, b], status: 65, message: "would both be stored as data/photo.jpg")
        // The same name in NFC and NFD collides too, because the bundle stores NFC.
        let nfc = try folder.write("c/\u{e9}.txt", "c")
        let nfd = try folder.write("d/e\u{301}.txt", "d")
        try assertRefused([nfc, nfd], status: 65, message: "would both be stored as data/\u{e9}.txt")
    }

    func testRefusesNoInputAndExistingOutput() throws {
        let fixture = try CLIFixture()
        var result = try amana(["seal", "--key", fixture.key, "--output", fixture.folder.file("b.tar")])
        XCTAssertEqual(result.status, 64, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: nothing to seal"), result.stderr)

        let existing = try fixture.folder.write("exists.tar", "precious")
        let input = try fixture.folder.write("in/x.txt", "x")
        result = try amana(["seal", input, "--key", fixture.key, "--output", existing])
        XCTAssertEqual(result.status, 73, "\(result)")
        XCTAssertEqual(try String(contentsOfFile: existing, encoding: .utf8), "precious")
    }

    func testBadArgumentsAreUsageErrors() throws {
        let result = try amana(["seal", "--no-such-flag"])
        XCTAssertEqual(result.status, 64, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: "), result.stderr)
        XCTAssertTrue(result.stderr.contains("amana: hint: "), result.stderr)
    }
}
