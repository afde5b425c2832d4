/// Verdicts and the codes most cases share, so a case reads as its one rule.
let passed = "TOTAL-PASSED"
let failed = "TOTAL-FAILED"
let indeterminate = "INDETERMINATE"
/// Every seal without an RFC 3161 token carries this warning (seal.md section 2).
let claimedOnly = "seal.time.claimed-only"

extension VectorCase {
    /// Families whose subject is not the container give their input as an extracted folder: it is the same bag
    /// (bundle.md section 3 verifies a folder with the same rules), a person can read it file by file, and it is a
    /// quarter of a tar's size. The archive, compression, bundle and receipt families use tars.
    static let folderFamilies: Set<String> = ["bagit", "items", "seal", "custody", "trust", "timestamp", "storeproof"]

    /// A case whose input is `bag`: a folder in the folder families, otherwise a tar.
    init(_ family: String, _ name: String, _ comment: String, _ bag: ForgedBag, _ verdict: String, _ codes: [String]) {
        self.init(family, name, comment, input: VectorCase.folderFamilies.contains(family) ? bag.folder() : .tar(bag.tar()),
                  verdict: verdict, codes: codes)
    }

    /// Sets fields in a chain: `VectorCase(...).with { $0.trust = [] }`.
    func with(_ change: (inout VectorCase) -> Void) -> VectorCase {
        var copy = self
        change(&copy)
        return copy
    }
}

extension ForgedBag {
    /// The same bag without Amana's profile: no `amana/`, no `seals/`, tag manifests rewritten. A plain BagIt bag.
    func plain() -> ForgedBag {
        var bag = self
        bag.entries.removeAll {
            let path = $0.name.dropFirst(root.count + 1)
            return path.hasPrefix("amana/") || path.hasPrefix("seals/") || path == "amana" || path == "seals"
        }
        bag.rewriteTagManifests()
        return bag
    }

    /// Replaces `old` with `new` in a text file.
    mutating func replace(_ path: String, _ old: String, _ new: String) {
        let text = self.text(path)
        precondition(text.contains(old), "\(path) does not contain \(old)")
        self[path] = utf8(text.replacingOccurrences(of: old, with: new))
    }

    /// Renames a payload file everywhere it is named: its entry, items.json and the custody log's items.
    mutating func renamePayload(_ old: String, _ new: String) {
        let index = entries.firstIndex { $0.name == "\(root)/\(old)" }!
        entries[index].name = "\(root)/\(new)"
        if self["amana/items.json"] != nil { replace("amana/items.json", "\"\(old)\"", "\"\(new)\"") }
        guard self["amana/custody.jsonl"] != nil else { return }
        relog { events in
            for e in events.indices {
                for i in events[e].items.indices where events[e].items[i].path == old { events[e].items[i].path = new }
            }
        }
    }
}

extension ForgedBag {
    /// Sets bag-info.txt's Payload-Oxum to `value`, or to what the payload files present add up to.
    mutating func setOxum(_ value: String? = nil) {
        let payload = filePaths.filter { $0.hasPrefix("data/") }
        let oxum = value ?? "\(payload.reduce(0) { $0 + self[$1]!.count }).\(payload.count)"
        let lines = text("bag-info.txt").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("Payload-Oxum: ") ? "Payload-Oxum: \(oxum)" : String($0) }
        self["bag-info.txt"] = utf8(lines.joined(separator: "\n"))
    }
}
