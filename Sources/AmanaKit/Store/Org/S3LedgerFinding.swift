/// What a read of the ledger objects on S3 found that is not simply the chain (spec/store.md 11.4): each names the
/// key (and version) it is about. A rebuild restores the chain and reports these; none is ever a crash.
package struct S3LedgerFinding: Equatable, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        /// A key under `ledger/` that is not of the layout, no version of it hashing to its name, or a batch whose
        /// lines do not parse, number, chain or verify within it.
        case malformed = "store.ledger.s3.malformed"
        /// Another version under a ledger key (other bytes, or a delete marker): never read.
        case overwrite = "store.ledger.s3.overwrite"
        /// A well-formed batch that is not part of the chain: a commit that failed after its batch was written, a
        /// batch that does not chain, or one past the database's head.
        case orphan = "store.ledger.s3.orphan"
        /// Two or more batches continue the chain at one seq, and neither a later batch nor a checkpoint decides.
        case ambiguous = "store.ledger.s3.ambiguous"
        /// Events the chain lacks while later batches or checkpoints show they existed.
        case gap = "store.ledger.s3.gap"
        /// The chain's last events, which no checkpoint on S3 covers (restored).
        case unconfirmed = "store.ledger.s3.unconfirmed"
        /// The database holds an event S3 lacks (or another line at that seq): the ledger is left as it is.
        case missing = "store.ledger.s3.missing"
        /// A checkpoint object that is not over the chain (signature, origin, size or root): not restored.
        case checkpointMismatch = "store.checkpoint.s3.mismatch"
    }

    package var code: Code
    package var key: String?
    package var version: String?
    package var message: String

    package init(_ code: Code, key: String?, version: String? = nil, _ message: String) {
        self.code = code
        self.key = key
        self.version = version
        self.message = message
    }

    /// Orphans and an unconfirmed tail are what failed commits and crashes leave; everything else is damage or
    /// tampering (exit status 1).
    package var isWarning: Bool { code == .orphan || code == .unconfirmed }

    package var description: String {
        var text = code.rawValue
        if let key { text += " \(key)" }
        if let version { text += " version \(version)" }
        return text + ": " + message
    }
}
