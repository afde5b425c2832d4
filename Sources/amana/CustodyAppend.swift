import ArgumentParser
import AmanaKit
import Foundation

struct CustodyAppend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Record a signed custody event (accessed, copied, verified, note...) and seal the bundle again."
    )

    @Argument(help: "The bundle .tar.")
    var bundle: String

    @Option(name: .long, help: "What happened: accessed, copied, verified, derived, redacted, exported, ingested or note.")
    var action: String

    @Option(name: .long, help: "A payload item the event is about (data/... or a path below data/). Repeat for several.")
    var item: [String] = []

    @OptionGroup var write: CustodyWriteOptions

    static let ownVerbs: Set<String> = ["sealed", "transferred", "received"]

    func validate() throws {
        guard let parsed = CustodyEvent.Action(rawValue: action) else {
            throw ValidationError("unknown action '\(action)'; use one of \(CustodyEvent.Action.allCases.map(\.rawValue).filter { !Self.ownVerbs.contains($0) }.joined(separator: ", "))")
        }
        if Self.ownVerbs.contains(parsed.rawValue) {
            throw ValidationError("'\(action)' events are recorded by 'amana seal', 'amana custody transfer' and 'amana custody receive'")
        }
    }

    func run() throws {
        let action = CustodyEvent.Action(rawValue: self.action)!
        let result = try BundleAppender.append(try write.request(bundle: bundle)) { recorder, _, inventory in
            let items = try item.map { try CustodyItems.resolve($0, in: inventory) }
            var details = [String: String]()
            details["note"] = write.note
            try recorder.record(action, items: items, details: details, time: Date())
        }
        write.announce(result)
    }
}

/// Turns `--item` arguments into event items with the bundle's digests.
enum CustodyItems {
    static func resolve(_ argument: String, in inventory: BagInventory) throws -> CustodyEvent.Item {
        let path = argument.hasPrefix("data/") ? argument : "data/" + argument
        guard let file = inventory.files[path] else {
            throw AmanaError(.usage, "the bundle has no payload item \(path)", hint: "'amana inspect BUNDLE' lists the items")
        }
        let digests = Dictionary(uniqueKeysWithValues: file.digests.filter { !$0.key.isBroken }.map { ($0.key.bagItName, $0.value.hex) })
        return CustodyEvent.Item(path: path, digests: digests)
    }
}
