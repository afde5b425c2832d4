/// Where a store keeps its evidence objects and derived records, named by their SHA-256 (spec/store.md, "Back ends").
///
/// The Ingester, `store verify`, `seal --store`, `store find/show` and `rebuild-catalog` reach the bytes only through
/// this protocol, so a store's objects can live in a local folder (``LocalObjectStore``) or in S3 with Object Lock
/// without those commands changing. What every back end guarantees:
/// - an object is recorded as stored only after its bytes were read back from the medium and both digests matched
///   the ones taken from the source (``put(_:attempt:display:alreadyStored:)`` returns only then);
/// - an object is never replaced once stored: a back end that keeps versions (S3) names the version it wrote in
///   ``StoredObjectRef/versionID``, and every read names that version, so an overwrite by anyone else is never read;
/// - memory stays flat whatever the size: reads stream.
///
/// Internal, not `package`: its sources are ``ReadOnlyFile``s, which are internal to AmanaKit, where every back end
/// lives.
protocol ObjectStore: AnyObject {
    /// Hashes a source (SHA-256 and SHA-512) without storing it, refusing one that changes meanwhile
    /// (`.sourceChanged`): for content that may already be stored, and for `store find`.
    func digests(of source: ReadOnlyFile, display: String) throws -> (sha256: String, sha512: String)

    /// Stores `source` as the object named by its SHA-256: hashes SHA-256 and SHA-512 while writing, proves the
    /// stored bytes by reading them back, and returns only then. `attempt` names this source's attempt (from its
    /// identity), so an interrupted one resumes (a local folder's journal) or restarts (S3). `alreadyStored` is asked,
    /// once the digests are known and before anything is placed under the object's name, whether the store already
    /// records that content: if so nothing is placed and `.alreadyStored` is returned. Throws `.sourceChanged` (after
    /// removing what it wrote) when the source changed while it was read.
    func put(_ source: ReadOnlyFile, attempt: String, display: String,
             alreadyStored: (_ sha256: String) throws -> Bool) throws -> ObjectPutOutcome

    /// Drops whatever an earlier, interrupted attempt of this name left to resume from (a local partial copy and its
    /// journal; an incomplete multipart upload on S3): for a source that changed, whose old bytes must never be
    /// resumed.
    func discardAttempt(_ attempt: String)

    /// Whether an object is present under the ref (a regular file locally; the named version on S3).
    func exists(_ ref: StoredObjectRef) -> Bool
    /// The stored size of the object, nil when it is not there as an object.
    func storedSize(_ ref: StoredObjectRef) -> UInt64?
    /// Streams the object's bytes, in order, a buffer at a time (flat memory).
    func read(_ ref: StoredObjectRef, _ body: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Reads the object back from the medium (never from a cache the writer filled) and hashes it: what a scrub
    /// compares with the recorded digests.
    func rehash(_ ref: StoredObjectRef) throws -> (sha256: String, sha512: String, size: UInt64)
    /// A path on this machine that holds exactly the object's bytes, for readers that need random access (the
    /// metadata reader, the sealer); nil for a back end that keeps no local copy, whose callers read the source
    /// (proven equal by its digests) or stage a copy.
    func localPath(_ ref: StoredObjectRef) -> String?

    /// Stores a derived record (capture metadata) under the SHA-256 of its bytes, durably, before any ledger event
    /// names it; a record already there under that name holds the same bytes by construction.
    func putRecord(_ bytes: [UInt8], sha256: String) throws
    /// Whether a file is present under a derived record's name.
    func recordExists(sha256: String) -> Bool
    /// The derived record's bytes when they hash to its name; nil when missing or damaged.
    func record(sha256: String) -> [UInt8]?

    /// Calls `body` with the SHA-256 of every object the back end holds (in no promised order): what a scrub can
    /// compare with the catalog, whatever the catalog says.
    func forEachObject(_ body: (_ sha256: String) throws -> Void) throws
    /// Whether the object's retention is what the store's policy demands. A back end that cannot enforce retention
    /// (a local folder) answers `.notApplicable`.
    func retention(_ ref: StoredObjectRef) throws -> ObjectRetention
    /// What else lies under the object's name besides the version the store wrote: on a back end that keeps versions
    /// (S3), an overwrite or a delete marker by someone else, which no read ever follows and `store verify` reports.
    /// A back end without versions (a local folder) answers none.
    func foreignVersions(of ref: StoredObjectRef) throws -> [ForeignVersion]
}

/// A version under a stored object's name that the store did not write (``ObjectStore/foreignVersions(of:)``).
package struct ForeignVersion: Equatable, Sendable {
    package var versionID: String
    /// A delete marker (someone deleted the key without naming a version), not bytes.
    package var isDeleteMarker: Bool
    /// When the server dated it (UTC), if it says.
    package var written: String?

    /// `a delete marker V (at T)` or `version V (written T)`, for a finding.
    package var description: String {
        let when = written.map { isDeleteMarker ? " (at \($0))" : " (written \($0))" } ?? ""
        return (isDeleteMarker ? "a delete marker \(versionID)" : "version \(versionID)") + when
    }
}

/// What ``ObjectStore/put(_:attempt:display:alreadyStored:)`` did.
package enum ObjectPutOutcome: Equatable, Sendable {
    /// The bytes were written, read back and proven, and are now stored under the ref.
    case stored(StoredObjectRef)
    /// The store already records this content: nothing was placed. The digests are the source's.
    case alreadyStored(sha256: String, sha512: String, size: UInt64)
}

/// An object's retention as its back end reports it (spec/store.md, "Back ends").
package enum ObjectRetention: Equatable, Sendable {
    /// The back end enforces no retention (a local folder).
    case notApplicable
    /// Retained at least as the policy demands, until this UTC time.
    case retained(until: String)
    /// Retained for less than the policy demands, or not at all.
    case short(until: String?)
}
