/// The files in `seals/`: only `NNNN.seal`, `NNNN.seal.minisig` and their tokens, numbered from 1 without gaps, no
/// signature or token without what it signs or stamps, and no folders.
struct SealFilesRule: VerificationRule {
    /// The seal files found in the inventory, by kind and number.
    struct Found {
        var statements = Set<Int>()
        var signatures = Set<Int>()
        /// Token paths by seal number, unsorted.
        var tokens = [Int: [String]]()
        /// Paths under `seals/` that are no seal file, in path order.
        var unexpected = [String]()

        init(_ inventory: BagInventory) {
            for path in inventory.files.keys.sorted() where path.hasBytePrefix(BundleLayout.sealsFolder + "/") {
                guard let parsed = BundleLayout.parseSealPath(path) else {
                    unexpected.append(path)
                    continue
                }
                switch parsed.kind {
                case .statement: statements.insert(parsed.number)
                case .signature: signatures.insert(parsed.number)
                case .token: tokens[parsed.number, default: []].append(path)
                }
            }
        }
    }

    let found: Found

    func check(_ context: inout VerificationContext) -> [Finding] {
        var findings = found.unexpected.map {
            Finding.failed(SealCode.fileUnexpected, subject: $0, "only NNNN.seal and NNNN.seal.minisig files belong in seals/")
        }
        for dir in context.inventory.directories where dir.hasBytePrefix(BundleLayout.sealsFolder + "/") {
            findings.append(.failed(SealCode.fileUnexpected, subject: dir, "seals/ holds no folders"))
        }
        guard let newest = found.statements.max() else {
            findings.append(.failed(SealCode.missing, subject: BundleLayout.sealsFolder,
                                    "the bundle has no seal, so nothing vouches for its contents"))
            return findings
        }
        for missing in (1...newest).filter({ !found.statements.contains($0) }) {
            findings.append(.failed(SealCode.sequenceGap, subject: BundleLayout.sealFile(missing),
                                    "seal \(missing) is missing; seals are numbered from 1 without gaps"))
        }
        for orphan in found.signatures.subtracting(found.statements).sorted() {
            findings.append(.failed(SealCode.fileUnexpected, subject: BundleLayout.sealSignature(orphan),
                                    "a signature without its seal statement"))
        }
        for (number, paths) in found.tokens.sorted(by: { $0.key < $1.key }) where !found.signatures.contains(number) {
            for path in paths.sorted() {
                findings.append(.failed(SealCode.fileUnexpected, subject: path, "a timestamp token without the signature it stamps"))
            }
        }
        return findings
    }
}
