import ArgumentParser
import AmanaKit

struct StoreRebuildCatalog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild-catalog",
        abstract: "Recreate the catalog from the ledger and the objects alone (the catalog is an index, never the truth)."
    )

    @OptionGroup var location: StoreLocation

    func run() throws {
        let (events, objects, missing, missingRecords) = try EvidenceStore.rebuildCatalog(try location.path())
        Output.line("rebuilt the catalog from \(events) ledger events: \(objects) items")
        for sha256 in missing {
            Output.warning("the ledger records sha256:\(sha256) but the store has no object for it; run 'amana store verify'")
        }
        for sha256 in missingRecords {
            Output.warning("the ledger names the derived record sha256:\(sha256) but the store has no file for it")
        }
        if !missing.isEmpty || !missingRecords.isEmpty { throw ExitCode(1) }
    }
}
