import Foundation

/// Where a store keeps its signed ledger and checkpoints (spec/store.md, "Back ends"): the local file
/// (``StoreLedger``) or, for an organisation, database tables.
///
/// The caller never numbers or chains an event itself. It hands over what to record (``StoreLedger/Pending``) and the
/// key; the back end takes its own head, under its own serialisation (the store lock's file locally; a transaction
/// with an advisory lock in a database), builds and signs the events from that head, lets `beforeCommit` see the
/// lines (an organisation store writes them to S3 first), makes them durable, indexes them in the catalog (in the
/// same transaction where it can) and returns them. So two stations appending at once still make one gapless chain.
package protocol StoreLedgerBackend: AnyObject {
    /// The store the ledger belongs to: its genesis binds it (spec/store.md, "Events").
    var storeID: String { get }

    /// The number of events and the last line, as the back end holds them now.
    func head() throws -> StoreLedgerHead

    /// Signs `pending` from the back end's head, appends them durably (one write and one flush for a batch), indexes
    /// them in the catalog, and returns them in order. `beforeCommit` runs with the lines after they are signed and
    /// before they are committed; when it throws, nothing is appended.
    @discardableResult
    func append(_ pending: [StoreLedger.Pending], key: SecretKey, role: String?, time: Date,
                beforeCommit: ([[UInt8]]) throws -> Void) throws -> [(event: CustodyEvent, line: [UInt8])]

    /// Signs a checkpoint over the whole ledger as the back end holds it now and appends it.
    @discardableResult
    func checkpoint(key: SecretKey, time: Date) throws -> StoreCheckpoint

    /// Every checkpoint appended so far, in order (a torn last one skipped).
    func checkpoints() throws -> [StoreCheckpoint]

    /// Calls `body` with every complete line in order, numbered from 1 (a torn last line is not passed on).
    func forEachLine(_ body: (_ seq: Int, _ line: [UInt8]) throws -> Void) throws

    /// The RFC 9162 leaf hashes of the first `size` lines (for inclusion proofs against a checkpoint of that size).
    func leafHashes(size: Int) throws -> [[UInt8]]
}

/// A ledger's head: how many events it holds, and its last line (nil when empty), from which the next is chained.
package struct StoreLedgerHead: Equatable, Sendable {
    package var count: Int
    package var lastLine: [UInt8]?
}

extension StoreLedgerBackend {
    /// Appends one event: a batch of one.
    @discardableResult
    package func append(_ action: CustodyEvent.Action, items: [CustodyEvent.Item], details: [String: String],
                        key: SecretKey, role: String?, time: Date = Date()) throws -> (event: CustodyEvent, line: [UInt8]) {
        let appended = try append([StoreLedger.Pending(action: action, items: items, details: details)], key: key,
                                  role: role, time: time, beforeCommit: { _ in })
        return appended[0]
    }

    /// Appends a batch with no hook.
    @discardableResult
    package func append(batch: [StoreLedger.Pending], key: SecretKey, role: String?,
                        time: Date = Date()) throws -> [(event: CustodyEvent, line: [UInt8])] {
        try append(batch, key: key, role: role, time: time, beforeCommit: { _ in })
    }

    /// Calls `body` with every event in order; a malformed line is an error here (`store log` judges lines one by one).
    package func forEachEvent(_ body: (Int, CustodyEvent, [UInt8]) throws -> Void) throws {
        try forEachLine { seq, line in try body(seq, try CustodyEvent(line: line), line) }
    }
}
