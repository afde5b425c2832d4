import ArgumentParser
import AmanaKit

struct StoreVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash every stored object from the disk (or S3) and report any damage, with the item and its cases.",
        discussion: """
            Exit status 0 when every object is intact, 1 when any is damaged or missing. With --key, the scrub is \
            recorded in the ledger as a signed 'verified' event and a new checkpoint.
            """
    )

    @OptionGroup var location: StoreLocation

    @Option(name: .long, help: "Your secret key file: record the scrub in the ledger, signed.")
    var key: String?

    @Option(name: .long, help: "Read your key's passphrase from the first line of this file.")
    var passphraseFile: String?

    @Option(name: .long, help: "Your role, recorded in the event.")
    var role: String?

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let secretKey = try key.map { try KeyFiles.secretKey($0, passphraseFile: passphraseFile) }
        let store = try EvidenceStore.open(try location.path(), writing: secretKey != nil)
        // What killed ingests left in tmp/ and nothing can resume: removed only when no writer holds the lock.
        if let swept = store.sweepTemporaryFiles(), swept.removed > 0 {
            Output.line("removed \(swept.removed) leftover files of interrupted ingests from tmp/")
        }
        if let behind = store.catalogBehind {
            Output.warning("the catalog lacks the newest ledger events and could not index them (\(behind)); objects recorded only there are not checked until the next ingest indexes them")
        }
        let scrubber = StoreScrubber(store: store)
        let (items, total) = try scrubber.items()
        let display = ProgressDisplay.start("verifying \(items.count) objects", total: total, options: progress)
        let result: StoreScrubber.Result
        do {
            result = try scrubber.run(items, key: secretKey, role: role)
            display?.stop()
        } catch {
            display?.stop()
            throw error
        }
        for damage in result.damage {
            let item = damage.item
            // Another writer's version under an object's name leaves the store's own version intact (it is the one
            // read): said as what it is, not as damage.
            let label = damage.problem == .overwritten ? "OVERWRITTEN" : "DAMAGED"
            Output.line("\(label) sha256:\(item.sha256) \(damage.problem.rawValue): \(damage.found)")
            Output.line("  first acquired \(StoreText.acquisition(item.first))")
            Output.line("  cases: \(item.cases.joined(separator: ", "))")
        }
        let overwritten = result.damage.filter { $0.problem == .overwritten }.count
        let damaged = result.damage.count - overwritten
        var counts = [String]()
        if damaged > 0 { counts.append("\(damaged) DAMAGED") }
        if overwritten > 0 { counts.append("\(overwritten) OVERWRITTEN") }
        let verdict = result.damage.isEmpty ? "all intact" : counts.joined(separator: ", ")
        // Said as it was done: an organisation store's objects are read from S3, each by its recorded version.
        var source = "read from the disk"
        if case .organisation = store.config.backEnd { source = "read from S3 by version id" }
        Output.line("checked \(result.checked) objects (\(Output.bytes(result.bytes))) against their SHA-256 and SHA-512, \(source): \(verdict)")
        if let checkpoint = result.checkpoint {
            Output.line("recorded as ledger event #\(checkpoint.size), checkpoint signed by key \(checkpoint.keyID)")
        }
        if !result.damage.isEmpty { throw ExitCode(1) }
    }
}
