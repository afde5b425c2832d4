@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

final class ResourceLimitTests: XCTestCase {
    /// A gzip bomb: a tar holding 64 MiB of zeros compresses to about 64 KiB. With the floor lowered to 1 MiB, the
    /// reader must stop with a finding instead of streaming on.
    func testDecompressionBombStopsWithAFinding() throws {
        let folder = TemporaryFolder()
        let tar = RawTar([RawTar.Entry("b/data/zeros.bin", contents: [UInt8](repeating: 0, count: 64 << 20))]).bytes()
        let bomb = try folder.write("bomb.tar.gz", try gzip(tar))
        XCTAssertLessThan(try readBytes(bomb).count, 1 << 20)
        let saved = TarReader.expansionFloor
        TarReader.expansionFloor = 1 << 20
        defer { TarReader.expansionFloor = saved }
        let inventory = try TarBagReader.read(bomb, payloadAlgorithms: [.sha256])
        XCTAssertTrue(inventory.findings.contains { $0.code == "archive.limit.expansion" }, "\(inventory.findings)")
    }

    /// The same bomb after the end-of-archive marker: zeros are allowed there, but not without end. Before the check
    /// covered the tail, the reader streamed through all of them and passed the archive.
    func testABombAfterTheEndOfArchiveMarkerStopsWithAFinding() throws {
        let folder = TemporaryFolder()
        let tar = RawTar([RawTar.Entry("b/data/a.txt", contents: Array("a".utf8))]).bytes()
        let bomb = try folder.write("tail-bomb.tar.gz", try gzip(tar + [UInt8](repeating: 0, count: 64 << 20)))
        let saved = TarReader.expansionFloor
        TarReader.expansionFloor = 1 << 20
        defer { TarReader.expansionFloor = saved }
        let inventory = try TarBagReader.read(bomb, payloadAlgorithms: [.sha256])
        XCTAssertTrue(inventory.findings.contains { $0.code == "archive.limit.expansion" }, "\(inventory.findings)")
    }

    /// `archive.limit.entries` (bundle.md section 3.1), with the limit lowered to 3: a million real entries take
    /// minutes to read in a debug build. The fourth entry stops reading with one finding; three entries are fine.
    func testMoreEntriesThanTheLimitStopReadingWithAFinding() throws {
        let folder = TemporaryFolder()
        let entries = (1...5).map { RawTar.Entry("b/data/\($0).txt", contents: Array("\($0)".utf8)) }
        let many = try folder.write("many.tar", RawTar(entries).bytes())
        let three = try folder.write("three.tar", RawTar(Array(entries.prefix(3))).bytes())
        let saved = TarBagReader.maximumEntries
        TarBagReader.maximumEntries = 3
        defer { TarBagReader.maximumEntries = saved }
        let stopped = try TarBagReader.read(many, payloadAlgorithms: [.sha256])
        XCTAssertEqual(stopped.findings.filter { $0.code == "archive.limit.entries" }.count, 1, "\(stopped.findings)")
        XCTAssertEqual(stopped.files.count, 3, "reading stops at the entry over the limit")
        let atLimit = try TarBagReader.read(three, payloadAlgorithms: [.sha256])
        XCTAssertFalse(atLimit.findings.contains { $0.code == "archive.limit.entries" }, "\(atLimit.findings)")
        XCTAssertEqual(atLimit.files.count, 3)
    }

    /// `archive.unreadable`: read(2) failing after the bundle was opened and recognised as a tar. No file on a test
    /// machine fails that way on demand (a failing disk does), so the open descriptor is replaced by one of a folder
    /// under the reader: the kernel then answers the reader's next pread with EISDIR, a real failed read.
    func testAReadErrorAfterOpeningIsArchiveUnreadable() throws {
        let folder = TemporaryFolder()
        let path = try folder.write("b.tar", RawTar([RawTar.Entry("b/data/a.txt", contents: Array("a".utf8))]).bytes())
        let file = try BundleFile(path: path)
        let reader = try TarReader(file: file)
        let directory = open(folder.path, O_RDONLY | O_DIRECTORY)
        XCTAssertGreaterThanOrEqual(directory, 0)
        XCTAssertEqual(dup2(directory, file.fd), file.fd)
        close(directory)
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? TarReader.ReadFailure)?.code, .unreadable, "\(error)")
        }
    }

    /// The same read error on the very first block, while the container is identified, is still a read error and
    /// not a verdict that the file is no tar (bundle.md section 3.1).
    func testAReadErrorOnTheFirstBlockIsArchiveUnreadable() throws {
        let folder = TemporaryFolder()
        let path = try folder.write("b.tar", RawTar([RawTar.Entry("b/data/a.txt", contents: Array("a".utf8))]).bytes())
        let file = try BundleFile(path: path)
        let directory = open(folder.path, O_RDONLY | O_DIRECTORY)
        XCTAssertGreaterThanOrEqual(directory, 0)
        XCTAssertEqual(dup2(directory, file.fd), file.fd)
        close(directory)
        let inventory = try TarBagReader.read(file, payloadAlgorithms: [.sha256])
        XCTAssertEqual(inventory.findings.map(\.code), ["archive.unreadable"], "\(inventory.findings)")
    }

    func testOverlongNamesInATarAreAFinding() throws {
        let folder = TemporaryFolder()
        let deep = "b/" + Array(repeating: "d", count: 300).joined(separator: "/") + "/x"
        // ustar cannot hold that name, so it goes in a pax header, the way real tools write long names.
        let paxed = try folder.write("deep-pax.tar", try paxTar(name: deep))
        let inventory = try TarBagReader.read(paxed, payloadAlgorithms: [.sha256])
        XCTAssertTrue(inventory.findings.contains { $0.code == "archive.limit.path" }, "\(inventory.findings)")
    }

    private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let folder = TemporaryFolder()
        let raw = try folder.write("raw", bytes)
        let python = try TestEnvironment.requireTool("python3")
        let result = try runTool(python, ["-c", "import gzip,sys; open(sys.argv[2],'wb').write(gzip.compress(open(sys.argv[1],'rb').read(), 9))",
                                          raw, raw + ".gz"])
        XCTAssertEqual(result.status, 0, "\(result)")
        return try readBytes(raw + ".gz")
    }

    private func paxTar(name: String) throws -> [UInt8] {
        let folder = TemporaryFolder()
        let python = try TestEnvironment.requireTool("python3")
        let out = folder.file("t.tar")
        let script = """
            import io, sys, tarfile
            with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
                info = tarfile.TarInfo(sys.argv[2]); info.size = 1
                t.addfile(info, io.BytesIO(b'x'))
            """
        let result = try runTool(python, ["-c", script, out, name])
        XCTAssertEqual(result.status, 0, "\(result)")
        return try readBytes(out)
    }
}
