/// Where everything lives inside an evidence store folder (spec/store.md, "Layout").
///
/// One place names every path, so the layout the spec describes and the layout the code writes cannot drift apart.
public struct StoreLayout: Sendable {
    public let root: String

    public init(root: String) {
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
    }

    /// The store's identity and format version: `store.json`.
    public var configPath: String { root + "/store.json" }
    /// Held with `flock` by every command that writes, so writers never interleave.
    public var lockPath: String { root + "/lock" }
    /// The SQLite catalog: an index rebuilt from the ledger at will, never the truth.
    public var catalogPath: String { root + "/catalog.sqlite" }
    /// The signed, append-only ledger of custody events, one canonical JSON line each.
    public var ledgerPath: String { root + "/ledger/events.jsonl" }
    /// The signed checkpoints over the ledger, one line per command that wrote to it.
    public var checkpointsPath: String { root + "/ledger/checkpoints.jsonl" }
    public var ledgerFolder: String { root + "/ledger" }
    public var objectsFolder: String { root + "/objects/sha256" }
    /// Partial copies and their resume journals. Nothing here is evidence until renamed into `objects/`.
    public var temporaryFolder: String { root + "/tmp" }

    /// `objects/sha256/ab/cd/<hex>`: two levels of fan-out keep every folder small even with millions of objects.
    public func objectPath(sha256 hex: String) -> String {
        let characters = Array(hex)
        return objectsFolder + "/" + String(characters[0..<2]) + "/" + String(characters[2..<4]) + "/" + hex
    }

    public func partialPath(_ identity: String) -> String { temporaryFolder + "/" + identity + ".partial" }
    public func journalPath(_ identity: String) -> String { temporaryFolder + "/" + identity + ".journal" }
}
