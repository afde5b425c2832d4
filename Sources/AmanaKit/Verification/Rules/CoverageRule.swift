import Foundation

/// Checks that every file in the bundle is vouched for by the seal, directly or through a manifest.
///
/// BagIt allows tag files that no tag manifest lists; a sealed bundle cannot, because a file nobody signed (a planted
/// `amana/notes.txt`, say) would otherwise travel inside a bundle that verifies. Payload coverage is BagIt's own rule
/// (every payload file in every manifest); this rule covers the rest.
struct CoverageRule: VerificationRule {
    func check(_ context: inout VerificationContext) -> [Finding] {
        let inventory = context.inventory
        // The tag manifests as BagChecker parsed them (only their well-formed entries).
        let tagManifests = context.bag?.tagManifests ?? [:]
        var findings = [Finding]()
        guard !tagManifests.isEmpty else {
            return [.failed(BundleCode.tagmanifestMissing, "the bundle has no tag manifest, so its tag files are not sealed")]
        }
        for path in inventory.files.keys.sorted() {
            if BagInventory.isPayload(path) || path.hasBytePrefix(BundleLayout.sealsFolder + "/") { continue }
            if path.hasBytePrefix(BagItNames.tagManifestPrefix) && !path.utf8.contains(UInt8(ascii: "/")) { continue }
            let missingFrom = tagManifests.values.filter { $0.digest(for: path) == nil }.map(\.fileName).sorted()
            if !missingFrom.isEmpty {
                findings.append(.failed(BundleCode.fileUnsealed, subject: path,
                                        "this file is not listed in \(missingFrom.joined(separator: ", ")), so no seal vouches for it"))
            }
        }
        // Amana stores names in NFC (bundle.md section 3); another spelling is a rename nothing signed, and
        // `sha256sum -c` would not find the file under the manifest's name.
        for path in inventory.files.keys.sorted() where !path.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(path.unicodeScalars) {
            findings.append(.failed(BundleCode.nameNotNFC, subject: DirectoryWalker.escape(Array(path.utf8)),
                                    "the name is not in Unicode NFC, the form Amana seals names in"))
        }
        // A folder that holds no file is vouched for by nothing (no manifest lists folders); Amana never writes one.
        let fixed: Set<String> = [BagItNames.payloadDirectory, BundleLayout.amanaFolder, BundleLayout.sealsFolder]
        let parents = Set(inventory.files.keys.flatMap { path -> [String] in
            let parts = path.pathComponents()
            return (1..<max(1, parts.count)).map { parts.prefix($0).joined(separator: "/") }
        })
        for folder in inventory.directories.sorted() where !fixed.contains(folder) && !parents.contains(folder) {
            findings.append(.failed(BundleCode.folderEmpty, subject: folder, "a folder with no file in it, which nothing in the bundle vouches for"))
        }
        if !inventory.files.keys.contains(BundleLayout.itemsFile) {
            findings.append(.failed(BundleCode.itemsMissing, subject: BundleLayout.itemsFile, "an Amana bundle must describe its items"))
        }
        if findings.isEmpty {
            findings.append(.passed(BundleCode.coverage, "every file is covered by the payload or tag manifests"))
        }
        return findings
    }
}
