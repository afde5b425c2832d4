/// What happened to one source file.
public struct IngestFileResult: Sendable {
    public enum Outcome: String, Sendable {
        case new, duplicate, skipped
    }

    /// The path as the user would type it: the argument joined with the path below it.
    public var path: String
    public var outcome: Outcome
    public var sha256: String?
    public var size: UInt64?
    /// For a duplicate: the acquisition that first brought the content into the store.
    public var firstAcquired: AcquisitionRecord?
    /// For a skipped file: the stable code (spec/store.md, "Ingest codes") and the reason.
    public var code: String?
    public var reason: String?
}
