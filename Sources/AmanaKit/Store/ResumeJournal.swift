import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The small journal beside a partial copy: which source it is a copy of, and the SHA-256 of every complete chunk
/// written so far, so an interrupted copy resumes from the last chunk proven good instead of starting over.
///
/// Format (spec/store.md, "Resume journal"): a first line `amana-ingest-journal-v1 <chunk size> <source identity>`,
/// then one line `<chunk index> <sha256 hex>` per chunk, each appended and `fdatasync`ed after the chunk's bytes.
/// A torn or wrong line ends the journal: the chunks before it are still good.
struct ResumeJournal {
    static let magic = "amana-ingest-journal-v1"

    let path: String
    let chunkSize: Int
    let identity: String
    private(set) var chunkDigests = [String]()

    /// Loads the journal at `path` when it belongs to this source and chunk size; nil otherwise.
    static func load(path: String, chunkSize: Int, identity: String) -> ResumeJournal? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first, header == "\(magic) \(chunkSize) \(identity)" else { return nil }
        var journal = ResumeJournal(path: path, chunkSize: chunkSize, identity: identity)
        // The last element is what follows the final LF: empty when the file ends cleanly, a torn line otherwise.
        for line in lines.dropFirst().dropLast() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, Int(parts[0]) == journal.chunkDigests.count, parts[1].count == 64,
                  Hex.decode(parts[1]) != nil else { break }
            journal.chunkDigests.append(String(parts[1]))
        }
        return journal
    }

    init(path: String, chunkSize: Int, identity: String) {
        self.path = path
        self.chunkSize = chunkSize
        self.identity = identity
    }

    /// Writes the journal afresh with the chunks in `digests` (a new copy, or a resumed one cut back to its good
    /// chunks), durably, replacing any old one.
    mutating func reset(keeping digests: [String]) throws {
        chunkDigests = digests
        var text = "\(ResumeJournal.magic) \(chunkSize) \(identity)\n"
        for (index, digest) in digests.enumerated() { text += "\(index) \(digest)\n" }
        let output = try AtomicOutput(path: path, replacing: true)
        do {
            try Array(text.utf8).withUnsafeBytes { try output.write($0) }
            try output.commit(mode: 0o600)
        } catch {
            output.abandon()
            throw error
        }
    }

    /// Records one more complete chunk, durably.
    mutating func append(_ digest: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw AmanaError(.outputFailed, "cannot write a resume journal: \(POSIX.errorText())") }
        defer { close(fd) }
        let line = Array("\(chunkDigests.count) \(digest)\n".utf8)
        try line.withUnsafeBytes { try POSIX.writeAll(fd, $0, path: "a resume journal") }
        guard fdatasync(fd) == 0 else {
            throw AmanaError(.outputFailed, "cannot write a resume journal to disk: \(POSIX.errorText())")
        }
        chunkDigests.append(digest)
    }
}
