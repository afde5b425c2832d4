/// What ``BagChecker`` found about a bag, and what it parsed on the way, for the rules that come after it (seals
/// sign the tag manifests; items are looked up in the payload manifests).
///
/// `findings` holds the BagIt rules' findings only. The container's own findings stay in
/// ``BagInventory/findings``; a verifier reports both.
package struct BagCheck: Sendable {
    package var findings: [Finding]
    /// Nil when `bagit.txt` is missing or invalid.
    package var declaration: BagDeclaration?
    /// Nil when the bag has no bag-info file or it could not be decoded; otherwise every field that could be read.
    package var bagInfo: BagInfo?
    /// The payload manifests Amana could read, keyed by algorithm, holding their well-formed entries.
    package var payloadManifests: [DigestAlgorithm: Manifest]
    package var tagManifests: [DigestAlgorithm: Manifest]
    /// Nil when the bag has no `fetch.txt`.
    package var fetch: FetchFile?

    package init(
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
    package var verdict: Verdict { Verdict(findings: findings) }
}
