@testable import AmanaKit
import XCTest

/// Many files through one pipeline: each file's digests equal hashing it in one piece, the side job sees every byte
/// and every queued side task in order, and errors stop it cleanly.
final class FileSequencePipelineTests: XCTestCase {
    private let slot = ChunkPipeline.slotSize

    private func pattern(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: (($0 &+ seed) &* 2654435761) >> 13) }
    }

    /// A `read` closure over `data`, filling each slot fully unless the data ends.
    private func reader(_ data: [UInt8]) -> (UnsafeMutableRawBufferPointer) throws -> Int {
        var offset = 0
        return { buffer in
            let n = min(buffer.count, data.count - offset)
            data[offset..<offset + n].withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[..<n]).copyMemory(from: $0) }
            offset += n
            return n
        }
    }

    func testMixedSizesGiveOneShotDigestsAndTheSideSeesEverythingInOrder() throws {
        let algorithms: [DigestAlgorithm] = [.sha256, .sha512, .blake2b512]
        // Small files (one slot each, hashed concurrently) mixed with large ones (lanes), empty ones and exact slots.
        let sizes = [0, 1, 100_000, slot - 1, slot, slot + 1, 5, 3 * slot + 7, 0, 64] + Array(repeating: 4096, count: 40)
        let files = sizes.enumerated().map { pattern($0.element, seed: $0.offset) }
        let pipeline = FileSequencePipeline()
        var side = [UInt8]()  // touched only on the side lane until finish() returns
        var pending = [FileSequencePipeline.Pending]()
        for (index, data) in files.enumerated() {
            try pipeline.onSideLane { side += Array("<\(index)>".utf8) }
            pending.append(try pipeline.add(algorithms: algorithms, read: reader(data)) { side += Array($0) })
        }
        try pipeline.finish()
        var expectedSide = [UInt8]()
        for (index, data) in files.enumerated() {
            expectedSide += Array("<\(index)>".utf8) + data
            XCTAssertEqual(pending[index].byteCount, UInt64(data.count), "file \(index)")
            XCTAssertEqual(pending[index].digests, MultiDigest.digests(of: data, algorithms), "file \(index), \(data.count) bytes")
        }
        XCTAssertEqual(side, expectedSide)
    }

    func testAReadErrorIsTheCallersAndTheRestGoesOn() throws {
        struct Broken: Error {}
        let pipeline = FileSequencePipeline()
        let good = pattern(3 * slot, seed: 1)
        var calls = 0
        XCTAssertThrowsError(try pipeline.add(algorithms: [.sha256], read: { buffer in
            calls += 1
            if calls == 2 { throw Broken() }
            return buffer.count
        })) { XCTAssertTrue($0 is Broken) }
        let after = try pipeline.add(algorithms: [.sha256], read: reader(good))
        try pipeline.finish()
        XCTAssertEqual(after.digests, MultiDigest.digests(of: good, [.sha256]))
    }

    func testASideErrorFailsThePipelineAndIsRethrownOnce() throws {
        struct Full: Error {}
        let pipeline = FileSequencePipeline()
        let data = pattern(20 * slot, seed: 2)  // longer than the ring, so the reader must wait for the side lane
        var sideCalls = 0
        do {
            _ = try pipeline.add(algorithms: [.sha512], read: reader(data)) { _ in
                sideCalls += 1
                if sideCalls == 3 { throw Full() }
            }
            try pipeline.finish()
            XCTFail("the side error must surface")
        } catch {
            XCTAssertTrue(error is Full, "\(error)")
        }
        XCTAssertEqual(sideCalls, 3, "after the error the side job is skipped")
    }
}
