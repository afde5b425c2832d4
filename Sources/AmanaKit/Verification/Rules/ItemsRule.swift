/// Checks that `amana/items.json` describes exactly the payload, with the same sizes and digests.
///
/// items.json is covered by the tag manifests, so it cannot be edited unnoticed once sealed; this rule catches a
/// bundle that was *sealed* inconsistent (by a faulty or hostile tool), which a court would otherwise be shown.
struct ItemsRule: VerificationRule {
    func check(_ context: inout VerificationContext) -> [Finding] {
        let inventory = context.inventory
        let bundleID = context.bundleID
        guard let bytes = inventory.files[BundleLayout.itemsFile]?.contents else { return [] }
        let items: ItemsFile
        do {
            items = try ItemsFile(parsing: bytes)
        } catch let error as AmanaError {
            return [.failed(ItemsCode.malformed, subject: BundleLayout.itemsFile, error.reason)]
        } catch {
            return [.failed(ItemsCode.malformed, subject: BundleLayout.itemsFile, "\(error)")]
        }
        var findings = [Finding]()
        if let bundleID, items.bundleID != bundleID {
            findings.append(.failed(ItemsCode.bundleMismatch, subject: BundleLayout.itemsFile, expected: bundleID,
                                    found: items.bundleID, "items.json names another bundle"))
        }
        var described = Set<String>()
        for item in items.items {
            guard described.insert(item.path).inserted else {
                findings.append(.failed(ItemsCode.entryDuplicate, subject: item.path, "the item is described twice"))
                continue
            }
            guard BagInventory.isPayload(item.path), let file = inventory.files[item.path] else {
                findings.append(.failed(ItemsCode.fileMissing, subject: item.path, "items.json describes a file the payload does not hold"))
                continue
            }
            if file.size != item.size {
                findings.append(.failed(ItemsCode.sizeMismatch, subject: item.path, expected: String(item.size),
                                        found: String(file.size), "the size in items.json is not the file's size"))
            }
            for (name, hex) in item.digests.sorted(by: { $0.key < $1.key }) {
                guard let algorithm = DigestAlgorithm(bagItName: name), let found = file.digests[algorithm] else { continue }
                if found.hex != hex.lowercased() {
                    findings.append(.failed(ItemsCode.digestMismatch, subject: item.path, expected: hex, found: found.hex,
                                            "the \(name) digest in items.json is not the file's"))
                }
            }
        }
        for path in inventory.files.keys.sorted() where BagInventory.isPayload(path) && !described.contains(path) {
            findings.append(.failed(ItemsCode.fileUnlisted, subject: path, "the payload file is not described in items.json"))
        }
        if findings.isEmpty {
            findings.append(.passed(ItemsCode.consistent, subject: BundleLayout.itemsFile,
                                    "\(items.items.count) items agree with the payload's sizes and digests"))
        }
        return findings
    }
}
