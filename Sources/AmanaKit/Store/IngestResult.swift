/// Everything an ingest did, for the summary and `--json`.
package struct IngestResult: Sendable {
    package var caseID: String
    package var files = [IngestFileResult]()
    /// The checkpoint written at the end of the command (nil when nothing could be appended).
    package var checkpoint: StoreCheckpoint?

    package func count(_ outcome: IngestFileResult.Outcome) -> Int { files.filter { $0.outcome == outcome }.count }
    package var anySkipped: Bool { files.contains { $0.outcome == .skipped } }

    /// The JSON document `amana ingest --json` prints (spec/store.md, "Ingest summary").
    package var json: [UInt8] {
        let files: [JSONValue] = self.files.map { file in
            var members: [String: JSONValue] = ["path": .string(file.path), "outcome": .string(file.outcome.rawValue)]
            if let sha256 = file.sha256 { members["sha256"] = .string(sha256) }
            if let size = file.size { members["size"] = .integer(Int64(size)) }
            if let first = file.firstAcquired {
                members["firstAcquired"] = .object(["time": .string(first.time), "collector": .string(first.collector),
                                                    "case": .string(first.caseID), "seq": .integer(Int64(first.seq))])
            }
            if let code = file.code { members["code"] = .string(code) }
            if let reason = file.reason { members["reason"] = .string(reason) }
            return .object(members)
        }
        var members: [String: JSONValue] = [
            "mediaType": .string("application/vnd.amana.ingest-summary+json;version=1"),
            "case": .string(caseID),
            "new": .integer(Int64(count(.new))), "duplicate": .integer(Int64(count(.duplicate))),
            "skipped": .integer(Int64(count(.skipped))),
            "files": .array(files),
        ]
        if let checkpoint { members["ledger"] = .object(["size": .integer(Int64(checkpoint.size)), "root": .string(checkpoint.root)]) }
        return CanonicalJSON.serialize(.object(members)) + [0x0A]
    }
}
