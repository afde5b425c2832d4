import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Derives a stored object's capture metadata record and keeps it under `records/`, named by its own SHA-256.
///
/// The record is read from the object just proven and placed, not from the source: it describes exactly the bytes the
/// store holds, and the original is not opened again. Its bytes are the line `amana seal` writes for the same file to
/// `amana/metadata.jsonl` (the same ``MetadataRecord``, the same encoder), followed by LF. It is written to `tmp/`,
/// fsynced, made read-only and renamed without replacing into place before the event that names it is appended, so
/// the ledger never names a record that is not on the disk (spec/store.md, "Derived records").
package enum DerivedRecordWriter {
    /// Reads `object`'s metadata (a local file holding exactly the stored bytes) and stores the record in
    /// `objects`; returns the record's SHA-256 (lowercase hex).
    static func writeMetadata(object: String, size: UInt64, modified: timespec, name: String, time: Date,
                              into objects: ObjectStore) throws -> String {
        let file = try ReadOnlyFile(path: object)
        let record = withExtendedLifetime(file) {
            MetadataReader.read(descriptor: file.fd, size: size,
                                modified: Date(timeIntervalSince1970: TimeInterval(modified.tv_sec)
                                    + TimeInterval(modified.tv_nsec) / 1e9),
                                name: name, acquisitionTime: time, now: time)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = Array(try encoder.encode(record)) + [0x0A]
        let sha256 = MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex
        try objects.putRecord(bytes, sha256: sha256)
        return sha256
    }

    /// Writes `bytes` to `records/sha256/ab/cd/<sha256>` through `tmp/`. A record already there with that name holds
    /// the same bytes by construction (an identical record from an earlier ingest, or one left by a crash).
    static func place(_ bytes: [UInt8], sha256: String, layout: StoreLayout) throws {
        let final = layout.recordPath(sha256: sha256)
        if POSIX.exists(final) { return }
        let temporary = layout.recordTemporaryPath(sha256)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw AmanaError(.outputFailed, "cannot write a metadata record in the store: \(POSIX.errorText())")
        }
        do {
            // The object copier's write: a full disk is reported as the store's disk being full (exit 74).
            try bytes.withUnsafeBytes { try ObjectCopier.writeAll(fd, $0, at: 0) }
            guard fchmod(fd, 0o400) == 0, fsync(fd) == 0 else {
                throw AmanaError(.outputFailed, "cannot write a metadata record to disk: \(POSIX.errorText())")
            }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        let inner = POSIX.parentDirectory(of: final)
        let outer = POSIX.parentDirectory(of: inner)
        for folder in [POSIX.parentDirectory(of: layout.recordsFolder), layout.recordsFolder, outer, inner]
        where mkdir(folder, 0o700) != 0 && errno != EEXIST {
            unlink(temporary)
            throw AmanaError(.outputFailed, "cannot create a folder in the store: \(POSIX.errorText())")
        }
        if POSIX.renameNoReplace(temporary, final) != 0 {
            let code = errno
            unlink(temporary)
            guard code == EEXIST else {
                throw AmanaError(.outputFailed, "cannot move a metadata record into the store: \(POSIX.errorText(code))")
            }
        }
        POSIX.fsyncDirectory(containing: final)
        POSIX.fsyncDirectory(containing: inner)
    }

    /// The record file named `sha256`, checked against its name; nil when it is missing or does not match.
    package static func read(sha256: String, layout: StoreLayout) -> MetadataRecord? {
        verifiedBytes(sha256: sha256, layout: layout).flatMap { MetadataRecordsFile.parse($0).records.first }
    }

    /// The record file's bytes when they hash to its name.
    static func verifiedBytes(sha256: String, layout: StoreLayout) -> [UInt8]? {
        guard let bytes = try? ReadOnlyFile.readAll(layout.recordPath(sha256: sha256), limit: 16 << 20),
              MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex == sha256 else { return nil }
        return bytes
    }
}
