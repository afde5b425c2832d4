import Dispatch
import Foundation

/// Hands bytes to a sink on a thread of its own, in order, through a small ring of fixed buffers, so that producing
/// the next bytes and writing the last ones happen at the same time.
///
/// Why: Amana writes its outputs with direct I/O (``DirectFileWriter``), and a direct write returns only once its bytes
/// are on the device. Done on the thread that encrypts or decrypts, the cipher waited for the disk and then the disk for
/// the cipher: a 2 GiB file took their sum. Here the disk writes one slot while the cipher fills the next, and the
/// total is closer to the slower of the two. Memory is the ring (`depth` slots of `slotSize` bytes), whatever the
/// length of the stream; a slow disk holds the producer back instead of letting slots pile up.
///
/// Use it through ``run(sink:_:)``: when that returns or throws, the sink is no longer being called, so the caller may
/// commit or abandon the output. The first error of the sink is rethrown by the next ``write(_:)`` and by `run`.
final class WriteBehind: @unchecked Sendable {  // mutable state shared with the lane is guarded by `gate`
    /// Bytes per slot: a multiple of ``DirectFileWriter/blockSize``, so each slot becomes whole direct writes.
    static let slotSize = 2 << 20
    /// Slots in the ring: one being written, one being filled, one spare to absorb jitter.
    static let depth = 3

    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private let lane = DispatchQueue(label: "amana.write-behind")
    private let slots: [UnsafeMutableRawBufferPointer]
    private let gate = NSCondition()
    /// Per slot, whether the lane still holds it (guarded by `gate`).
    private var busy: [Bool]
    /// The sink's first error (guarded by `gate`).
    private var failure: Error?
    /// The slot being filled, and how far (producer's thread only).
    private var current = 0
    private var filled = 0

    private init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.sink = sink
        slots = (0..<WriteBehind.depth).map { _ in
            .allocate(byteCount: WriteBehind.slotSize, alignment: DirectFileWriter.alignment)
        }
        busy = Array(repeating: false, count: WriteBehind.depth)
    }

    deinit {
        for slot in slots { slot.deallocate() }
    }

    /// Runs `body` with a writer whose bytes reach `sink` in order, on another thread. Returns once every byte has been
    /// through `sink`; rethrows the first error of `body` or of `sink`, but only once the sink is no longer running.
    static func run<T>(sink: @escaping (UnsafeRawBufferPointer) throws -> Void, _ body: (WriteBehind) throws -> T) throws -> T {
        let writer = WriteBehind(sink: sink)
        do {
            let result = try body(writer)
            try writer.finish()
            return result
        } catch {
            writer.drain()
            throw error
        }
    }

    /// Copies `bytes` into the ring; a full slot goes to the lane. Rethrows an earlier error of the sink.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = min(bytes.count - offset, WriteBehind.slotSize - filled)
            (slots[current].baseAddress! + filled).copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
            filled += n
            offset += n
            if filled == WriteBehind.slotSize { try submit() }
        }
    }

    /// Sends the slot being filled to the lane and waits until the next one is free.
    private func submit() throws {
        let slot = current, count = filled
        gate.lock()
        busy[slot] = true
        gate.unlock()
        lane.async { [self] in
            gate.lock()
            let skip = failure != nil
            gate.unlock()
            var error: Error?
            if !skip {
                do { try sink(UnsafeRawBufferPointer(rebasing: slots[slot][..<count])) } catch let e { error = e }
            }
            gate.lock()
            if failure == nil, let error { failure = error }
            busy[slot] = false
            gate.broadcast()
            gate.unlock()
        }
        current = (current + 1) % WriteBehind.depth
        filled = 0
        gate.lock()
        while busy[current] { gate.wait() }
        let error = failure
        gate.unlock()
        if let error { throw error }
    }

    /// Sends what is left and waits for the lane; rethrows the sink's error.
    private func finish() throws {
        if filled > 0 { try submit() }
        drain()
        gate.lock()
        let error = failure
        gate.unlock()
        if let error { throw error }
    }

    /// Waits until the lane holds no slot.
    private func drain() {
        gate.lock()
        while busy.contains(true) { gate.wait() }
        gate.unlock()
    }
}
