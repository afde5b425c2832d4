@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

final class CRC32Tests: XCTestCase {
    /// The check value every CRC-32/ISO-HDLC implementation gives for "123456789", and the CRC of nothing.
    func testTheStandardCheckValue() {
        var crc = CRC32()
        XCTAssertEqual(crc.value, 0)
        crc.update(Array("123456789".utf8))
        XCTAssertEqual(crc.value, 0xCBF4_3926)
    }

    /// Slice-by-8 folds eight bytes at a time: every split of the input, aligned or not, must give the same value,
    /// and that value must be the one an independent implementation (Python's zlib) computes.
    func testAnySplitGivesZlibsValue() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<10_007).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var whole = CRC32()
        whole.update(bytes)
        for chunk in [1, 3, 7, 8, 9, 64, 4093] {
            var pieces = CRC32()
            var start = 0
            while start < bytes.count {
                pieces.update(Array(bytes[start..<min(start + chunk, bytes.count)]))
                start += chunk
            }
            XCTAssertEqual(pieces.value, whole.value, "chunks of \(chunk)")
        }
        let python = try TestEnvironment.requireTool("python3")
        let folder = TemporaryFolder()
        let file = try folder.write("random", bytes)
        let result = try runTool(python, ["-c", "import sys,zlib; print(zlib.crc32(open(sys.argv[1],'rb').read()))", file])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(UInt32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), whole.value)
    }
}
