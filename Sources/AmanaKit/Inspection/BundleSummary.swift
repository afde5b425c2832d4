/// What a bundle says about itself, read without checking any of it.
///
/// `inspect` shows this so a person can see what they were sent before deciding what to trust. Nothing here is
/// verified: payload files are not even hashed. `verify` is the only command that judges a bundle.
package struct BundleSummary: Codable, Sendable {
    package struct SealInfo: Codable, Sendable {
        package var number: Int
        package var keyId: String?
        package var publicKey: String?
        package var claimedTime: String?
        package var trustedComment: String?
        package var problem: String?
    }

    package var bundleId: String?
    package var caseId: String?
    package var title: String?
    package var items: [ItemsFile.Item]
    package var payloadFiles: Int
    package var seals: [SealInfo]
    /// The items' derived metadata records (`amana/metadata.jsonl`), when the bundle has them: the files' own
    /// testimony, not proof, and not verified here.
    package var metadata: [MetadataRecord]?
    /// Anything that could not be read while inspecting (a broken archive, a malformed items.json).
    package var problems: [String]

    /// `identities`: set for an age-encrypted bundle, which is then decrypted in memory as it is read.
    package static func read(_ path: String, identities: [AgeIdentity]? = nil) throws -> BundleSummary {
        guard let info = POSIX.lstat(path) else {
            throw AmanaError(.inputUnreadable, "cannot read \(path): \(POSIX.errorText())")
        }
        if identities != nil && POSIX.isDirectory(info) { throw AgeDecryptingSource.folderGiven(path) }
        let inventory = POSIX.isDirectory(info)
            ? try FolderReader.read(path)
            : try TarBagReader.read(BundleFile(path: path, identities: identities), payloadAlgorithms: [])
        var problems = inventory.findings.filter { $0.status == .failed }.map { "\($0.subject ?? path): \($0.message)" }
        var summary = BundleSummary(bundleId: inventory.rootName ?? BagChecker.check(inventory).bagInfo?.externalIdentifier, caseId: nil,
                                    title: nil, items: [],
                                    payloadFiles: inventory.files.keys.filter(BagInventory.isPayload).count,
                                    seals: [], problems: [])
        if let bytes = inventory.files[BundleLayout.itemsFile]?.contents {
            do {
                let items = try ItemsFile(parsing: bytes)
                summary.caseId = items.caseID
                summary.title = items.title
                summary.items = items.items
            } catch let error as AmanaError {
                problems.append(error.reason)
            }
        } else {
            problems.append("the bundle has no \(BundleLayout.itemsFile)")
        }
        var number = 1
        while let bytes = inventory.files[BundleLayout.sealFile(number)]?.contents {
            var seal = SealInfo(number: number)
            do {
                let statement = try SealStatement(parsing: bytes)
                seal.keyId = statement.signerKeyID
                seal.publicKey = statement.signerPublicKey
                seal.claimedTime = statement.claimedTime
            } catch let error as AmanaError {
                seal.problem = error.reason
            }
            if let text = inventory.files[BundleLayout.sealSignature(number)]?.contents.flatMap({ String(validating: $0, as: UTF8.self) }),
               let signature = try? MinisignSignature(minisignFile: text) {
                seal.trustedComment = signature.trustedComment
            }
            summary.seals.append(seal)
            number += 1
        }
        if inventory.files[MetadataRecordsFile.path] != nil {
            do {
                if let bytes = try MetadataRecordsFile.read(bundle: path, isFolder: POSIX.isDirectory(info), root: inventory.rootName,
                                                               identities: identities) {
                    let parsed = MetadataRecordsFile.parse(bytes)
                    summary.metadata = parsed.records
                    problems += parsed.problems
                } else {
                    problems.append("\(MetadataRecordsFile.path) could not be read back (larger than the limit, or missing)")
                }
            } catch {
                problems.append("\(MetadataRecordsFile.path) could not be read back from the archive")
            }
        }
        summary.problems = problems
        return summary
    }
}

extension BundleSummary.SealInfo {
    init(number: Int) {
        self.init(number: number, keyId: nil, publicKey: nil, claimedTime: nil, trustedComment: nil, problem: nil)
    }
}
