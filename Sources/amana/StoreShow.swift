import ArgumentParser
import AmanaKit

struct StoreShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one stored item by its SHA-256, or every item acquired from a source path, with all acquisitions."
    )

    @OptionGroup var location: StoreLocation

    @Argument(help: "A SHA-256 (64 hex digits, optionally 'sha256:'), or a source path as recorded at ingest.")
    var target: String

    @Flag(name: .long, help: "Print the items, their acquisitions and derived records as one JSON document (spec/store.md).")
    var json = false

    func run() throws {
        let store = try EvidenceStore.open(try location.path(), writing: false)
        var digest = target.lowercased()
        if digest.hasPrefix("sha256:") { digest.removeFirst(7) }
        var items = [StoredItem]()
        if digest.count == 64, Hex.decode(digest) != nil {
            if let item = try store.catalog.item(sha256: digest) { items.append(item) }
        } else {
            var seen = Set<String>()
            for record in try store.catalog.acquisitions(sourcePath: target) where seen.insert(record.sha256).inserted {
                if let item = try store.catalog.item(sha256: record.sha256) { items.append(item) }
            }
        }
        guard !items.isEmpty else {
            throw AmanaError(.inputInvalid, "the store holds no item \(target)",
                             hint: "'amana store list' lists the items; 'amana store find FILE' looks a file up by content")
        }
        if json {
            Output.write(try StoreDocuments.show(items, query: target, store: store))
            return
        }
        for item in items { try StoreText.describe(item, store: store) }
    }
}
