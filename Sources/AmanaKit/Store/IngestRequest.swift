/// What `amana ingest` was asked to do: which sources, into which case, recorded as whom.
public struct IngestRequest {
    /// Files and folders, as given on the command line.
    public var sources: [String]
    public var caseID: String
    /// The person who collected the material (may differ from the key holder who runs the ingest).
    public var collector: String
    public var key: SecretKey
    public var device: String?
    public var location: String?
    public var sourceURL: String?
    public var note: String?
    public var role: String?
    /// Hash every source, even one whose identity matches an earlier acquisition (turns the re-run shortcut off).
    public var rehash = false

    public init(sources: [String], caseID: String, collector: String, key: SecretKey) {
        self.sources = sources
        self.caseID = caseID
        self.collector = collector
        self.key = key
    }
}
