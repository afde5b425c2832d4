@testable import AmanaKit
import AmanaTestSupport
import XCTest

final class AtomicOutputTests: XCTestCase {
    func testNothingAppearsUntilCommitAndAbandonLeavesNothing() throws {
        let folder = TemporaryFolder()
        let target = folder.file("out.bin")
        let output = try AtomicOutput(path: target)
        try [UInt8]([1, 2, 3]).withUnsafeBytes { try output.write($0) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        XCTAssertTrue(folder.listing().allSatisfy { $0.hasPrefix(".amana-partial-out.bin.") })
        output.abandon()
        XCTAssertEqual(folder.listing(), [])

        let second = try AtomicOutput(path: target)
        try [UInt8(9)].withUnsafeBytes { try second.write($0) }
        try second.commit()
        XCTAssertEqual(try readBytes(target), [9])
        XCTAssertEqual(folder.listing(), ["out.bin"])
    }

    func testNeverOverwrites() throws {
        let folder = TemporaryFolder()
        let target = try folder.write("out.bin", [7])
        XCTAssertThrowsError(try AtomicOutput(path: target)) { XCTAssertEqual(($0 as? AmanaError)?.code, .outputExists) }
        // Even if the target appears while writing, the commit refuses to replace it.
        let other = folder.file("late.bin")
        let output = try AtomicOutput(path: other)
        try folder.write("late.bin", [8])
        XCTAssertThrowsError(try output.commit()) { XCTAssertEqual(($0 as? AmanaError)?.code, .outputExists) }
        XCTAssertEqual(try readBytes(other), [8])
        XCTAssertEqual(folder.listing(), ["late.bin", "out.bin"])
    }
}
