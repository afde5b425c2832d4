import ArgumentParser
import AmanaKit
import Foundation

struct Store: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and inspect an evidence store: verified copies, a catalog, and a signed ledger.",
        discussion: """
            A store is a private folder of read-only objects named by their SHA-256, an append-only ledger of signed \
            custody events, and a catalog rebuilt from that ledger at will. 'amana ingest' fills it. The store \
            folder is given with --store DIR or the AMANA_STORE environment variable (spec/store.md).
            """,
        subcommands: [StoreInit.self, StoreList.self, StoreShow.self, StoreFind.self, StoreVerify.self, StoreLog.self,
                      StoreRebuildCatalog.self]
    )
}

/// `--store DIR`, falling back to `AMANA_STORE`.
struct StoreLocation: ParsableArguments {
    @Option(name: .long, help: "The store folder (default: the AMANA_STORE environment variable).")
    var store: String?

    func path() throws -> String {
        if let store { return store }
        if let fromEnvironment = ProcessInfo.processInfo.environment["AMANA_STORE"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        throw AmanaError(.usage, "no store given", hint: "pass --store DIR or set AMANA_STORE")
    }
}

/// The signing key of a verb that writes to the ledger.
struct StoreKeyOptions: ParsableArguments {
    @Option(name: .long, help: "Your secret key file: you sign the ledger events and the checkpoint.")
    var key: String

    @Option(name: .long, help: "Read your key's passphrase from the first line of this file.")
    var passphraseFile: String?

    func secretKey() throws -> SecretKey {
        try KeyFiles.secretKey(key, passphraseFile: passphraseFile)
    }
}

/// Shared wording for stored items.
enum StoreText {
    static func acquisition(_ record: AcquisitionRecord) -> String {
        var text = "\(record.time) by \(record.collector) for case \(record.caseID) as \(record.source.path) [event #\(record.seq), key \(record.keyID)]"
        if record.outcome == .duplicate { text += " (duplicate)" }
        return text
    }

    static func singleLine(_ label: String, _ value: String?) throws {
        if let value, value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw ValidationError("\(label) must be one line without control characters")
        }
    }

    static func describe(_ item: StoredItem, store: EvidenceStore) throws {
        let catalog = store.catalog
        Output.line("sha256:\(item.sha256)")
        Output.line("  sha512: \(item.sha512)")
        Output.line("  size: \(item.size) bytes")
        Output.line("  cases: \(item.cases.joined(separator: ", "))")
        Output.line("  first acquired: \(acquisition(item.first))")
        let all = try catalog.acquisitions(sha256: item.sha256)
        Output.line("  acquisitions: \(all.count)")
        for record in all {
            Output.line("    #\(record.seq) \(acquisition(record))")
            let source = record.source
            var facts = ["mtime \(source.mtime)", "ctime \(source.ctime)"]
            if let value = source.fileSystemType { facts.append("file system \(value)") }
            if let value = source.volumeUUID { facts.append("volume uuid \(value)") }
            if let value = source.volumeLabel { facts.append("volume label \(value)") }
            if let value = source.deviceModel { facts.append("device model \(value)") }
            if let value = source.deviceSerial { facts.append("device serial \(value)") }
            if let value = record.device { facts.append("device \(value)") }
            if let value = record.location { facts.append("location \(value)") }
            if let value = record.sourceURL { facts.append("source url \(value)") }
            if let value = record.note { facts.append("note \(value)") }
            Output.line("       " + facts.joined(separator: "; "))
        }
        for derived in try catalog.derivedRecords(sha256: item.sha256) {
            Output.line("  \(derived.kind.rawValue) record sha256:\(derived.recordSHA256) (derived at event #\(derived.seq); the file's own testimony, not proof):")
            guard let record = store.metadataRecord(sha256: derived.recordSHA256) else {
                Output.line("    the record file is missing or does not match its name; run 'amana store verify'")
                continue
            }
            MetadataDisplay.lines(record, indent: "    ").forEach(Output.line)
        }
    }
}
