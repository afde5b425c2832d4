import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Clears what killed ingests left in the store's `tmp/` and can never be used, and keeps what a re-run resumes.
///
/// Only ever called with the store lock held (spec/store.md, "Crash guarantees"): every writer of `tmp/` holds that
/// lock for its whole run, so nothing found there is being written by a live process. Only the names Amana itself
/// makes are touched:
/// - `<identity>.partial` with its `<identity>.journal` is kept while the journal records at least one complete chunk
///   the partial file still has (a re-run of that source resumes from it), unless neither was modified for
///   ``retention`` (its source has changed or is gone: a changed file has a new identity and never resumes it);
///   a partial with no such chunk, or with no journal, is removed: a re-run copies it from the start anyway;
/// - a journal without its partial, a journal being rewritten (`.amana-partial-*`), and a metadata record not yet
///   renamed into `records/` (`<sha256>.record`) are removed: nothing reads them again.
package enum StoreTemporaryFiles {
    /// How long a resumable partial copy is kept without being touched.
    package static let retention: TimeInterval = 30 * 24 * 3600

    package struct Summary: Equatable, Sendable {
        /// Files removed.
        package var removed = 0
        /// Partial copies kept for a re-run to resume, and their bytes.
        package var kept = 0
        package var keptBytes: UInt64 = 0
    }

    @discardableResult
    package static func sweep(layout: StoreLayout, now: Date = Date()) -> Summary {
        var summary = Summary()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: layout.temporaryFolder) else {
            return summary
        }
        let folder = layout.temporaryFolder + "/"
        func remove(_ name: String) {
            if unlink(folder + name) == 0 { summary.removed += 1 }
        }
        let present = Set(names)
        for name in names.sorted() {
            if name.hasPrefix(AtomicOutput.partialPrefix) || isIdentity(name, suffix: ".record") {
                remove(name)
            } else if isIdentity(name, suffix: ".journal") {
                let identity = String(name.dropLast(".journal".count))
                if !present.contains(identity + ".partial") { remove(name) }
            } else if isIdentity(name, suffix: ".partial") {
                let identity = String(name.dropLast(".partial".count))
                let partial = POSIX.lstat(folder + name)
                let journal = POSIX.lstat(folder + identity + ".journal")
                let newest = max(partial.map { TimeInterval($0.st_mtim.tv_sec) } ?? 0,
                                 journal.map { TimeInterval($0.st_mtim.tv_sec) } ?? 0)
                if let partial, POSIX.isRegular(partial), journal != nil,
                   resumable(journal: folder + identity + ".journal", identity: identity,
                             partialSize: UInt64(partial.st_size)),
                   now.timeIntervalSince1970 - newest < retention {
                    summary.kept += 1
                    summary.keptBytes += UInt64(partial.st_size)
                } else {
                    remove(name)
                    if journal != nil { remove(identity + ".journal") }
                }
            }
        }
        return summary
    }

    /// `<64 lowercase hex digits><suffix>`: a name Amana made.
    private static func isIdentity(_ name: String, suffix: String) -> Bool {
        guard name.hasSuffix(suffix) else { return false }
        let stem = name.utf8.dropLast(suffix.utf8.count)
        return stem.count == 64 && stem.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Whether the journal belongs to this identity and records at least one complete chunk that the partial file
    /// holds all the bytes of: the only case in which a re-run keeps anything of the partial.
    private static func resumable(journal path: String, identity: String, partialSize: UInt64) -> Bool {
        guard let bytes = try? ReadOnlyFile.readAll(path, limit: 1 << 20) else { return false }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3 else { return false }  // header, one chunk line, and what follows its LF
        let header = lines[0].split(separator: " ")
        guard header.count == 3, header[0] == ResumeJournal.magic, let chunkSize = UInt64(header[1]), chunkSize > 0,
              header[2] == identity else { return false }
        let first = lines[1].split(separator: " ")
        return first.count == 2 && first[0] == "0" && first[1].count == 64 && partialSize >= chunkSize
    }
}
