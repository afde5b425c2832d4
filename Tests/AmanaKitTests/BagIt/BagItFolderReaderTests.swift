import AmanaTestSupport
import XCTest

@testable import AmanaKit

#if canImport(Glibc)
import Glibc
#endif

final class BagItFolderReaderTests: XCTestCase {
    private typealias Support = BagItTestSupport
    private var root = ""

    override func setUpWithError() throws {
        root = try Support.makeTemporaryFolder()
    }

    override func tearDown() {
        Support.removeTree(root)
    }

    private func readAndCheck() throws -> (inventory: BagInventory, findings: [Finding]) {
        let inventory = try FolderReader.read(root)
        return (inventory, inventory.findings + BagChecker.check(inventory).findings)
    }

    func testAValidBagFolderVerifies() throws {
        try Support.write(Support.validBag(), to: root)
        let (inventory, findings) = try readAndCheck()
        XCTAssertEqual(Support.codes(findings, .failed), [])
        XCTAssertEqual(Verdict(findings: findings), .totalPassed)
        XCTAssertEqual(inventory.payloadAlgorithms, [.sha256, .sha512])
        XCTAssertEqual(inventory.directories, ["data", "data/sub"])
        let payload = try XCTUnwrap(inventory.files["data/a.txt"])
        XCTAssertEqual(Set(payload.digests.keys), [.sha256, .sha512], "payload files get the manifests' algorithms")
        XCTAssertNil(payload.contents, "payload bytes are never kept")
        let tag = try XCTUnwrap(inventory.files["bag-info.txt"])
        XCTAssertEqual(Set(tag.digests.keys), Set(DigestAlgorithm.allCases))
        XCTAssertEqual(tag.contents, Support.validBag()["bag-info.txt"])
    }

    func testTheInventoryEqualsAnInMemoryOne() throws {
        let files = Support.validBag()
        try Support.write(files, to: root)
        let read = try FolderReader.read(root)
        let expected = Support.inventory(files)
        XCTAssertEqual(read.files, expected.files)
    }

    /// Tamper layer: copy a good bag, flip one bit, expect exactly the findings that bit explains.
    func testAFlippedBitIsFoundExactly() throws {
        var files = Support.validBag()
        try Support.write(files, to: root)
        files["data/sub/b.txt"]![2] ^= 0x20
        try Support.write(["data/sub/b.txt": files["data/sub/b.txt"]!], to: root)
        let (_, findings) = try readAndCheck()
        let failed = findings.filter { $0.status == .failed }
        XCTAssertEqual(failed.map(\.code), [PayloadCode.digestMismatch.rawValue, PayloadCode.digestMismatch.rawValue])
        XCTAssertEqual(failed.map(\.subject), ["data/sub/b.txt", "data/sub/b.txt"])
        XCTAssertEqual(failed.first?.found, MultiDigest.digests(of: Array("brAvo\n".utf8), [.sha256])[.sha256]!.hex)
    }

    func testFilesLargerThanAChunkAreHashedAcrossChunkBoundaries() throws {
        let size = FolderReader.chunkSize * 2 + 12345
        var big = [UInt8](repeating: 0, count: size)
        for index in stride(from: 0, to: size, by: 4093) { big[index] = UInt8(truncatingIfNeeded: index / 4093) }
        var files = Support.validBag(["small.txt": "s"])
        files["data/big.bin"] = big
        files["manifest-sha256.txt"] = nil
        files["manifest-sha512.txt"] = nil
        try Support.write(files, to: root)
        try Support.write(["manifest-sha256.txt": Array("\(MultiDigest.digests(of: big, [.sha256])[.sha256]!.hex)  data/big.bin\n".utf8)], to: root)
        let inventory = try FolderReader.read(root)
        XCTAssertEqual(inventory.files["data/big.bin"]?.size, UInt64(size))
        XCTAssertEqual(inventory.files["data/big.bin"]?.digests, MultiDigest.digests(of: big, [.sha256]))
    }

    func testSpecialFilesAreReportedAndNeverFollowedOrRead() throws {
        try Support.write(Support.validBag(), to: root)
        XCTAssertEqual(symlink("/etc/passwd", root + "/data/passwd"), 0)
        XCTAssertEqual(symlink("/etc", root + "/data/etc"), 0)
        XCTAssertEqual(mkfifo(root + "/data/fifo", 0o644), 0)
        let (inventory, findings) = try readAndCheck()
        let types = findings.filter { $0.code == ArchiveCode.entryType.rawValue }
        XCTAssertEqual(types.map(\.subject), ["data/etc", "data/fifo", "data/passwd"])
        XCTAssertTrue(types.allSatisfy { $0.status == .failed })
        XCTAssertNil(inventory.files["data/passwd"])
        XCTAssertFalse(inventory.files.keys.contains { $0.hasPrefix("data/etc/") }, "a symlinked folder is not walked")
        XCTAssertFalse(inventory.directories.contains("data/etc"))
    }

    func testASocketIsASpecialFile() throws {
        try Support.write(Support.validBag(), to: root)
        let path = root + "/data/socket"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8CString)
        guard bytes.count <= MemoryLayout.size(ofValue: address.sun_path) else { throw XCTSkip("temporary path too long for a socket") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = UInt8(bitPattern: byte) }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0)
        let (_, findings) = try readAndCheck()
        XCTAssertEqual(findings.filter { $0.code == ArchiveCode.entryType.rawValue }.map(\.subject), ["data/socket"])
    }

    func testANameThatIsNotUTF8IsReportedOnce() throws {
        try Support.write(Support.validBag(), to: root)
        let folder = Array((root + "/data/bad").utf8) + [0xFF]
        XCTAssertEqual((folder.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { mkdir($0.baseAddress!, 0o755) }, 0)
        for name in ["/one", "/two"] {
            let path = (folder + Array(name.utf8)).map { CChar(bitPattern: $0) } + [0]
            let fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) }
            XCTAssertGreaterThanOrEqual(fd, 0)
            close(fd)
        }
        let (_, findings) = try readAndCheck()
        let names = findings.filter { $0.code == ArchiveCode.entryName.rawValue }
        XCTAssertEqual(names.map(\.subject), ["data/bad\\xff"], "one finding for the folder, none for its contents")
    }

    /// bundle.md section 3: a folder is read with the tar's name rules. A backslash or a control character (C1
    /// included) is `archive.entry.path`, the entry is not read, and nothing below a refused folder is reported again.
    func testBackslashesAndControlCharactersInNamesAreRefusedAsInATar() throws {
        try Support.write(Support.validBag(), to: root)
        try Support.write(["data/a\\b.txt": [1], "data/bell\u{07}.txt": [2], "data/csi\u{9B}.txt": [3],
                           "data/dir\\x/inner.txt": [4], "data/plain.txt": [5]], to: root)
        let (inventory, findings) = try readAndCheck()
        let refused = findings.filter { $0.code == ArchiveCode.entryPath.rawValue }.compactMap(\.subject).sorted()
        XCTAssertEqual(refused.count, 4, "\(refused)")
        XCTAssertFalse(refused.contains(where: { $0.hasSuffix("inner.txt") }), "below a refused folder nothing is reported again")
        XCTAssertEqual(inventory.files.keys.filter { $0.hasPrefix("data/") && $0 != "data/plain.txt" }.sorted(),
                       Support.validBag().keys.filter { $0.hasPrefix("data/") }.sorted(), "no refused name was read")
        XCTAssertNotNil(inventory.files["data/plain.txt"])
    }

    func testNamesThatCollideAfterNormalisationAreReported() throws {
        try Support.write(Support.validBag(), to: root)
        // Two writes: as dictionary keys the two spellings would be one key.
        try Support.write(["data/Nu\u{301}n\u{303}ez": [1]], to: root)
        try Support.write(["data/N\u{FA}\u{F1}ez": [2]], to: root)
        let (inventory, findings) = try readAndCheck()
        XCTAssertEqual(findings.filter { $0.code == ArchiveCode.entryDuplicate.rawValue }.count, 1)
        XCTAssertEqual(inventory.files.keys.filter { $0.hasPrefix("data/N") }.count, 1)
        XCTAssertEqual(Verdict(findings: findings), .totalFailed)
    }

    func testAnUnreadableFileIsAFindingNotAThrow() throws {
        try Support.write(Support.validBag(), to: root)
        XCTAssertEqual(chmod(root + "/data/a.txt", 0), 0)
        defer { chmod(root + "/data/a.txt", 0o644) }
        guard geteuid() == 0 else {
            let (_, findings) = try readAndCheck()
            XCTAssertEqual(findings.first { $0.code == ArchiveCode.entryUnreadable.rawValue }?.subject, "data/a.txt")
            return
        }
        // Root reads a file whatever its mode, so in CI (which runs as root) the same reader runs as nobody instead:
        // `amana verify` on the folder, started through setpriv. The process reads the folder for real and reports
        // what it could not read; nothing is faked.
        guard let setpriv = TestEnvironment.tool("setpriv") else {
            throw XCTSkip("running as root and setpriv (util-linux) is not installed, so no unprivileged user can try "
                          + "to read the file; this check runs only as a non-root user or with setpriv")
        }
        XCTAssertEqual(chmod(root, 0o755), 0, "nobody must be able to enter the bag folder itself")
        let result = try runTool(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups",
                                           TestEnvironment.amanaBinary, "verify", root, "--json"])
        XCTAssertEqual(result.status, 1, "\(result)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = report?["findings"] as? [[String: Any]] ?? []
        let unreadable = findings.filter { $0["code"] as? String == ArchiveCode.entryUnreadable.rawValue }
        XCTAssertEqual(unreadable.map { $0["subject"] as? String }, ["data/a.txt"], "\(result)")
        XCTAssertEqual(unreadable.first?["status"] as? String, "failed")
        XCTAssertTrue((unreadable.first?["message"] as? String ?? "").contains("permission denied"), "\(unreadable)")
    }

    /// `archive.entry.changed` (bundle.md section 3): a file whose size changes between the reader taking it and
    /// reading it. The hook runs at exactly that moment, so the test does not race a writer; both a file that grows
    /// and one that shrinks are caught, and neither is entered in the inventory.
    func testAFileThatChangesSizeWhileItIsReadIsAFinding() throws {
        for change in ["grows", "shrinks"] {
            try Support.write(Support.validBag(), to: root)
            FolderReader.fileMeasured = { path in
                guard path.hasSuffix("/data/a.txt") else { return }
                if change == "grows" {
                    let handle = FileHandle(forWritingAtPath: path)!
                    handle.seekToEndOfFile()
                    handle.write(Data("more bytes".utf8))
                    handle.closeFile()
                } else {
                    XCTAssertEqual(truncate(path, 0), 0)
                }
            }
            defer { FolderReader.fileMeasured = nil }
            let (inventory, findings) = try readAndCheck()
            let changed = findings.filter { $0.code == ArchiveCode.entryChanged.rawValue }
            XCTAssertEqual(changed.map(\.subject), ["data/a.txt"], "\(change): \(findings)")
            XCTAssertEqual(changed.first?.status, .failed)
            XCTAssertNil(inventory.files["data/a.txt"], change)
            XCTAssertEqual(Verdict(findings: findings), .totalFailed)
        }
    }

    func testOnlyTheFolderItselfBeingUnreadableThrows() throws {
        XCTAssertThrowsError(try FolderReader.read(root + "/does-not-exist")) {
            XCTAssertEqual(($0 as? AmanaError)?.code, .inputUnreadable)
        }
        try Support.write(["file": [1]], to: root)
        XCTAssertThrowsError(try FolderReader.read(root + "/file")) {
            XCTAssertEqual(($0 as? AmanaError)?.code, .inputInvalid)
        }
    }

    func testOnlySupportedPayloadManifestsChooseAlgorithms() throws {
        try Support.write(Support.validBag(), to: root)
        try Support.write(["manifest-blake3.txt": [], "tagmanifest-md5.txt": []], to: root)
        XCTAssertEqual(symlink(root + "/manifest-sha256.txt", root + "/manifest-sha1.txt"), 0)
        XCTAssertEqual(try FolderReader.read(root).payloadAlgorithms, [.sha256, .sha512])
    }
}
