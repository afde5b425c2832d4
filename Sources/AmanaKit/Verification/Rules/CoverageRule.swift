/// Checks that every file in the bundle is vouched for by the seal, directly or through a manifest.
///
/// BagIt allows tag files that no tag manifest lists; a sealed bundle cannot, because a file nobody signed (a planted
/// `amana/notes.txt`, say) would otherwise travel inside a bundle that verifies. Payload coverage is BagIt's own rule
/// (every payload file in every manifest); this rule covers the rest.
struct CoverageRule {
    let inventory: BagInventory

    func check() -> [Finding] {
        var findings = [Finding]()
        let tagManifests = inventory.files.keys.filter { $0.hasPrefix("tagmanifest-") && !$0.contains("/") }.sorted()
        guard !tagManifests.isEmpty else {
            return [.failed("bundle.tagmanifest.missing", "the bundle has no tag manifest, so its tag files are not sealed")]
        }
        var listed = [String: Set<String>]()
        for name in tagManifests {
            guard let text = inventory.files[name]?.contents.flatMap({ String(validating: $0, as: UTF8.self) }) else { continue }
            listed[name] = Set(ManifestPaths.paths(in: text))
        }
        var uncovered = 0
        for path in inventory.files.keys.sorted() {
            if BagInventory.isPayload(path) || path.hasPrefix(BundleLayout.sealsFolder + "/") { continue }
            if path.hasPrefix("tagmanifest-") && !path.contains("/") { continue }
            let missingFrom = tagManifests.filter { !(listed[$0]?.contains(path) ?? false) }
            if !missingFrom.isEmpty {
                uncovered += 1
                findings.append(.failed("bundle.file.unsealed", subject: path,
                                        "this file is not listed in \(missingFrom.joined(separator: ", ")), so no seal vouches for it"))
            }
        }
        if !inventory.files.keys.contains(BundleLayout.itemsFile) {
            findings.append(.failed("bundle.items.missing", subject: BundleLayout.itemsFile, "an Amana bundle must describe its items"))
        }
        if findings.isEmpty {
            findings.append(.passed("bundle.coverage", "every file is covered by the payload or tag manifests"))
        }
        return findings
    }
}

/// The paths a manifest lists, decoded as BagIt says (only %0A, %0D and %25 are escapes).
///
/// A deliberately small reader for the coverage rule: full validation of manifests (digest lengths, duplicates, unsafe
/// paths) is ``BagChecker``'s job, and its findings appear in the same report.
enum ManifestPaths {
    static func paths(in text: String) -> [String] {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).compactMap { line in
            guard let space = line.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return nil }
            var path = line[space...].drop { $0 == " " || $0 == "\t" }
            if path.hasPrefix("./") { path = path.dropFirst(2) }
            return String(path)
                .replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%0a", with: "\n")
                .replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0d", with: "\r")
                .replacingOccurrences(of: "%25", with: "%")
        }
    }
}
