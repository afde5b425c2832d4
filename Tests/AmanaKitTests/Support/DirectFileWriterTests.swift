@testable import AmanaKit
import AmanaTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class DirectFileWriterTests: XCTestCase {
    /// Writes a pattern in pieces whose sizes straddle the block and alignment boundaries, and reads it back.
    private func roundTrip(direct: Bool, total: Int, piece: Int) throws -> Bool {
        let folder = TemporaryFolder()
        let path = folder.file("out.bin")
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let writer = DirectFileWriter(fd: fd, label: path, direct: direct)
        let usedDirect = writer.isDirect
        let pattern = (0..<total).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        var offset = 0
        while offset < total {
            let count = min(piece, total - offset)
            try pattern[offset..<offset + count].withUnsafeBytes { try writer.write($0) }
            offset += count
        }
        try writer.flush()
        XCTAssertEqual(fsync(fd), 0)
        XCTAssertEqual(try readBytes(path), pattern, "direct: \(direct), total \(total), pieces of \(piece)")
        return usedDirect
    }

    func testBytesArriveExactlyWhateverThePieceSizes() throws {
        let block = DirectFileWriter.blockSize
        for direct in [true, false] {
            for (total, piece) in [(0, 1), (1, 1), (4095, 4095), (4097, 100), (block, block), (block + 1, 7000),
                                   (3 * block + 12345, 65537), (2 * block, block / 2 + 1)] {
                _ = try roundTrip(direct: direct, total: total, piece: piece)
            }
        }
    }

    /// On a file system that takes O_DIRECT (ext4, xfs, btrfs: the temporary folder here), the fast path is used.
    func testDirectIOIsUsedWhereTheFileSystemAllowsIt() throws {
        let folder = TemporaryFolder()
        let type = try runTool("/usr/bin/stat", ["-f", "-c", "%T", folder.path]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard ["ext2/ext3", "ext4", "xfs", "btrfs"].contains(type) else {
            throw XCTSkip("the temporary folder is on \(type), not ext4, xfs or btrfs; direct I/O is not asserted here")
        }
        XCTAssertTrue(try roundTrip(direct: true, total: 2 * DirectFileWriter.blockSize + 10, piece: 1 << 16))
    }

    func testAWriteErrorNamesTheFileAndTheReason() throws {
        let folder = TemporaryFolder()
        let path = folder.file("out.bin")
        let fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)  // a write on a read-only descriptor fails: EBADF
        defer { close(fd) }
        let writer = DirectFileWriter(fd: fd, label: path, direct: false)
        XCTAssertThrowsError(try [UInt8](repeating: 1, count: 10).withUnsafeBytes { try writer.write($0) }) { error in
            XCTAssertEqual((error as? AmanaError)?.code, .outputFailed)
            XCTAssertTrue("\(error)".contains("bad file descriptor"), "\(error)")
        }
    }
}
