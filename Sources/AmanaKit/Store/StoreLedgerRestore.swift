/// What a rebuild found in a back end's second copy of the ledger (an organisation store's ledger objects on S3,
/// spec/store.md 11.4), and what it restored from it.
package struct StoreLedgerRestore: Sendable {
    /// Events written back into a ledger that had lost them (0 when the ledger was still there).
    package var restoredEvents: Int
    /// Checkpoints written back.
    package var restoredCheckpoints: Int
    /// How many events the chain rebuilt from the second copy holds.
    package var chainEvents: Int
    /// Everything that is not simply the chain, each naming its object.
    package var findings: [S3LedgerFinding]

    /// A finding that is damage or tampering, not just what a failed commit or a crash leaves.
    package var hasDamage: Bool { findings.contains { !$0.isWarning } }
}
