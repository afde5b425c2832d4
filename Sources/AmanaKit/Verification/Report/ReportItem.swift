/// One payload file, as the report states it (spec/verification-report.md section 3.3).
///
/// `size` and `digests` are what Amana measured from the bytes in the bundle; `mediaType`, `modified`, `originalName`
/// and `acquisition` are what `amana/items.json` claims, bound by the seal but never verified: the report keeps the
/// two apart so that a court report can say which is which.
public struct ReportItem: Codable, Equatable, Sendable {
    /// The payload path, `data/...`.
    public var path: String
    /// The worst status among the findings whose `subject` is this path; `passed` when there are none.
    public var status: Finding.Status
    /// Bytes, measured; absent when the bundle does not hold the file.
    public var size: UInt64?
    /// BagIt algorithm name to lowercase hex, measured; absent when the bundle does not hold the file.
    public var digests: [String: String]?
    /// Claimed by items.json; absent when items.json does not describe the file.
    public var mediaType: String?
    public var modified: String?
    public var originalName: String?
    public var acquisition: Acquisition?
    /// What the file says about itself, from `amana/metadata.jsonl` (spec/metadata.md section 3.1): its own testimony,
    /// never proof; absent when the bundle has no record for it. Package access: the JSON carries it for every reader.
    package var metadata: Metadata? = nil

    /// The parts of an item's metadata record a report shows: each value with its source, and the observations.
    package struct Metadata: Codable, Equatable, Sendable {
        /// The container recognised from the file's first bytes (`jpeg`, `isobmff`, ..., `unknown`).
        package var format: String
        package var values: [MetadataValue]
        /// `metadata.flag.*`: worth a person's attention, never a verdict.
        package var observations: [MetadataObservation]
        /// `metadata.parse.*`: why a parser stopped early.
        package var findings: [MetadataObservation]
    }
}
