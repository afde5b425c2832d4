/// What a verifier learned about a bag from one pass over its container (a tar or a folder).
///
/// The container readers fill this in; the rules (BagIt, items, seals) only ever look at it. That split is what lets a
/// bundle verify identically as a tar and as an extracted folder ("content, not container"), and it keeps every
/// rule away from untrusted I/O.
package struct BagInventory: Sendable {
    package struct File: Sendable, Equatable {
        package var size: UInt64
        /// Digests computed while reading. Payload files carry the algorithms the reader was asked for; tag files
        /// (everything outside `data/`) carry every algorithm in ``DigestAlgorithm``.
        package var digests: [DigestAlgorithm: Digest]
        /// The bytes of a tag file, when it is no larger than the reader's tag-file limit; nil for payload files.
        package var contents: [UInt8]?

        package init(size: UInt64, digests: [DigestAlgorithm: Digest], contents: [UInt8]? = nil) {
            self.size = size
            self.digests = digests
            self.contents = contents
        }
    }

    /// Regular files, keyed by their path relative to the bag root (`data/photo.jpg`, `bagit.txt`), `/`-separated
    /// and exactly as stored: not normalised, so that a rule can notice NFC/NFD differences.
    package var files: [String: File] = [:]
    /// Folders seen, relative to the bag root, without a trailing slash.
    package var directories: Set<String> = []
    /// Findings about the container itself (`archive.*`): bad entry types, unsafe names, duplicates, truncation.
    package var findings: [Finding] = []
    /// The single top-level folder of a tar bundle; nil for a folder input.
    package var rootName: String?
    /// Which algorithms payload files were hashed with.
    package var payloadAlgorithms: Set<DigestAlgorithm> = []

    package init() {}

    /// Payload files are those under `data/` (RFC 8493 section 2.1.2); everything else is a tag file.
    package static func isPayload(_ path: String) -> Bool { path.hasBytePrefix("data/") }

    /// The most a tag file may hold and still be read into memory. Large enough for the manifests of a
    /// 100,000-file bag with two algorithms (about 25 MB); anything larger is a finding, not an allocation.
    package static let tagFileLimit = 256 * 1024 * 1024
    /// The most tag-file bytes one inventory keeps in memory altogether.
    package static let keptBytesLimit = 512 * 1024 * 1024

    /// Whether a tag file's bytes are kept: only the files rules parse (bagit.txt, bag-info.txt, fetch.txt, the
    /// manifests, Amana's items.json, custody log and store proofs, and the seals). Every other tag file is only hashed, so a
    /// bundle stuffed with large extra tag files cannot make the verifier hold them in memory.
    package static func isParsedTagFile(_ path: String) -> Bool {
        if path.hasBytePrefix(BundleLayout.sealsFolder + "/") { return true }
        if path == BundleLayout.itemsFile || path == CustodyLog.path || path == StoreProofs.path { return true }
        guard !path.utf8.contains(UInt8(ascii: "/")) else { return false }
        // package-info.txt is bag-info.txt's name before BagIt 0.96.
        return path == BagItNames.declaration || path == BagItNames.bagInfo || path == BagItNames.legacyPackageInfo
            || path == BagItNames.fetch
            || ((path.hasBytePrefix(BagItNames.payloadManifestPrefix) || path.hasBytePrefix(BagItNames.tagManifestPrefix))
                && path.hasByteSuffix(BagItNames.manifestSuffix))
    }

    /// The most bytes of `amana/metadata.jsonl` kept for the report (no rule reads it): derived records a person may
    /// weigh, never a reason to hold a hostile bundle's padding in memory. A larger file is hashed only, and the
    /// report shows no records (spec/verification-report.md section 3.3).
    package static let metadataRecordsLimit = 64 * 1024 * 1024

    /// The most bytes of a tag file kept in memory, or nil when it is only hashed: the files rules parse, and the
    /// items' metadata records that the report shows.
    package static func keptLimit(_ path: String) -> Int? {
        if isParsedTagFile(path) { return tagFileLimit }
        if path == MetadataRecordsFile.path { return metadataRecordsLimit }
        return nil
    }

    /// Tag-file bytes kept so far (see ``keptBytesLimit``).
    package var keptBytes = 0
}

extension BagInventory {
    /// Whether the bag claims Amana's profile: anything under `amana/` or `seals/`, file or folder.
    ///
    /// A plain BagIt bag from another tool has neither, and is judged by RFC 8493 alone (spec/bundle.md section 8.1).
    /// Anything in either folder makes it an Amana bundle, judged by every rule, so that deleting only the seals (or only
    /// the custody log) from a sealed bundle fails it rather than turning it into an unaccused plain bag.
    package var hasAmanaProfile: Bool {
        let prefixes = [BundleLayout.amanaFolder + "/", BundleLayout.sealsFolder + "/"]
        let folders: Set<String> = [BundleLayout.amanaFolder, BundleLayout.sealsFolder]
        return files.keys.contains { path in prefixes.contains { path.hasBytePrefix($0) } }
            || directories.contains { folder in folders.contains(folder) || prefixes.contains { folder.hasBytePrefix($0) } }
    }
}
