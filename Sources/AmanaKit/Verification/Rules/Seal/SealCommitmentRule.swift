/// The manifests a seal commits to are the bundle's, and the bundle has no manifest the seal does not name.
///
/// The newest seal must match the current manifests and tag manifests. Earlier seals can only be held to the payload
/// manifests: later seals legitimately change tag files (spec/seal.md, "Several seals").
struct SealCommitmentRule: VerificationRule {
    let seal: SealUnderCheck

    /// An adopted bag's MD5 or SHA-1 payload manifest, which no seal may name (seal.md section 5.1). BagIt still checks
    /// it against the payload the committed manifests pin, and the tag manifests list it, so it cannot lie unnoticed.
    static func isWeakPayloadManifest(_ file: String) -> Bool {
        guard let named = Manifest.identify(fileName: file), named.kind == .payload else { return false }
        return DigestAlgorithm(bagItName: named.algorithmName)?.isBroken == true
    }

    func check(_ context: inout VerificationContext) -> [Finding] {
        let number = seal.number
        let inventory = context.inventory
        let topLevelFiles = context.topLevelFiles
        var findings = [Finding]()
        var checked = [String]()
        func compare(_ committed: [SealStatement.FileDigest], name: (DigestAlgorithm) -> String, prefix: String) {
            for entry in committed {
                let file = name(entry.algorithm)
                let found = inventory.files[file]?.digests[entry.algorithm]?.hex
                if found != entry.hex {
                    findings.append(.failed(SealCode.commitmentMismatch, subject: file, expected: entry.hex, found: found ?? "(missing)",
                                            "\(file) is not the file seal \(number) signed"))
                }
                checked.append(file)
            }
            let committedNames = Set(committed.map { name($0.algorithm) })
            for file in topLevelFiles where file.hasBytePrefix(prefix) && !committedNames.contains(file)
                && !Self.isWeakPayloadManifest(file) {
                findings.append(.failed(SealCode.commitmentMissing, subject: file,
                                        "\(file) is not covered by seal \(number)"))
            }
        }
        compare(seal.statement.manifests, name: BagItNames.manifest, prefix: BagItNames.payloadManifestPrefix)
        if seal.isNewest {
            compare(seal.statement.tagManifests, name: BagItNames.tagManifest, prefix: BagItNames.tagManifestPrefix)
        }
        if findings.isEmpty {
            findings.append(.passed(SealCode.commitments, subject: seal.path,
                                    "seal \(number) commits to \(checked.joined(separator: ", ")), and they match"))
        }
        return findings
    }
}
