import ArgumentParser
import AmanaKit
import Foundation

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy files from field media into an evidence store, proving each copy from the disk and signing a record of it.",
        discussion: """
            Each file is read once into SHA-256, SHA-512 and a copy in the store, which is fsynced, read back from \
            the disk and compared before it is stored read-only. The originals are never written. Content already \
            stored is not copied again but recorded as a new acquisition; a file unchanged since this store acquired \
            it (same device, inode, size, mtime and ctime) is recorded so without reading it again, unless --rehash. \
            The capture metadata of each new file is read from the stored copy and kept beside it as a derived \
            record (never inside it), unless --no-metadata. \
            An interrupted ingest, run again, resumes. \
            Exit status: 0 when every file was stored or found already stored, 1 when any was skipped (each is \
            listed with its reason), 74 when the store could not be written (a full disk: what was stored stays valid).
            """
    )

    @Argument(help: "Files and folders to ingest (folders recursively; symbolic links are never followed).")
    var sources: [String]

    @OptionGroup var storeLocation: StoreLocation

    @Option(name: .customLong("case"), help: "The case the material belongs to.")
    var caseID: String

    @Option(name: .long, help: "Who collected the material.")
    var collector: String

    @OptionGroup var keyOptions: StoreKeyOptions

    @Option(name: .long, help: "The device the material came from (a phone, a camera, an SD card).")
    var device: String?

    @Option(name: .customLong("location"), help: "Where it was collected.")
    var place: String?

    @Option(name: .customLong("source-url"), help: "Where it was found online, if it was.")
    var sourceURL: String?

    @Option(name: .long, help: "A note recorded with each acquisition.")
    var note: String?

    @Option(name: .long, help: "Your role, recorded in each event (documenter, archivist...).")
    var role: String?

    @Flag(name: .long, help: "Hash every file, even one unchanged since this store last acquired it (no re-run shortcut).")
    var rehash = false

    @Flag(name: .long, help: "Do not derive the capture metadata record of new files (it is kept in the store otherwise).")
    var noMetadata = false

    @Flag(name: .long, help: "Print the summary as JSON.")
    var json = false

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        guard !sources.isEmpty else { throw ValidationError("give at least one file or folder to ingest") }
        guard !caseID.isEmpty, !collector.isEmpty else { throw ValidationError("--case and --collector must not be empty") }
        for (label, value) in [("--case", caseID), ("--collector", collector), ("--device", device),
                               ("--location", place), ("--source-url", sourceURL), ("--note", note), ("--role", role)] {
            try StoreText.singleLine(label, value)
        }
    }

    func run() throws {
        let key = try keyOptions.secretKey()
        let store = try EvidenceStore.open(try storeLocation.path(), writing: true)
        var request = IngestRequest(sources: sources, caseID: caseID, collector: collector, key: key)
        request.device = device
        request.location = place
        request.sourceURL = sourceURL
        request.note = note
        request.role = role
        request.rehash = rehash
        request.metadata = !noMetadata
        let ingester = Ingester(store: store, request: request)
        let plan = ingester.plan()
        // Every byte is read twice: from the source while copying, and from the disk to prove the copy.
        let display = ProgressDisplay.start("ingesting \(plan.fileCount) files", total: plan.totalBytes * 2, options: progress)
        let result: IngestResult
        do {
            result = try ingester.run(plan)
            display?.stop()
        } catch {
            display?.stop()
            throw error
        }
        if json {
            Output.write(result.json)
        } else {
            printSummary(result)
        }
        if result.anySkipped { throw ExitCode(1) }
    }

    private func printSummary(_ result: IngestResult) {
        Output.line("ingested into case \(result.caseID): \(result.count(.new)) new, \(result.count(.duplicate)) duplicate, \(result.count(.skipped)) skipped")
        for file in result.files {
            switch file.outcome {
            case .new:
                Output.line("  new        \(file.path)  sha256:\(file.sha256 ?? "")  \(file.size ?? 0) bytes")
            case .duplicate:
                let first = file.firstAcquired.map { "first acquired \($0.time) by \($0.collector) for case \($0.caseID)" } ?? ""
                Output.line("  duplicate  \(file.path)  sha256:\(file.sha256 ?? "")  \(first)")
            case .skipped:
                Output.line("  skipped    \(file.path)  \(file.code ?? ""): \(file.reason ?? "")")
            }
        }
        if let checkpoint = result.checkpoint {
            Output.line("ledger: \(checkpoint.size) events, checkpoint root \(checkpoint.root) signed by key \(checkpoint.keyID)")
        }
    }
}
