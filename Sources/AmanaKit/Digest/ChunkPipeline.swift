import Dispatch
import Foundation

/// Reads a byte stream once and hands every chunk to several consumers that run at the same time.
///
/// The calling thread is the reader: it fills one slot of a small ring while the consumers (one serial lane each: a
/// digest, or the tar writer) work through the slots filled before. Each lane sees every chunk, in order. A slot is
/// refilled only when every lane has released it, so memory is the ring and nothing more whatever the stream's
/// length, and a slow consumer holds the reader back instead of letting buffers pile up.
///
/// If a consumer or the reader throws, the other lanes skip what is left, and ``run(read:)`` rethrows the first error
/// only after every lane has finished: once it returns, no thread holds a pointer into the ring or a consumer.
///
/// Lanes are serial dispatch queues, so their threads come from libdispatch's pool and are reused from one stream to
/// the next; a pipeline per file costs no thread creation. Synchronisation is a condition variable rather than a
/// `DispatchSemaphore`, which traps if it is freed while its count is below its starting value (as it would be after
/// an error left slots taken).
final class ChunkPipeline: @unchecked Sendable {  // mutable state is guarded by `gate`
    typealias Consumer = (UnsafeRawBufferPointer) throws -> Void

    /// Bytes per slot: large enough that the hand-off costs well under 1% of the hashing, and libarchive's block size.
    static let slotSize = 1 << 20
    /// Slots in the ring: how far the reader may run ahead of the slowest lane.
    static let depth = 8

    private let consumers: [Consumer]
    private let lanes: [DispatchQueue]
    private let group = DispatchGroup()
    private let gate = NSCondition()
    /// Per slot, how many lanes still hold it (guarded by `gate`).
    private var holders: [Int]
    /// The first error any lane or the reader met (guarded by `gate`).
    private var failure: Error?

    /// With no consumers, `run` still reads the stream to its end (`inspect` reads payload without hashing it).
    init(_ consumers: [Consumer]) {
        self.consumers = consumers
        self.lanes = consumers.indices.map { DispatchQueue(label: "amana.pipeline.lane\($0)") }
        self.holders = Array(repeating: 0, count: ChunkPipeline.depth)
    }

    /// Calls `read` on the calling thread to fill slots, until it returns 0, and feeds each chunk to every consumer.
    ///
    /// `read` must fill the slot it is given unless the stream ends first (as `readFully` does); a short chunk is
    /// taken as the last. The calling thread would then only wait, so only the first consumer (callers put the
    /// slowest first) gets the chunk on its lane, and the others run on the calling thread, in lane order. For a
    /// small file, which is one short chunk, that is one thread hand-off instead of one per consumer.
    /// Returns the number of bytes read. Rethrows the first error of `read` or of any consumer.
    @discardableResult
    func run(read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> UInt64 {
        var slots = [UnsafeMutableRawBufferPointer]()
        var total: UInt64 = 0
        defer {
            // Every lane must be done with the ring before it goes back to the pool.
            group.wait()
            ChunkPool.shared.give(slots)
        }
        var next = 0
        while true {
            let slot = next % ChunkPipeline.depth
            next += 1
            if slot == slots.count {
                slots.append(ChunkPool.shared.take())
            }
            gate.lock()
            while holders[slot] > 0 { gate.wait() }
            let failed = failure != nil
            gate.unlock()
            if failed { break }

            let count: Int
            do {
                count = try read(slots[slot])
            } catch {
                record(error)
                break
            }
            if count == 0 { break }
            total += UInt64(count)
            let chunk = Chunk(bytes: UnsafeRawBufferPointer(rebasing: slots[slot][..<count]))
            let isLast = count < slots[slot].count
            if consumers.isEmpty { continue }
            gate.lock()
            holders[slot] = consumers.count
            gate.unlock()
            for lane in consumers.indices {
                if isLast && lane > 0 {
                    // `sync` runs the block on this thread once the lane's earlier chunks are done, keeping order.
                    lanes[lane].sync { self.consume(lane, chunk, slot: slot) }
                } else {
                    lanes[lane].async(group: group) { self.consume(lane, chunk, slot: slot) }
                }
            }
        }
        group.wait()
        gate.lock()
        let error = failure
        gate.unlock()
        if let error { throw error }
        return total
    }

    /// A filled slot, handed to the lanes. Sendable because the ring protocol, not the type, keeps it safe: the
    /// reader does not touch a slot again until every lane has released it.
    private struct Chunk: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
    }

    private func consume(_ lane: Int, _ chunk: Chunk, slot: Int) {
        gate.lock()
        let skip = failure != nil
        gate.unlock()
        if !skip {
            do { try consumers[lane](chunk.bytes) } catch { record(error) }
        }
        gate.lock()
        holders[slot] -= 1
        if holders[slot] == 0 { gate.broadcast() }
        gate.unlock()
    }

    private func record(_ error: Error) {
        gate.lock()
        if failure == nil { failure = error }
        gate.unlock()
    }
}

/// The slots of every pipeline, reused from one file to the next.
///
/// Sealing 55,000 photos makes 55,000 pipelines; taking their slots from here avoids allocating (and page-faulting)
/// a fresh megabyte for each. At most `retained` idle slots are kept, so memory stays bounded.
final class ChunkPool: @unchecked Sendable {
    static let shared = ChunkPool()
    private static let retained = 2 * ChunkPipeline.depth

    private let lock = NSLock()
    private var idle = [UnsafeMutableRawBufferPointer]()

    func take() -> UnsafeMutableRawBufferPointer {
        lock.lock()
        let slot = idle.popLast()
        lock.unlock()
        return slot ?? UnsafeMutableRawBufferPointer.allocate(byteCount: ChunkPipeline.slotSize, alignment: 64)
    }

    func give(_ slots: [UnsafeMutableRawBufferPointer]) {
        lock.lock()
        var surplus = [UnsafeMutableRawBufferPointer]()
        for slot in slots {
            if idle.count < ChunkPool.retained { idle.append(slot) } else { surplus.append(slot) }
        }
        lock.unlock()
        for slot in surplus { slot.deallocate() }
    }
}
