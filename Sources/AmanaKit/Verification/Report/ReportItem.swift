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
    ///
    /// A verifier keeps it as the record's line in `amana/metadata.jsonl`, a slice of the bytes it already holds, and
    /// decodes it only when it is read (`--json`, `amana report`): 20,000 decoded records held for the whole
    /// verification cost about 25 MiB of its peak, for a part of the report that `amana verify` alone never prints.
    /// Encoded and compared by its parts, so the JSON is the same either way.
    package struct Metadata: Codable, Equatable, Sendable {
        package struct Parts: Codable, Equatable, Sendable {
            /// The container recognised from the file's first bytes (`jpeg`, `isobmff`, ..., `unknown`).
            package var format: String
            package var values: [MetadataValue]
            /// `metadata.flag.*`: worth a person's attention, never a verdict.
            package var observations: [MetadataObservation]
            /// `metadata.parse.*`: why a parser stopped early.
            package var findings: [MetadataObservation]
        }

        private enum Storage: Sendable {
            /// A version 1 record's JSON line, already decoded once by whoever checked it.
            case line(ArraySlice<UInt8>)
            case parts(Parts)
        }

        private let storage: Storage

        package init(format: String, values: [MetadataValue], observations: [MetadataObservation],
                     findings: [MetadataObservation]) {
            storage = .parts(Parts(format: format, values: values, observations: observations, findings: findings))
        }

        /// `line` must hold a version 1 record (``MetadataRecordsFile/forEachRecord(in:_:)`` checks it).
        init(line: ArraySlice<UInt8>) {
            storage = .line(line)
        }

        /// Decodes the line each time: read it once per use.
        package var parts: Parts {
            switch storage {
            case .parts(let parts):
                return parts
            case .line(let line):
                // The line decoded when the report was built; the bytes are the verifier's and do not change.
                let record = MetadataRecordsFile.record(line)
                return Parts(format: record?.subject.format ?? "unknown", values: record?.values ?? [],
                             observations: record?.observations ?? [], findings: record?.findings ?? [])
            }
        }

        package var format: String { parts.format }
        package var values: [MetadataValue] { parts.values }
        package var observations: [MetadataObservation] { parts.observations }
        package var findings: [MetadataObservation] { parts.findings }

        package init(from decoder: Decoder) throws {
            storage = .parts(try Parts(from: decoder))
        }

        package func encode(to encoder: Encoder) throws {
            try parts.encode(to: encoder)
        }

        package static func == (left: Metadata, right: Metadata) -> Bool {
            left.parts == right.parts
        }
    }
}
