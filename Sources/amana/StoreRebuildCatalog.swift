import ArgumentParser
import AmanaKit

struct StoreRebuildCatalog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild-catalog",
        abstract: "Recreate the catalog from the ledger and the objects alone (the catalog is an index, never the truth).",
        discussion: """
            An organisation store whose database lost its ledger restores it first from the ledger objects on S3 \
            (spec/store.md 11.4), and says what it restored and what it ignored.
            """
    )

    @OptionGroup var location: StoreLocation

    func run() throws {
        let rebuilt = try EvidenceStore.rebuildCatalog(try location.path())
        if let ledger = rebuilt.ledger {
            if ledger.restoredEvents > 0 || ledger.restoredCheckpoints > 0 {
                Output.line("restored \(ledger.restoredEvents) ledger events and \(ledger.restoredCheckpoints) "
                            + "checkpoints from the ledger objects on s3")
            } else {
                Output.line("the ledger objects on s3 hold \(ledger.chainEvents) chained events; the database's "
                            + "ledger was kept")
            }
            for finding in ledger.findings {
                Output.warning(finding.description)
            }
        }
        Output.line("rebuilt the catalog from \(rebuilt.events) ledger events: \(rebuilt.objects) items")
        for sha256 in rebuilt.missing {
            Output.warning("the ledger records sha256:\(sha256) but the store has no object for it; run 'amana store verify'")
        }
        for sha256 in rebuilt.missingRecords {
            Output.warning("the ledger names the derived record sha256:\(sha256) but the store has no file for it")
        }
        if !rebuilt.missing.isEmpty || !rebuilt.missingRecords.isEmpty || rebuilt.ledger?.hasDamage == true {
            throw ExitCode(1)
        }
    }
}
