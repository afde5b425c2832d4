@testable import AmanaKit
import XCTest

/// The read-once pipeline: same digests as hashing in one piece, every byte to the side job in order, bounded
/// memory, and a clean stop when anything fails.
final class ChunkPipelineTests: XCTestCase {
    private let slot = ChunkPipeline.slotSize

    private func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761) >> 13) }
    }

    /// Streams `data` through `MultiDigest.consume`, `step` bytes at most per read call (a short read ends a slot).
    private func stream(_ data: [UInt8], _ algorithms: [DigestAlgorithm], step: Int? = nil,
                        alongside: ((UnsafeRawBufferPointer) throws -> Void)? = nil) throws -> MultiDigest {
        let multi = MultiDigest(algorithms)
        var offset = 0
        try multi.consume(reading: { buffer in
            var filled = 0
            while filled < buffer.count && offset < data.count {
                let n = min(buffer.count - filled, data.count - offset, step ?? Int.max)
                data[offset..<offset + n].withUnsafeBytes {
                    UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<filled + n]).copyMemory(from: $0)
                }
                filled += n
                offset += n
            }
            return filled
        }, alongside: alongside)
        return multi
    }

    func testSizesAroundSlotBoundariesGiveOneShotDigestsAndEveryByteInOrder() throws {
        let algorithms: [DigestAlgorithm] = [.sha256, .sha512, .blake2b512]
        let depthWrap = ChunkPipeline.depth * slot + 1  // the ring wraps at least once
        for size in [0, 1, 63, 64, slot - 1, slot, slot + 1, 2 * slot, 3 * slot + 5, depthWrap] {
            let data = pattern(size)
            var side = [UInt8]()
            var sideCalls = 0
            let multi = try stream(data, algorithms) { chunk in
                side.append(contentsOf: chunk)
                sideCalls += 1
            }
            XCTAssertEqual(multi.byteCount, UInt64(size), "size \(size)")
            XCTAssertEqual(multi.finalize(), MultiDigest.digests(of: data, algorithms), "size \(size)")
            XCTAssertEqual(side, data, "the side job sees every byte once, in order (size \(size))")
            XCTAssertEqual(sideCalls, (size + slot - 1) / slot, "one call per filled slot (size \(size))")
        }
    }

    func testWithoutASideJob() throws {
        let data = pattern(2 * slot + 3)
        let multi = try stream(data, [.sha256])
        XCTAssertEqual(multi.finalize(), MultiDigest.digests(of: data, [.sha256]))
    }

    /// `inspect` reads payload without hashing it: no digest and no side job still reads to the end.
    func testNoConsumersStillReadsTheWholeStream() throws {
        let data = pattern(3 * slot + 1)
        let multi = try stream(data, [])
        XCTAssertEqual(multi.byteCount, UInt64(data.count))
        XCTAssertEqual(multi.finalize(), [:])
    }

    /// A slow consumer must see intact chunks: the reader may not refill a slot that a lane still holds.
    func testASlowSideJobSeesIntactChunks() throws {
        let data = pattern(ChunkPipeline.depth * slot + 17)
        var side = [UInt8]()
        let multi = try stream(data, [.sha256], step: 100_000) { chunk in
            usleep(2_000)
            side.append(contentsOf: chunk)
        }
        XCTAssertEqual(side, data)
        XCTAssertEqual(multi.finalize(), MultiDigest.digests(of: data, [.sha256]))
    }

    func testAnErrorInTheSideJobStopsTheStreamCleanly() {
        struct Boom: Error {}
        for failingCall in [1, 2, 5, 12] {
            let multi = MultiDigest([.sha256, .sha512])
            var reads = 0
            var calls = 0
            XCTAssertThrowsError(try multi.consume(reading: { buffer in
                reads += 1
                return reads > 40 ? 0 : buffer.count  // a 40-slot stream
            }, alongside: { _ in
                calls += 1
                if calls == failingCall { throw Boom() }
            })) { error in
                XCTAssertTrue(error is Boom)
            }
            XCTAssertEqual(calls, failingCall, "no side call after the failure")
            XCTAssertLessThanOrEqual(reads, failingCall + ChunkPipeline.depth + 1,
                                     "the reader stops within one ring of the failure")
        }
    }

    func testAnErrorInTheReaderStopsTheStreamCleanly() {
        struct ReadFailed: Error {}
        let multi = MultiDigest([.sha256, .sha512])
        var reads = 0
        var sideBytes = 0
        XCTAssertThrowsError(try multi.consume(reading: { buffer in
            reads += 1
            if reads == 4 { throw ReadFailed() }
            return buffer.count
        }, alongside: { sideBytes += $0.count })) { error in
            XCTAssertTrue(error is ReadFailed)
        }
        XCTAssertLessThanOrEqual(sideBytes, 3 * slot, "nothing after the failed read reaches a consumer")
        XCTAssertEqual(reads, 4, "no read after the failure")
    }

    /// Many tiny streams in a row (a folder of small photos) reuse the pooled slots instead of allocating.
    func testManySmallStreams() throws {
        for size in 0..<300 {
            let data = pattern(size * 7)
            var side = [UInt8]()
            let multi = try stream(data, [.sha256, .sha512]) { side.append(contentsOf: $0) }
            XCTAssertEqual(side, data)
            XCTAssertEqual(multi.finalize(), MultiDigest.digests(of: data, [.sha256, .sha512]))
        }
    }
}
