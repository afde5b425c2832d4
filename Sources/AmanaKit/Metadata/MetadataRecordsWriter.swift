import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension MetadataRecordsFile {
    /// Builds the file while the payload is copied. A file that fits in one slot of the sealer's read ring (every
    /// photo) is parsed from the bytes already read for hashing, in the same job as its digests and so on every core:
    /// no second open or read, and nothing added to the reading thread. A larger file is read through the descriptor
    /// the sealer already holds. Either way the record describes exactly the bytes sealed.
    ///
    /// Memory stays flat whatever the number of items. Each record is serialised as soon as it is read and its line
    /// goes, in the plan's order, into a small buffer that is written out to an unlinked temporary file beside the
    /// bundle (``Spool``); the sealer copies that file into the tar after items.json. Records finish out of order,
    /// since several items are parsed at once, but only within the read ring: item `i + depth` cannot be read before
    /// item `i`'s slot is free, and a slot is freed only after its record is stored, so fewer than
    /// ``ChunkPipeline/depth`` lines ever wait for an earlier one. Holding every line until the end instead cost
    /// 33 MiB of a seal's peak for 20,000 photos (bench/README.md).
    final class Writer: Sendable {
        /// The seal's claimed time, which stands in for the acquisition time (spec/metadata.md section 3.1).
        let acquired: Date
        private let state: Mutex<State>
        /// Lines are written to the spool in blocks of about this size.
        static let flushBytes = 64 << 10

        /// What one writer held in memory at most (the tests check it stays bounded whatever the item count).
        package struct Held: Sendable, Equatable {
            /// Lines that waited for an earlier item's line, at most at once.
            package var waitingLines = 0
            /// Bytes of in-order lines buffered before a write to the spool, at most at once.
            package var bufferedBytes = 0
            /// Bytes written to the spool before the last item was in (0 when everything fitted in one block).
            package var spooledEarly = 0
        }

        /// The figures of the last writer that finished, for the tests: a package-level record, not a behaviour.
        package static let lastHeld = Locked(Held())

        private struct State: ~Copyable {
            let spool: Spool
            let count: Int
            /// The index of the first item whose line is not yet in `buffer`.
            var next = 0
            var waiting: [Int: [UInt8]] = [:]
            var buffer: [UInt8] = []
            /// Why the spool could not be written, reported by ``finish()``.
            var failure: String?
            var held = Held()
        }

        /// `output`: the bundle being written; the spool is created in its folder, which is known to be writable and
        /// is where the user chose to put this evidence (not a shared temporary folder).
        init(acquired: Date, count: Int, beside output: String) throws {
            self.acquired = acquired
            var state = State(spool: try Spool(beside: output), count: count)
            state.buffer.reserveCapacity(Writer.flushBytes + 4096)
            self.state = Mutex(state)
        }

        /// The work the read ring runs on file `index`'s bytes when they fit in one slot.
        func whole(_ index: Int, _ file: SealPlan.File) -> FileSequencePipeline.Whole {
            let name = file.bagPath, modified = Date(timeIntervalSince1970: TimeInterval(file.modified))
            let acquired = acquired
            return { [self] bytes in
                let record = MetadataReader.read(MetadataSource(borrowing: bytes), name: name, modified: modified,
                                                 acquisitionTime: acquired, now: acquired)
                store(index, record)
            }
        }

        /// File `index` when it did not fit in one slot: read through `descriptor`, the open file the sealer checked
        /// is the one planned (same inode, size and times).
        func read(_ index: Int, _ file: SealPlan.File, descriptor: Int32) {
            let record = MetadataReader.read(descriptor: descriptor, size: file.size,
                                             modified: Date(timeIntervalSince1970: TimeInterval(file.modified)),
                                             name: file.bagPath, acquisitionTime: acquired, now: acquired)
            store(index, record)
        }

        private func store(_ index: Int, _ record: MetadataRecord) {
            var line = MetadataRecordJSON.serialize(record)
            line.append(0x0A)
            state.withLock { state in
                guard index != state.next else {
                    append(line, to: &state)
                    while let waiting = state.waiting.removeValue(forKey: state.next) { append(waiting, to: &state) }
                    return
                }
                state.waiting[index] = line
                state.held.waitingLines = max(state.held.waitingLines, state.waiting.count)
            }
        }

        private func append(_ line: [UInt8], to state: inout State) {
            state.buffer += line
            state.next += 1
            state.held.bufferedBytes = max(state.held.bufferedBytes, state.buffer.count)
            if state.buffer.count >= Writer.flushBytes {
                if state.next < state.count { state.held.spooledEarly += state.buffer.count }
                flush(&state)
            }
        }

        private func flush(_ state: inout State) {
            guard !state.buffer.isEmpty else { return }
            if state.failure == nil {
                do { try state.spool.append(state.buffer) } catch { state.failure = "\(error)" }
            }
            state.buffer.removeAll(keepingCapacity: true)
        }

        /// Once the pipeline has finished: writes what is still buffered and returns the file's size. Throws when a
        /// record is missing (a sealer bug) or the spool could not be written (a full disk).
        func finish() throws -> UInt64 {
            try state.withLock { state in
                guard state.next == state.count, state.waiting.isEmpty else {
                    throw AmanaError(.internalFailure, "the metadata record of item \(state.next + 1) was not read")
                }
                flush(&state)
                Writer.lastHeld.set(state.held)
                if let failure = state.failure {
                    throw AmanaError(.outputFailed, "cannot write the metadata records: \(failure)",
                                     hint: "free some space beside the output and seal again")
                }
                return state.spool.size
            }
        }

        /// Hands the file's bytes, in order, to `body`, a block at a time (after ``finish()``).
        func readBack(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            // The spool's descriptor and size are taken under the lock and read outside it: `body` is the caller's.
            let (fd, size, label) = state.withLock { ($0.spool.fd, $0.spool.size, $0.spool.label) }
            try Spool.readBack(fd: fd, size: size, label: label, blockSize: Writer.flushBytes, body)
        }
    }

    /// An unlinked temporary file: created beside the output with the `.amana-partial-` prefix and removed from its
    /// folder at once, so nothing is left behind whatever happens to the process, and closed when released.
    final class Spool {
        let fd: Int32
        /// The folder, for messages.
        let label: String
        private(set) var size: UInt64 = 0

        init(beside output: String) throws {
            let dir = POSIX.parentDirectory(of: output)
            var template = Array("\(dir)/\(AtomicOutput.partialPrefix)\(POSIX.lastComponent(of: output)).metadata.XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                throw AmanaError(.outputFailed, "cannot create a temporary file in \(dir): \(POSIX.errorText())")
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            unlink(template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
            self.fd = fd
            label = dir
        }

        deinit { close(fd) }

        func append(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else {
                        throw AmanaError(.outputFailed, "cannot write a temporary file in \(label): \(POSIX.errorText())")
                    }
                    offset += n
                }
            }
            size += UInt64(bytes.count)
        }

        /// Every byte written, from the start, to `body` in blocks of at most `blockSize`.
        static func readBack(fd: Int32, size: UInt64, label: String, blockSize: Int,
                             _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            var block = [UInt8](repeating: 0, count: blockSize)
            var offset: UInt64 = 0
            while offset < size {
                let n = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, min(blockSize, Int(size - offset)), off_t(offset)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw AmanaError(.outputFailed, "cannot read back a temporary file in \(label): \(POSIX.errorText())")
                }
                try block.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
                offset += UInt64(n)
            }
        }
    }
}
