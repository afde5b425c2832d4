import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hashes a sequence of files read one after another, with several files in flight at once, and hands every byte,
/// in order, to an optional side job (the tar writer when sealing).
///
/// Why not one ``ChunkPipeline`` per file: that waits for a file's digests before reading the next, so a folder of
/// 20,000 photos of 100 KB ran one photo at a time, and the thread hand-offs cost more than the hashing. Here the
/// calling thread only reads. It fills the slots of one ring shared by all files and moves on at once:
///
/// - a file that fits in one slot (the common photo) becomes one job on the shared concurrent queue, which computes
///   all its digests; several such files are hashed at once, on every core;
/// - a larger file is hashed chunk by chunk on one serial lane per algorithm, slowest first, so its digests run side
///   by side and its bytes are read once, as in ``ChunkPipeline``;
/// - the side job runs on one serial lane and sees every file's bytes in order, with whatever the caller queues
///   there between files (``onSideLane(_:)``, for tar headers).
///
/// Memory is the ring: a slot is refilled only when every job holding it has finished, so a slow consumer holds the
/// reader back. Digests are delivered through a ``Pending`` per file, complete once ``finish()`` returns.
///
/// Errors: an error thrown by `read` is the caller's (for example a truncated archive) and is rethrown at once by
/// ``add(algorithms:read:side:)``; that file's ``Pending`` stays empty and the pipeline goes on. An error thrown by
/// the side job fails the whole pipeline: later calls skip their work, and ``finish()`` (or the next `add`) rethrows
/// it once nothing holds a slot any more.
final class FileSequencePipeline: @unchecked Sendable {  // mutable state is guarded by `gate`
    typealias Side = (UnsafeRawBufferPointer) throws -> Void

    /// One file's digests, filled in by whichever thread finishes them; read them after ``finish()``.
    final class Pending: @unchecked Sendable {
        fileprivate(set) var digests: [DigestAlgorithm: Digest]?
        /// Bytes read.
        fileprivate(set) var byteCount: UInt64 = 0
        /// Whether the whole file fitted in one slot, so its `whole` job (if any) ran on its bytes there. Set by the
        /// reading thread before ``FileSequencePipeline/add(algorithms:read:side:whole:)`` returns; read it there.
        fileprivate(set) var wasWhole = false
    }

    /// Work on a whole file's bytes, run in its hashing job while the slot still holds them.
    typealias Whole = @Sendable (UnsafeRawBufferPointer) -> Void

    private let slotSize: Int
    private let depth: Int
    private var slots = [UnsafeMutableRawBufferPointer]()
    private var next = 0
    private let group = DispatchGroup()
    private let gate = NSCondition()
    /// Per slot, how many jobs still hold it (guarded by `gate`).
    private var holders: [Int]
    /// The first error of a side job (guarded by `gate`).
    private var failure: Error?
    /// Digest lanes for large files, created when first needed: lane `i` hashes the `i`-th costliest algorithm.
    private var digestLanes = [DispatchQueue]()
    private let sideLane = DispatchQueue(label: "amana.files.side")
    /// Shared by all single-slot files; the global queue runs as many jobs at once as there are cores.
    private let wholeFileQueue = DispatchQueue.global(qos: .userInitiated)
    private var finished = false

    init(slotSize: Int = ChunkPipeline.slotSize, depth: Int = ChunkPipeline.depth) {
        self.slotSize = slotSize
        self.depth = depth
        self.holders = Array(repeating: 0, count: depth)
    }

    deinit {
        // Nothing may still point into the ring when it is unmapped.
        group.wait()
        for slot in slots { munmap(slot.baseAddress, slot.count) }
    }

    /// Queues `work` on the side lane, after every chunk queued there before it. For tar headers between files.
    func onSideLane(_ work: @escaping () throws -> Void) throws {
        try throwIfFailed()
        let job = Handoff(work)
        sideLane.async(group: group) {
            guard !self.hasFailed else { return }
            do { try job.value() } catch { self.record(error) }
        }
    }

    /// Reads one file through `read` (which fills the buffer it is given unless the file ends first, and returns the
    /// byte count; 0 at the end) on the calling thread, and queues its hashing and its side job. Returns as soon as
    /// the file is read; its digests arrive in the returned ``Pending`` by the time ``finish()`` returns.
    ///
    /// `whole`: more work on the file's bytes (the sealer's metadata reading), run after the digests in the same job
    /// when the file fits in one slot, so a small file is read once and its parsing runs on every core. When it does
    /// not fit, `whole` is not called and ``Pending/wasWhole`` says so: the caller does that work its own way.
    func add(algorithms: [DigestAlgorithm], read: (UnsafeMutableRawBufferPointer) throws -> Int,
             side: Side? = nil, whole: Whole? = nil) throws -> Pending {
        precondition(!finished, "add after finish")
        try throwIfFailed()
        let pending = Pending()
        // Slowest first, so on a large file the pace-setter starts first.
        let ordered = algorithms.sorted { MultiDigest.cost($0) > MultiDigest.cost($1) }
        var laneHashers: [StreamingHasher]?
        var isFirst = true
        while true {
            let (slotIndex, slot) = try takeSlot()
            let count = try read(slot)  // a read error is the caller's; the slot stays free
            pending.byteCount += UInt64(count)
            let chunk = Chunk(bytes: UnsafeRawBufferPointer(rebasing: slot[..<count]))
            let isLast = count < slot.count
            if isFirst && isLast {
                // The whole file is in this slot: one job computes all its digests.
                hold(slotIndex, by: 1 + (side == nil || count == 0 ? 0 : 1))
                pending.wasWhole = true
                wholeFileQueue.async(group: group) { [ordered] in
                    var digests = [DigestAlgorithm: Digest]()
                    for algorithm in ordered {
                        let hasher = StreamingHasher(algorithm)
                        hasher.update(chunk.bytes)
                        digests[algorithm] = hasher.finalize()
                    }
                    pending.digests = digests
                    whole?(chunk.bytes)
                    self.release(slotIndex)
                }
                if let side, count > 0 { queueSide(side, chunk, slotIndex) }
                return pending
            }
            if laneHashers == nil {
                laneHashers = ordered.map(StreamingHasher.init)
                ensureDigestLanes(ordered.count)
            }
            let hashers = Handoff(laneHashers!)
            hold(slotIndex, by: (count > 0 ? hashers.value.count : 0) + (side == nil || count == 0 ? 0 : 1))
            let remaining = Locked(hashers.value.count)
            for index in hashers.value.indices {
                digestLanes[index].async(group: group) {
                    if count > 0 {
                        hashers.value[index].update(chunk.bytes)
                        self.release(slotIndex)
                    }
                    if isLast && remaining.withLock({ $0 -= 1; return $0 == 0 }) {
                        // The last lane to finish this file publishes all its digests.
                        pending.digests = Dictionary(uniqueKeysWithValues: hashers.value.map { ($0.algorithm, $0.finalize()) })
                    }
                }
            }
            if let side, count > 0 { queueSide(side, chunk, slotIndex) }
            if isLast { return pending }
            isFirst = false
        }
    }

    /// Waits until every queued job is done, judging nothing. Every user defers it right after creating the
    /// pipeline: queued jobs hold the pipeline, so its `deinit` cannot be what waits, and an error that leaves the
    /// reader early would otherwise let the process exit while a job still hashes in libcrypto (a crash at exit).
    func drain() {
        group.wait()
    }

    /// Waits until every queued job is done; rethrows the first side-job error.
    func finish() throws {
        finished = true
        group.wait()
        try throwIfFailed()
    }

    // MARK: - The ring

    /// A filled slot, handed to jobs. Sendable because the ring protocol, not the type, keeps it safe: the reader
    /// does not touch a slot again until every job has released it.
    private struct Chunk: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
    }

    /// The next slot of the ring, once every job holding it is done.
    private func takeSlot() throws -> (Int, UnsafeMutableRawBufferPointer) {
        let index = next % depth
        next += 1
        if index == slots.count {
            // Mapped, not malloc'ed: one pipeline serves a whole seal or verify, and unmapping gives the ring back to
            // the system at once (freed malloc blocks of this size can stay with the process, and would count towards
            // its peak while the verifier goes on to judge a large bundle).
            guard let memory = mmap(nil, slotSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                  memory != MAP_FAILED
            else { throw AmanaError(.internalFailure, "cannot map \(slotSize) bytes of memory: \(POSIX.errorText())") }
            slots.append(UnsafeMutableRawBufferPointer(start: memory, count: slotSize))
        }
        gate.lock()
        while holders[index] > 0 { gate.wait() }
        let error = failure
        gate.unlock()
        if let error { throw error }
        return (index, slots[index])
    }

    private func hold(_ index: Int, by count: Int) {
        guard count > 0 else { return }
        gate.lock()
        holders[index] += count
        gate.unlock()
    }

    private func release(_ index: Int) {
        gate.lock()
        holders[index] -= 1
        if holders[index] == 0 { gate.broadcast() }
        gate.unlock()
    }

    private func queueSide(_ side: @escaping Side, _ chunk: Chunk, _ slotIndex: Int) {
        let side = Handoff(side)
        sideLane.async(group: group) {
            if !self.hasFailed {
                do { try side.value(chunk.bytes) } catch { self.record(error) }
            }
            self.release(slotIndex)
        }
    }

    private func ensureDigestLanes(_ count: Int) {
        while digestLanes.count < count {
            digestLanes.append(DispatchQueue(label: "amana.files.digest\(digestLanes.count)"))
        }
    }

    private var hasFailed: Bool {
        gate.lock()
        defer { gate.unlock() }
        return failure != nil
    }

    private func throwIfFailed() throws {
        gate.lock()
        let error = failure
        gate.unlock()
        if let error { throw error }
    }

    private func record(_ error: Error) {
        gate.lock()
        if failure == nil { failure = error }
        gate.unlock()
    }
}
