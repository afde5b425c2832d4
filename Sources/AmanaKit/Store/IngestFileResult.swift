/// What happened to one source file.
package struct IngestFileResult: Sendable {
    package enum Outcome: String, Sendable {
        case new, duplicate, skipped
    }

    /// The path as the user would type it: the argument joined with the path below it.
    package var path: String
    package var outcome: Outcome
    package var sha256: String?
    package var size: UInt64?
    /// For a duplicate: the acquisition that first brought the content into the store.
    package var firstAcquired: FirstAcquisition?
    /// For a skipped file: the stable code (spec/store.md, "Ingest codes") and the reason.
    package var code: String?
    package var reason: String?
}

/// What the summary says of the acquisition that first stored a duplicate's content: only these few fields, because
/// an ingest keeps one result per source until its summary, and a whole ``AcquisitionRecord`` per file made a re-run
/// of 55,000 photos take 200 MiB.
package struct FirstAcquisition: Equatable, Sendable {
    package var seq: Int
    package var time: String
    package var collector: String
    package var caseID: String
    package var sourcePath: String

    package init(_ record: AcquisitionRecord) {
        seq = record.seq
        time = record.time
        collector = record.collector
        caseID = record.caseID
        sourcePath = record.source.path
    }
}
