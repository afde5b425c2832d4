import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The store's custody ledger, `ledger/events.jsonl`: append-only, in the custody log's signed event format.
///
/// Every line is a ``CustodyEvent`` (canonical JSON, chained by `prev`, signed by its actor), so the code and the spec
/// that judge a bundle's custody log judge the ledger too. The ledger is the store's truth: the catalog is rebuilt
/// from it. Only the last line's chain value and the lines' leaf hashes are kept in memory (32 bytes per event), so a
/// ledger of a million events costs 32 MB, not the events themselves.
///
/// Crash safety: a line is written with one `write` on an `O_APPEND` descriptor and `fdatasync`ed before the command
/// goes on. A crash can leave at most a torn last line without its LF; a writer (under the store lock) cuts it off
/// when it opens the ledger, readers ignore it.
package final class StoreLedger: StoreLedgerBackend {
    package let layout: StoreLayout
    package let storeID: String
    package private(set) var count = 0
    package private(set) var leafHashes = [[UInt8]]()
    private var lastLine: [UInt8]?
    /// The catalog that appended events are indexed in, right after they are durable (nil: not indexed, as for the
    /// test vectors' ledger, which has no catalog).
    package var catalog: Catalog?

    /// Opens the ledger. `repair` (only under the store lock) cuts a torn last line left by a crash.
    package init(layout: StoreLayout, storeID: String, repair: Bool) throws {
        self.layout = layout
        self.storeID = storeID
        var validBytes: off_t = 0
        var torn = false
        try StoreLedger.forEachLine(path: layout.ledgerPath) { line, endOffset in
            leafHashes.append(MerkleTree.leafHash(line))
            lastLine = line
            validBytes = endOffset
        } torn: { torn = true }
        count = leafHashes.count
        if torn && repair {
            guard truncate(layout.ledgerPath, validBytes) == 0 else {
                throw AmanaError(.outputFailed, "cannot repair the ledger's torn last line: \(POSIX.errorText())")
            }
        }
    }

    /// The `prev` of the first event: binds the ledger to its store.
    package var genesis: String { CustodyLog.genesis(bundleID: StoreCheckpoint.origin(storeID: storeID)) }

    /// The RFC 9162 root of the whole ledger.
    package var root: [UInt8] { MerkleTree.root(leafHashes: leafHashes) }

    /// Calls `body` with each complete line (without LF) and the file offset just past its LF; `torn` when the file
    /// ends in a line without LF (a write cut by a crash), which is not passed on.
    package static func forEachLine(path: String, _ body: ([UInt8], off_t) throws -> Void,
                                   torn: () -> Void = {}) throws {
        guard let file = fopen(path, "rb") else {
            if errno == ENOENT { return }
            throw AmanaError(.inputUnreadable, "cannot read the ledger \(path): \(POSIX.errorText())")
        }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var offset: off_t = 0
        while true {
            let n = getline(&buffer, &capacity, file)
            if n < 0 { break }
            let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
            offset += off_t(n)
            guard bytes.last == 0x0A else {
                torn()
                break
            }
            try body(Array(bytes.dropLast()), offset)
        }
    }

    /// Reads every event of the ledger at `path`, in order. Malformed lines are errors here: `store log` judges
    /// lines one by one instead.
    package static func events(layout: StoreLayout, _ body: (Int, CustodyEvent, [UInt8]) throws -> Void) throws {
        var seq = 0
        try forEachLine(path: layout.ledgerPath) { line, _ in
            seq += 1
            try body(seq, try CustodyEvent(line: line), line)
        }
    }

    /// One event to append: what the caller records. The back end numbers, chains, times and signs it.
    package struct Pending {
        package var action: CustodyEvent.Action
        package var items: [CustodyEvent.Item]
        package var details: [String: String]

        package init(action: CustodyEvent.Action, items: [CustodyEvent.Item], details: [String: String]) {
            self.action = action
            self.items = items
            self.details = details
        }
    }

    package func head() throws -> StoreLedgerHead { StoreLedgerHead(count: count, lastLine: lastLine) }

    /// Signs the events from this ledger's head and appends them with one `write` and one `fdatasync` (one event, or a
    /// batch of the re-run shortcut's duplicates, which copied nothing: a crash loses only records a re-run writes
    /// again), then indexes them in ``catalog`` when one is set. A crash can leave a prefix of the batch: whole, valid
    /// events, and at most a torn last line; one between the write and the index is caught up by the next writer.
    /// The head is this process's: the store lock, held by every writer for its whole command, keeps it the file's.
    @discardableResult
    package func append(_ pending: [Pending], key: SecretKey, role: String?, time: Date,
                        beforeCommit: ([[UInt8]]) throws -> Void) throws -> [(event: CustodyEvent, line: [UInt8])] {
        let actor = CustodyEvent.Actor(keyID: key.keyID.description, publicKey: key.publicKey.base64,
                                       name: key.publicKey.name, organization: key.publicKey.organization, role: role)
        var out = [(event: CustodyEvent, line: [UInt8])]()
        var previous = lastLine
        for (offset, pending) in pending.enumerated() {
            var event = CustodyEvent(seq: count + 1 + offset, time: UTCTime.format(time), actor: actor,
                                     action: pending.action, items: pending.items, details: pending.details,
                                     prev: previous.map(CustodyLog.chainValue(after:)) ?? genesis)
            try event.sign(with: key)
            let line = event.line
            out.append((event, line))
            previous = line
        }
        guard !out.isEmpty else { return out }
        try beforeCommit(out.map(\.line))
        try StoreLedger.appendLines(out.map(\.line), to: layout.ledgerPath, what: "the ledger")
        for (_, line) in out { leafHashes.append(MerkleTree.leafHash(line)) }
        lastLine = previous
        count += out.count
        if let catalog {
            if out.count == 1 {
                try catalog.index(seq: out[0].event.seq, event: out[0].event, line: out[0].line)
            } else {
                try catalog.index(batch: out.map { (seq: $0.event.seq, event: $0.event, line: $0.line) })
            }
        }
        return out
    }

    /// Signs a checkpoint over the whole ledger and appends it to `ledger/checkpoints.jsonl`.
    @discardableResult
    package func checkpoint(key: SecretKey, time: Date = Date()) throws -> StoreCheckpoint {
        var checkpoint = StoreCheckpoint(origin: StoreCheckpoint.origin(storeID: storeID), size: count,
                                         root: Hex.encode(root), time: UTCTime.format(time),
                                         keyID: key.keyID.description, publicKey: key.publicKey.base64)
        try checkpoint.sign(with: key)
        try StoreLedger.appendLine(checkpoint.line, to: layout.checkpointsPath, what: "the ledger checkpoints")
        return checkpoint
    }

    package func checkpoints() throws -> [StoreCheckpoint] { try StoreLedger.checkpoints(layout: layout) }

    package func forEachLine(_ body: (Int, [UInt8]) throws -> Void) throws {
        var seq = 0
        try StoreLedger.forEachLine(path: layout.ledgerPath) { line, _ in
            seq += 1
            try body(seq, line)
        }
    }

    package func leafHashes(size: Int) throws -> [[UInt8]] { Array(leafHashes.prefix(size)) }

    /// Every checkpoint written so far (a torn last line is skipped).
    package static func checkpoints(layout: StoreLayout) throws -> [StoreCheckpoint] {
        var out = [StoreCheckpoint]()
        try forEachLine(path: layout.checkpointsPath) { line, _ in out.append(try StoreCheckpoint(line: line)) }
        return out
    }

    /// One `write` of the line and its LF on an `O_APPEND` descriptor, then `fdatasync`. If the write is cut short
    /// (a full disk), what was written is cut off again, so the file never keeps a half line it could chain onto.
    static func appendLine(_ line: [UInt8], to path: String, what: String) throws {
        try appendLines([line], to: path, what: what)
    }

    /// Appends lines, each followed by LF, with one `write` and one `fdatasync`; a failed write is truncated away.
    static func appendLines(_ lines: [[UInt8]], to path: String, what: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw AmanaError(.outputFailed, "cannot open \(what): \(POSIX.errorText())") }
        defer { close(fd) }
        var start = stat()
        guard fstat(fd, &start) == 0 else { throw AmanaError(.outputFailed, "cannot read \(what): \(POSIX.errorText())") }
        var bytes = [UInt8]()
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for line in lines {
            bytes += line
            bytes.append(0x0A)
        }
        do {
            try bytes.withUnsafeBytes { try POSIX.writeAll(fd, $0, path: what) }
            guard fdatasync(fd) == 0 else {
                throw AmanaError(.outputFailed, "cannot write \(what) to disk: \(POSIX.errorText())")
            }
        } catch {
            _ = ftruncate(fd, start.st_size)
            throw error
        }
    }
}
