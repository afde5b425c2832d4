import Dispatch

/// A run of consecutive STREAM chunks, sealed or opened together on every core, in two fixed buffers.
///
/// Why: a chunk's nonce is only its counter and last-chunk flag, so the chunks of a run do not depend on each other,
/// and a 2-core machine seals or opens two at once. The run is long (32 chunks, 2 MiB) so that the hand-off to the
/// other cores costs little beside the cipher, and so that the file is read and written in large blocks. The buffers
/// are allocated once: memory is the same for a 1 KB file and a 50 GB one.
///
/// The batch only does the cipher work. Which chunk is the last one, and what a failure means, is decided by its
/// callers, ``AgeEncryptor`` and ``AgePlaintextStream``, chunk by chunk and in order, exactly as a one-chunk-at-a-time
/// reader would.
final class AgeChunkBatch {
    /// Chunks per batch.
    static let chunkCount = 32
    static let plainChunk = AgeFormat.chunkSize
    static let sealedChunk = AgeFormat.chunkSize + AgeFormat.tagSize

    /// `chunkCount` plaintext chunks, back to back.
    let plain: UnsafeMutableRawBufferPointer
    /// `chunkCount` sealed chunks (ciphertext and tag), back to back, as they are in the file.
    let sealed: UnsafeMutableRawBufferPointer
    /// Per chunk, the length `open` or `seal` produced, or -1 if the chunk did not authenticate (or could not be sealed).
    private let opened: UnsafeMutableBufferPointer<Int>
    private let cipher: AgePayloadCipher

    init(cipher: AgePayloadCipher, chunkCount: Int = AgeChunkBatch.chunkCount) {
        self.cipher = cipher
        plain = .allocate(byteCount: chunkCount * AgeChunkBatch.plainChunk, alignment: 64)
        sealed = .allocate(byteCount: chunkCount * AgeChunkBatch.sealedChunk, alignment: 64)
        opened = .allocate(capacity: chunkCount)
        plain.initializeMemory(as: UInt8.self, repeating: 0)
        sealed.initializeMemory(as: UInt8.self, repeating: 0)
        opened.initialize(repeating: -1)
    }

    deinit {
        plain.deallocate()
        sealed.deallocate()
        opened.deallocate()
    }

    /// Seals the first `count` bytes of ``plain`` as chunks numbered from `counter`, into ``sealed``; the batch's final
    /// chunk carries the last-chunk flag if `endsStream`. `count` 0 makes the one empty chunk of an empty file.
    /// Returns the sealed length.
    func seal(count: Int, counter: UInt64, endsStream: Bool) throws -> Int {
        let chunks = max(1, (count + AgeChunkBatch.plainChunk - 1) / AgeChunkBatch.plainChunk)
        precondition(chunks * AgeChunkBatch.plainChunk <= plain.count)
        let job = Handoff((plain: UnsafeRawBufferPointer(plain), sealed: sealed, results: opened, cipher: cipher))
        AgeChunkBatch.spread(chunks) { i in
            let (plain, sealed, results, cipher) = job.value
            let start = i * AgeChunkBatch.plainChunk
            let end = min(start + AgeChunkBatch.plainChunk, count)
            let out = UnsafeMutableRawBufferPointer(rebasing: sealed[(i * AgeChunkBatch.sealedChunk)...])
            results[i] = (try? cipher.seal(UnsafeRawBufferPointer(rebasing: plain[start..<end]),
                                           counter: counter + UInt64(i), last: endsStream && i == chunks - 1,
                                           into: out)) ?? -1
        }
        guard !opened[..<chunks].contains(-1) else {
            throw AmanaError(.internalFailure, "the payload cipher refused to encrypt a chunk")
        }
        return count + chunks * AgeFormat.tagSize
    }

    /// Opens sealed chunks of ``sealed`` into ``plain`` side by side: `sizes[i]` bytes of chunk `i`, numbered from
    /// `counter`, with the last-chunk flag if `lastFlags[i]`. Afterwards ``openedLength(_:)`` tells each one's result.
    func open(sizes: [Int], counter: UInt64, lastFlags: [Bool]) {
        precondition(sizes.count <= opened.count && sizes.count == lastFlags.count)
        let job = Handoff((plain: plain, sealed: UnsafeRawBufferPointer(sealed), opened: opened, cipher: cipher))
        AgeChunkBatch.spread(sizes.count) { i in
            let (plain, sealed, opened, cipher) = job.value
            let start = i * AgeChunkBatch.sealedChunk
            let out = UnsafeMutableRawBufferPointer(rebasing: plain[(i * AgeChunkBatch.plainChunk)...])
            opened[i] = cipher.open(UnsafeRawBufferPointer(rebasing: sealed[start..<(start + sizes[i])]),
                                    counter: counter + UInt64(i), last: lastFlags[i], into: out) ?? -1
        }
    }

    /// Opens one chunk again, on this thread, with another last-chunk flag (a full chunk that failed as an inner one
    /// may be the final one). Returns its plaintext length, or nil.
    func reopen(_ i: Int, size: Int, counter: UInt64, last: Bool) -> Int? {
        let start = i * AgeChunkBatch.sealedChunk
        let n = cipher.open(UnsafeRawBufferPointer(rebasing: sealed[start..<(start + size)]), counter: counter, last: last,
                            into: UnsafeMutableRawBufferPointer(rebasing: plain[(i * AgeChunkBatch.plainChunk)...]))
        opened[i] = n ?? -1
        return n
    }

    /// The plaintext length of chunk `i` after ``open(sizes:counter:lastFlags:)``, or nil if it did not authenticate.
    func openedLength(_ i: Int) -> Int? {
        opened[i] >= 0 ? opened[i] : nil
    }

    /// Runs `body` for every index, on as many cores as there are; one chunk alone stays on this thread.
    private static func spread(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count == 1 {
            body(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
        }
    }
}
