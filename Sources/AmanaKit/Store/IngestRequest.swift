/// What `amana ingest` was asked to do: which sources, into which case, recorded as whom.
package struct IngestRequest {
    /// Files and folders, as given on the command line.
    package var sources: [String]
    package var caseID: String
    /// The person who collected the material (may differ from the key holder who runs the ingest).
    package var collector: String
    package var key: SecretKey
    package var device: String?
    package var location: String?
    package var sourceURL: String?
    package var note: String?
    package var role: String?
    /// Hash every source, even one whose identity matches an earlier acquisition (turns the re-run shortcut off).
    package var rehash = false
    /// Derive the capture metadata record of each new object and keep it in the store (`--no-metadata` turns it off).
    package var metadata = true

    package init(sources: [String], caseID: String, collector: String, key: SecretKey) {
        self.sources = sources
        self.caseID = caseID
        self.collector = collector
        self.key = key
    }
}
