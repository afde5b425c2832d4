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
