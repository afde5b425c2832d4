@testable import AmanaKit
import AmanaTestSupport
import XCTest

final class ByteProgressTests: XCTestCase {
    func testTheLineShowsBytesPercentRateAndETA() {
        let half = ProgressSnapshot(bytes: 1_000_000_000, total: 2_000_000_000, seconds: 2)
        XCTAssertEqual(half.line("sealing"), "sealing  1.0 GB of 2.0 GB  50%  500.0 MB/s  ETA 0:02")
        let unknownTotal = ProgressSnapshot(bytes: 1_500, total: nil, seconds: 1)
        XCTAssertEqual(unknownTotal.line("verifying"), "verifying  1.5 kB  1.5 kB/s")
        let tooEarly = ProgressSnapshot(bytes: 10, total: 100, seconds: 0.1)
        XCTAssertEqual(tooEarly.line("x"), "x  10 B of 100 B  10%")
        let pastEstimate = ProgressSnapshot(bytes: 300, total: 200, seconds: 1)
        XCTAssertEqual(pastEstimate.line("x"), "x  300 B  300 B/s", "no ETA once past an estimated total")
    }

    func testUnitsAndDurations() {
        XCTAssertEqual(ProgressSnapshot.bytes(999), "999 B")
        XCTAssertEqual(ProgressSnapshot.bytes(999_960), "1.0 MB")
        XCTAssertEqual(ProgressSnapshot.bytes(53_687_091_200), "53.7 GB")
        XCTAssertEqual(ProgressSnapshot.duration(0.2), "0:01")
        XCTAssertEqual(ProgressSnapshot.duration(75), "1:15")
        XCTAssertEqual(ProgressSnapshot.duration(3 * 3600 + 61), "3:01:01")
    }

    /// Bytes streamed through the pipeline are counted on the active meter, and only while one is active.
    func testThePipelineReportsBytesRead() throws {
        let meter = ByteProgress.start(total: 3_000_000)
        defer { ByteProgress.stop() }
        var left = 3_000_000
        let multi = MultiDigest([.sha256])
        try multi.consume(reading: { buffer in
            let n = min(left, buffer.count)
            left -= n
            return n
        })
        XCTAssertEqual(meter.snapshot().bytes, 3_000_000)
        ByteProgress.stop()
        ByteProgress.add(5)
        XCTAssertEqual(meter.snapshot().bytes, 3_000_000)
    }

    func testRegularFileBytesUnderPaths() throws {
        let folder = TemporaryFolder()
        try folder.write("a/b.bin", [UInt8](repeating: 1, count: 1000))
        try folder.write("a/c/d.bin", [UInt8](repeating: 2, count: 234))
        try folder.write("e.bin", [UInt8](repeating: 3, count: 5))
        XCTAssertEqual(ByteProgress.regularFileBytes(under: [folder.file("a"), folder.file("e.bin"),
                                                             folder.file("missing")]), 1239)
    }
}
