/// What a file says about itself: the derived record of one item (`spec/metadata.md`).
///
/// A record is derived data, kept beside the item and never inside it. Every value names where it came from, its raw
/// spelling and a normalised one, so a reader can check the reading against any other tool. Observations are things
/// worth a person's attention; they never change a verification verdict, and nothing here is proof of anything.
package struct MetadataRecord: Codable, Equatable, Sendable {
    /// The media type of version 1; a consumer checks it before reading anything else.
    package static let mediaTypeV1 = "application/vnd.amana.metadata+json;version=1"
    /// Said in every record so that no reader of the JSON alone can mistake it for a finding of fact.
    package static let notice = "metadata is the file's own testimony, not proof; observations are not verdicts"

    package struct Subject: Codable, Equatable, Sendable {
        /// The file name as given (a path for loose files, the payload path in a bundle).
        package var name: String
        package var size: UInt64
        /// The container Amana recognised: `jpeg`, `tiff`, `isobmff`, `png`, `wav`, `mp3`, `pdf`, or `unknown`.
        package var format: String
    }

    package var mediaType: String = MetadataRecord.mediaTypeV1
    package var notice: String = MetadataRecord.notice
    package var subject: Subject
    /// Every value read, grouped by field in the priority order of `spec/metadata.md` section 4.
    package var values: [MetadataValue]
    /// Things worth a person's attention (`metadata.flag.*`); never a verdict.
    package var observations: [MetadataObservation]
    /// What stopped a parser (`metadata.parse.*`): the file is left as it is and the rest of the record still stands.
    package var findings: [MetadataObservation]

    package init(subject: Subject, values: [MetadataValue], observations: [MetadataObservation],
                findings: [MetadataObservation]) {
        self.subject = subject
        self.values = values
        self.observations = observations
        self.findings = findings
    }

    /// The first value of a field, which by construction comes from its highest-priority source.
    package func first(_ field: MetadataField) -> MetadataValue? {
        values.first { $0.field == field }
    }

    /// All values of a field, highest priority first.
    package func all(_ field: MetadataField) -> [MetadataValue] {
        values.filter { $0.field == field }
    }
}
