import ArgumentParser
import AmanaKit

struct StoreList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the stored items, or those of one case, with when and by whom each was first acquired."
    )

    @OptionGroup var location: StoreLocation

    @Option(name: .customLong("case"), help: "Only the items acquired for this case.")
    var caseID: String?

    @Flag(name: .long, help: "Print the list as one JSON document (spec/store.md).")
    var json = false

    func run() throws {
        let store = try EvidenceStore.open(try location.path(), writing: false)
        let items = try store.catalog.items(caseID: caseID)
        if json {
            Output.write(StoreDocuments.list(items, caseID: caseID))
            return
        }
        Output.line("\(items.count) items" + (caseID.map { " in case \($0)" } ?? ""))
        for item in items {
            Output.line("  sha256:\(item.sha256)  \(item.size) bytes  \(item.first.source.path)  first \(item.first.time) by \(item.first.collector); cases: \(item.cases.joined(separator: ", "))")
        }
    }
}
