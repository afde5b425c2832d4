/// What ``BagChecker`` found about a bag, and what it parsed on the way, for the rules that come after it (seals
/// sign the tag manifests; items are looked up in the payload manifests).
///
/// `findings` holds the BagIt rules' findings only. The container's own findings stay in
/// ``BagInventory/findings``; a verifier reports both.
public struct BagCheck: Sendable {
    public var findings: [Finding]
    /// Nil when `bagit.txt` is missing or invalid.
    public var declaration: BagDeclaration?
    /// Nil when the bag has no bag-info file or it could not be decoded; otherwise every field that could be read.
    public var bagInfo: BagInfo?
    /// The payload manifests Amana could read, keyed by algorithm, holding their well-formed entries.
    public var payloadManifests: [DigestAlgorithm: Manifest]
    public var tagManifests: [DigestAlgorithm: Manifest]
    /// Nil when the bag has no `fetch.txt`.
    public var fetch: FetchFile?

    public init(
        findings: [Finding] = [], declaration: BagDeclaration? = nil, bagInfo: BagInfo? = nil,
        payloadManifests: [DigestAlgorithm: Manifest] = [:], tagManifests: [DigestAlgorithm: Manifest] = [:],
        fetch: FetchFile? = nil
    ) {
        self.findings = findings
        self.declaration = declaration
        self.bagInfo = bagInfo
        self.payloadManifests = payloadManifests
        self.tagManifests = tagManifests
        self.fetch = fetch
    }

    /// The verdict of these findings alone.
    public var verdict: Verdict { Verdict(findings: findings) }
}
