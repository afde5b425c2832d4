import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a new ``AtomicOutput`` from threads of its own while the caller produces the next bytes: whole slots of a
/// small ring go to the file with positional writes, two at a time, and the short tail last.
///
/// Why: Amana writes its outputs with direct I/O (see ``DirectFileWriter``), and a direct write returns only once its
/// bytes are on the device. Done on the thread that encrypts or decrypts, the cipher waited for the disk and then the
/// disk for the cipher, and a 2 GiB file took their sum. Here the disk writes while the cipher works, and two writes
/// are in flight at once: on the bench machine's virtual disk one stream of 1 MiB direct writes ran at 1.1 GB/s and
/// two side by side at 1.5 to 2 GB/s. Memory is the ring (`depth` slots of `slotSize` bytes) whatever the stream's
/// length; a slow disk holds the producer back instead of letting slots pile up.
///
/// Slots are aligned and a multiple of 4096 bytes, so each one is a valid direct write at an aligned offset; a file
/// system that refuses direct I/O (`EINVAL`) gets the same bytes through the page cache, as ``DirectFileWriter`` does.
/// The caller still commits the output, whose fsync makes the size and block map durable.
///
/// Use it through ``run(output:_:)``: when that returns or throws, no thread writes to the output any more, so the
/// caller may commit or abandon it. The first write error is rethrown by the next ``write(_:)`` and by `run`.
final class WriteBehind: @unchecked Sendable {  // mutable state shared with the lanes is guarded by `gate`
    /// Bytes per slot: a multiple of ``DirectFileWriter/alignment``, and the size of one direct write.
    static let slotSize = 2 << 20
    /// Slots in the ring: two being written, one being filled, one spare to absorb jitter.
    static let depth = 4

    private let fd: Int32
    private let label: String
    private let lanes = [DispatchQueue(label: "amana.write-behind.0"), DispatchQueue(label: "amana.write-behind.1")]
    private let slots: [UnsafeMutableRawBufferPointer]
    private let gate = NSCondition()
    /// Per slot, whether a lane still holds it (guarded by `gate`).
    private var busy: [Bool]
    /// The first write error (guarded by `gate`).
    private var failure: Error?
    /// The slot being filled, how far, and the file offset where it goes (producer's thread only).
    private var current = 0
    private var filled = 0
    private var offset: Int64 = 0
    private var submitted = 0

    private init(output: AtomicOutput) {
        fd = output.fd
        label = output.finalPath
        slots = (0..<WriteBehind.depth).map { _ in
            .allocate(byteCount: WriteBehind.slotSize, alignment: DirectFileWriter.alignment)
        }
        busy = Array(repeating: false, count: WriteBehind.depth)
    }

    deinit {
        for slot in slots { slot.deallocate() }
    }

    /// Runs `body` with a writer whose bytes go to `output` in order. Returns once every byte is written; rethrows the
    /// first error of `body` or of a write, but only once no lane writes any more.
    static func run<T>(output: AtomicOutput, _ body: (WriteBehind) throws -> T) throws -> T {
        let writer = WriteBehind(output: output)
        do {
            let result = try body(writer)
            try writer.finish()
            return result
        } catch {
            writer.drain()
            throw error
        }
    }

    /// Copies `bytes` into the ring; a full slot goes to a lane. Rethrows an earlier write error.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = min(bytes.count - done, WriteBehind.slotSize - filled)
            (slots[current].baseAddress! + filled).copyMemory(from: bytes.baseAddress! + done, byteCount: n)
            filled += n
            done += n
            if filled == WriteBehind.slotSize { try submit() }
        }
    }

    /// Sends the full slot to the next lane and waits until the slot after it is free.
    private func submit() throws {
        let slot = current, at = offset
        gate.lock()
        busy[slot] = true
        gate.unlock()
        lanes[submitted % lanes.count].async { [self] in
            gate.lock()
            let skip = failure != nil
            gate.unlock()
            var error: Error?
            if !skip {
                do { try writeDirect(UnsafeRawBufferPointer(slots[slot]), at: at) } catch let e { error = e }
            }
            gate.lock()
            if failure == nil, let error { failure = error }
            busy[slot] = false
            gate.broadcast()
            gate.unlock()
        }
        submitted += 1
        offset += Int64(WriteBehind.slotSize)
        current = (current + 1) % WriteBehind.depth
        filled = 0
        gate.lock()
        while busy[current] { gate.wait() }
        let error = failure
        gate.unlock()
        if let error { throw error }
    }

    /// Waits for the lanes, then writes the short tail through the page cache (direct I/O needs whole blocks) and
    /// leaves the file offset at the end, where ``AtomicOutput/commit(mode:)`` expects it.
    private func finish() throws {
        drain()
        gate.lock()
        let error = failure
        gate.unlock()
        if let error { throw error }
        WriteBehind.stopDirect(fd)
        try writeAll(UnsafeRawBufferPointer(rebasing: slots[current][..<filled]), at: offset)
        offset += Int64(filled)
        filled = 0
        guard lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else {
            throw AmanaError(.outputFailed, "cannot write \(label): \(POSIX.errorText())")
        }
    }

    /// Waits until no lane holds a slot.
    private func drain() {
        gate.lock()
        while busy.contains(true) { gate.wait() }
        gate.unlock()
    }

    /// One whole slot at an aligned offset: directly if the file allows it; if direct I/O is refused (`EINVAL`, before
    /// anything is written), through the page cache from then on.
    private func writeDirect(_ bytes: UnsafeRawBufferPointer, at position: Int64) throws {
        while true {
            let n = pwrite(fd, bytes.baseAddress, bytes.count, off_t(position))
            if n == bytes.count { return }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EINVAL {
                WriteBehind.stopDirect(fd)
                break
            }
            if n < 0 { throw AmanaError(.outputFailed, "cannot write \(label): \(POSIX.errorText())") }
            // A short direct write: finish the rest through the page cache.
            WriteBehind.stopDirect(fd)
            try writeAll(UnsafeRawBufferPointer(rebasing: bytes[n...]), at: position + Int64(n))
            return
        }
        try writeAll(bytes, at: position)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer, at position: Int64) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(position + Int64(done)))
            if n < 0 {
                if errno == EINTR { continue }
                throw AmanaError(.outputFailed, "cannot write \(label): \(POSIX.errorText())")
            }
            done += n
        }
    }

    /// Clears `O_DIRECT` on the output (``DirectFileWriter`` set it when the output was created).
    private static func stopDirect(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0 else { return }
        _ = fcntl(fd, F_SETFL, flags & ~DirectFileWriter.directFlag)
    }
}
