/// `fetch.txt` (RFC 8493 section 2.2.3) and the payload's operating-system clutter.
extension BagCheckRun {
    /// Judges `fetch.txt` without fetching anything. Its lines must be well formed and safe, and each path must be
    /// listed in every payload manifest; whether the file is present is the manifests' business.
    mutating func checkFetch() {
        let name = BagItNames.fetch
        guard tags[name] != nil else { return }
        guard let text = text(of: name, failing: FetchCode.malformed) else { return }
        let (parsed, problems) = FetchFile.parse(text, version: version)
        fetch = parsed
        let count = parsed.entries.count + problems.count
        findings.append(.warning(FetchCode.ignored, subject: name, "\(name) has \(BagCheckRun.count(count, "line")) naming files to download; Amana never fetches, so the bag is checked as it is"))
        findings += problems
        let manifests = payloadManifests.keys.sorted().map { payloadManifests[$0]! }
        for entry in parsed.entries {
            let unlisted = manifests.filter { $0.digest(for: entry.path) == nil }
            guard !unlisted.isEmpty else { continue }
            findings.append(.failed(FetchCode.entryUnlisted, subject: entry.path, "\(name) lists \(entry.path), which is not in \(BagCheckRun.list(unlisted.map(\.fileName)))"))
        }
    }

    /// Warns about payload files (present or listed) that operating systems create on their own. They are often
    /// dropped by copy tools and archive programs, which leaves a bag incomplete for no reason a person can see.
    mutating func checkSystemFiles() {
        var paths = Set(payload.paths.map(ExactPath.init))
        for manifest in payloadManifests.values {
            for entry in manifest.entries { paths.insert(ExactPath(entry.path)) }
        }
        for path in paths.map(\.text).sorted(by: ExactPath.precedes) where BagCheckRun.isSystemFile(path) {
            findings.append(.warning(PayloadCode.fileSystem, subject: path, "\(path) is operating-system metadata, which copy tools often drop"))
        }
    }

    /// Finder, Explorer and desktop metadata, by name; folders of it by any component.
    static func isSystemFile(_ path: String) -> Bool {
        let components = path.pathComponents()
        let folders: Set<String> = [".spotlight-v100", ".trashes", ".fseventsd", ".temporaryitems", "__macosx", "$recycle.bin"]
        if components.dropLast().contains(where: { folders.contains($0.lowercased()) }) { return true }
        guard let name = components.last else { return false }
        let files: Set<String> = [".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", ".directory", "icon\r"]
        return files.contains(name.lowercased()) || ExactPath.hasPrefix(name, "._")
    }
}
