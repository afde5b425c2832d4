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
    package var firstAcquired: AcquisitionRecord?
    /// For a skipped file: the stable code (spec/store.md, "Ingest codes") and the reason.
    package var code: String?
    package var reason: String?
}
