import Foundation

/// The ledger seam (``StoreLedgerBackend``) over the organisation store's database ledger (``PostgresLedger``).
///
/// Nothing is cached: every append signs from the head the DATABASE holds once the append's advisory lock is taken
/// (inside ``PostgresLedger/append(build:beforeCommit:index:)``), never from a count this process remembers, because
/// other stations append between this one's calls. The caller's `beforeCommit` runs inside that transaction, with the
/// lock held and the lines final (org mode mirrors the batch to S3 there), and the events are indexed into the
/// catalog tables in the same transaction: a committed event is always indexed, an uncommitted one never.
package final class PostgresLedgerBackend: StoreLedgerBackend {
    package let ledger: PostgresLedger

    package init(ledger: PostgresLedger) {
        self.ledger = ledger
    }

    package var storeID: String { ledger.storeID }

    package func head() throws -> StoreLedgerHead {
        let head = try ledger.head()
        return StoreLedgerHead(count: head.count, lastLine: head.lastLine)
    }

    @discardableResult
    package func append(_ pending: [StoreLedger.Pending], key: SecretKey, role: String?, time: Date,
                        beforeCommit: ([[UInt8]]) throws -> Void) throws -> [(event: CustodyEvent, line: [UInt8])] {
        guard !pending.isEmpty else { return [] }
        return try ledger.append(batch: pending, key: key, role: role, time: time, beforeCommit: beforeCommit, index: true)
            .map { ($0.event, $0.line) }
    }

    @discardableResult
    package func checkpoint(key: SecretKey, time: Date) throws -> StoreCheckpoint {
        try ledger.checkpoint(key: key, time: time)
    }

    /// Every checkpoint, by size. A database row is never torn: it is committed whole or not at all.
    package func checkpoints() throws -> [StoreCheckpoint] { try ledger.checkpoints() }

    package func forEachLine(_ body: (Int, [UInt8]) throws -> Void) throws { try ledger.forEachLine(body) }

    package func leafHashes(size: Int) throws -> [[UInt8]] { try ledger.leafHashes(size: size) }
}
