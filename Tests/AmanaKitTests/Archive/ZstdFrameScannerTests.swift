@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

final class ZstdFrameScannerTests: XCTestCase {
    /// Frames made by the real `zstd`: raw blocks (random data), RLE or compressed ones (zeros, text), several
    /// blocks (over 128 KiB), with and without the content checksum and the content size.
    func testFindsTheEndOfRealFramesWhateverTheChunking() throws {
        var generator = SystemRandomNumberGenerator()
        let inputs: [(String, [UInt8])] = [
            ("random", (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }),
            ("zeros", [UInt8](repeating: 0, count: 300_000)),
            ("text", Array(String(repeating: "a line of a statement\n", count: 20_000).utf8)),
            ("tiny", Array("x".utf8)),
            ("empty", []),
        ]
        for (name, input) in inputs {
            for options in [[], ["--no-check"], ["--no-content-size"], ["-19"]] {
                let frame = try zstd(input, options)
                let junk = Array("trailing bytes".utf8)
                for chunk in [1, 2, 3, 4, 5, 7, 1000, 1 << 20] {
                    XCTAssertEqual(scan(frame + junk, chunk: chunk), frame.count, "\(name) \(options), chunks of \(chunk)")
                }
            }
        }
    }

    func testStandsAsideForWhatIsNotAFrame() {
        XCTAssertNil(scan(Array("not zstd at all".utf8), chunk: 4))
        // The frame header descriptor's reserved bit (0x08) set.
        XCTAssertNil(scan(ZstdFrameScanner.magic + [0x08, 0, 0, 0, 0], chunk: 100))
        // A block of the reserved type 3: header 0b111 (last, type 3, size 0).
        XCTAssertNil(scan(ZstdFrameScanner.magic + [0x20, 0x00, 0x07, 0x00, 0x00], chunk: 100))
        // A frame that has not ended: nothing to report yet.
        XCTAssertNil(scan(ZstdFrameScanner.magic + [0x20, 0x05, 0x10, 0x00, 0x00], chunk: 100))
    }

    /// The offset where the scanner says the first frame ends, feeding `bytes` in chunks of `chunk`.
    private func scan(_ bytes: [UInt8], chunk: Int) -> Int? {
        var scanner = ZstdFrameScanner()
        var start = 0
        while start < bytes.count {
            let end = min(start + chunk, bytes.count)
            let inFrame = bytes[start..<end].withUnsafeBytes { scanner.scan($0) }
            if let inFrame { return start + inFrame }
            start = end
        }
        return nil
    }

    private func zstd(_ input: [UInt8], _ options: [String]) throws -> [UInt8] {
        let tool = try TestEnvironment.requireTool("zstd")
        let folder = TemporaryFolder()
        let path = try folder.write("input", input)
        let result = try runTool(tool, ["-q", "-f"] + options + [path, "-o", path + ".zst"])
        XCTAssertEqual(result.status, 0, "\(result)")
        return try readBytes(path + ".zst")
    }
}
