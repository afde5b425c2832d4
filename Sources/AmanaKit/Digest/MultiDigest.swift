import Dispatch
import Synchronization

/// Several digests of one byte stream, computed from a single read.
///
/// Every buffer is handed to all hashers at once, each on its own thread, so sealing runs at the pace of the slowest
/// digest rather than the sum of them. Optional extra work (writing the same buffer into the tar) joins that
/// parallel step, so the bytes are read once and consumed by everything that needs them.
///
/// ``consume(reading:alongside:)`` is the streaming form: the caller's thread reads ahead into a bounded ring while
/// the hashers and the side job work on earlier chunks (see ``ChunkPipeline``). ``update(_:alongside:)`` is the
/// chunk-at-a-time form, for callers that own the read loop.
public final class MultiDigest {
    /// Below this size the thread hand-off costs more than it saves.
    static let parallelThreshold = 256 * 1024

    private let hashers: [StreamingHasher]
    public private(set) var byteCount: UInt64 = 0

    public init(_ algorithms: [DigestAlgorithm]) {
        self.hashers = algorithms.map(StreamingHasher.init)
    }

    public var algorithms: [DigestAlgorithm] { hashers.map(\.algorithm) }

    /// Feeds `buffer` to every hasher, and runs `alongside` (if any) concurrently with them on the same buffer.
    /// Returns only when all of them are done with the buffer, so the caller may reuse it.
    /// The bytes count towards ``ByteProgress``.
    public func update(_ buffer: UnsafeRawBufferPointer, alongside: (() throws -> Void)? = nil) throws {
        try feed(buffer, alongside: alongside)
        ByteProgress.add(buffer.count)
    }

    private func feed(_ buffer: UnsafeRawBufferPointer, alongside: (() throws -> Void)?) throws {
        byteCount += UInt64(buffer.count)
        let jobs = hashers.count + (alongside == nil ? 0 : 1)
        if jobs <= 1 || buffer.count < MultiDigest.parallelThreshold {
            for hasher in hashers { hasher.update(buffer) }
            try alongside?()
            return
        }
        // `concurrentPerform` returns only when every iteration is done, so the buffer, the hashers and the side
        // job are used inside this call only, and the side job's error is read after it.
        let work = Handoff((hashers: hashers, buffer: buffer, alongside: alongside))
        let sideError = Mutex<Error?>(nil)
        DispatchQueue.concurrentPerform(iterations: jobs) { index in
            if index < work.value.hashers.count {
                work.value.hashers[index].update(work.value.buffer)
            } else {
                do { try work.value.alongside?() } catch { sideError.withLock { $0 = error } }
            }
        }
        if let error = sideError.withLock({ $0 }) { throw error }
    }

    /// Reads a whole stream through `read` (which fills the buffer it is given unless the stream ends, and returns
    /// the byte count, 0 at the end) and feeds every chunk to all hashers and to `alongside`, concurrently.
    ///
    /// Memory is a fixed ring of ``ChunkPipeline/depth`` slots of ``ChunkPipeline/slotSize`` bytes. `read` runs on the
    /// calling thread; each hasher and `alongside` run on their own lane and see the chunks in order. The first error
    /// from `read` or `alongside` stops the stream and is rethrown once every lane has stopped. Bytes read are
    /// reported to ``ByteProgress``.
    func consume(
        reading read: (UnsafeMutableRawBufferPointer) throws -> Int,
        alongside: ((UnsafeRawBufferPointer) throws -> Void)? = nil
    ) throws {
        func reading(_ slot: UnsafeMutableRawBufferPointer) throws -> Int {
            let count = try read(slot)
            byteCount += UInt64(count)
            ByteProgress.add(count)
            return count
        }
        // The slowest digest first: on a stream's last chunk the pipeline hands only its first lane to another
        // thread and runs the rest on this one (see ``ChunkPipeline/run(read:)``).
        let lanes: [ChunkPipeline.Consumer] = hashers.sorted { MultiDigest.cost($0.algorithm) > MultiDigest.cost($1.algorithm) }
            .map { hasher in { hasher.update($0) } }
        guard let alongside else {
            try ChunkPipeline(lanes).run(read: reading)
            return
        }
        // The pipeline waits for every lane before `run` returns, so `alongside` never outlives this call.
        try withoutActuallyEscaping(alongside) { side in
            _ = try ChunkPipeline(lanes + [side]).run(read: reading)
        }
    }

    /// Relative time per byte, from the back-end measurements (bench/README.md): only the order matters. Both
    /// pipelines put the costliest digest first.
    static func cost(_ algorithm: DigestAlgorithm) -> Int {
        switch algorithm {
        case .sha512, .sha384: return 3
        case .blake2b512: return 2
        default: return 1
        }
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { try! feed($0, alongside: nil) }  // no side job, cannot throw; not bulk data, not counted
    }

    /// The finished digests, keyed by algorithm. Call once.
    public func finalize() -> [DigestAlgorithm: Digest] {
        var out = [DigestAlgorithm: Digest]()
        for hasher in hashers { out[hasher.algorithm] = hasher.finalize() }
        return out
    }

    /// Convenience for small in-memory data such as tag files.
    public static func digests(of bytes: [UInt8], _ algorithms: [DigestAlgorithm]) -> [DigestAlgorithm: Digest] {
        let multi = MultiDigest(algorithms)
        multi.update(bytes)
        return multi.finalize()
    }
}
