/// Where everything lives inside an evidence store folder (spec/store.md, "Layout").
///
/// One place names every path, so the layout the spec describes and the layout the code writes cannot drift apart.
package struct StoreLayout: Sendable {
    package let root: String

    package init(root: String) {
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
    }

    /// The store's identity and format version: `store.json`.
    package var configPath: String { root + "/store.json" }
    /// Held with `flock` by every command that writes, so writers never interleave.
    package var lockPath: String { root + "/lock" }
    /// The SQLite catalog: an index rebuilt from the ledger at will, never the truth.
    package var catalogPath: String { root + "/catalog.sqlite" }
    /// The signed, append-only ledger of custody events, one canonical JSON line each.
    package var ledgerPath: String { root + "/ledger/events.jsonl" }
    /// The signed checkpoints over the ledger, one line per command that wrote to it.
    package var checkpointsPath: String { root + "/ledger/checkpoints.jsonl" }
    package var ledgerFolder: String { root + "/ledger" }
    package var objectsFolder: String { root + "/objects/sha256" }
    /// Partial copies and their resume journals. Nothing here is evidence until renamed into `objects/`.
    package var temporaryFolder: String { root + "/tmp" }

    /// `objects/sha256/ab/cd/<hex>`: two levels of fan-out keep every folder small even with millions of objects.
    package func objectPath(sha256 hex: String) -> String {
        let characters = Array(hex)
        return objectsFolder + "/" + String(characters[0..<2]) + "/" + String(characters[2..<4]) + "/" + hex
    }

    /// Derived records (capture metadata), named by the SHA-256 of their own bytes: beside the objects, never
    /// among them, so nothing derived is ever mistaken for evidence.
    package var recordsFolder: String { root + "/records/sha256" }

    /// `records/sha256/ab/cd/<hex>`.
    package func recordPath(sha256 hex: String) -> String {
        let characters = Array(hex)
        return recordsFolder + "/" + String(characters[0..<2]) + "/" + String(characters[2..<4]) + "/" + hex
    }

    package func partialPath(_ identity: String) -> String { temporaryFolder + "/" + identity + ".partial" }
    package func journalPath(_ identity: String) -> String { temporaryFolder + "/" + identity + ".journal" }
    /// A derived record being written, before its rename into `records/`.
    package func recordTemporaryPath(_ sha256: String) -> String { temporaryFolder + "/" + sha256 + ".record" }
}
