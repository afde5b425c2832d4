import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The objects and derived records of an organisation store, kept in an S3 bucket with versioning and Object Lock
/// (spec/store.md, "Objects on S3"): `PREFIX/objects/sha256/<hex>` and `PREFIX/records/sha256/<hex>`.
///
/// S3 keeps versions, so an object is named by its SHA-256 AND the version id this store wrote: every read names
/// that version, and an overwrite by anyone else (a new version under the same key) is never read. A ref without a
/// version id is refused. Ceph 16 ignores `x-amz-checksum-sha256`, so the integrity proof is ours: the source is
/// hashed with SHA-256 for its name (read 1), uploaded while hashed again with SHA-256 and SHA-512 (read 2;
/// Content-MD5 on every PUT and part), refused as changed when the two reads differ (before the last byte is sent,
/// so a multipart upload is aborted and never completed), and the stored version is read back by its id and its
/// size and SHA-256 compared before the ref is returned. SHA-512, the slowest digest here, is computed once, on the
/// bytes sent: computing it on all three passes made a large ingest into S3 run at 0.41x of a local folder store.
///
/// Every call blocks its thread on the async client (``S3Blocking``); it must not be used from an async task.
final class S3ObjectStore: ObjectStore {
    let client: S3Client
    let policy: RetentionPolicy
    /// One read buffer for hashing sources (read 1): memory stays flat whatever the number of files.
    private let buffer: UnsafeMutableRawBufferPointer
    /// The object key each attempt is uploading to, until it is stored: what ``discardAttempt(_:)`` aborts.
    private let attempts = Mutex<[String: String]>([:])
    /// The bucket's default retention, asked once, for ``retention(_:)`` under ``RetentionPolicy/bucketDefault``.
    private let bucketLock = Mutex<S3LockConfiguration?>(nil)
    /// How many objects this store has begun to upload: what the fault tests' pause before the N-th upload counts.
    private let uploadsBegun = Mutex<UInt64>(0)

    static let readSize = 4 << 20
    /// How far a retain-until date may fall short of the version's creation time plus the policy's days and still be
    /// retained: the date is computed when an upload starts, the server stamps the version when it ends, and S3
    /// accepts clocks up to 15 minutes apart.
    static let retentionTolerance: TimeInterval = 3600
    /// The largest derived record ``record(sha256:)`` reads into memory.
    static let recordLimit: UInt64 = 64 << 20

    init(client: S3Client, retention policy: RetentionPolicy) {
        self.client = client
        self.policy = policy
        self.buffer = .allocate(byteCount: S3ObjectStore.readSize, alignment: 4096)
    }

    deinit { buffer.deallocate() }

    // MARK: Keys

    var objectsPrefix: String { client.location.key("objects/sha256/") }

    func objectKey(_ sha256: String) -> String { client.location.key("objects/sha256/\(sha256)") }

    func recordKey(_ sha256: String) -> String { client.location.key("records/sha256/\(sha256)") }

    /// Runs one async client call from this synchronous code, capturing only the (Sendable) client.
    private func blocking<T: Sendable>(_ operation: @escaping @Sendable (S3Client) async throws -> T) throws -> T {
        let client = self.client
        return try S3Blocking.run { try await operation(client) }
    }

    /// The version a ref names; S3 objects are never read by key alone.
    private func version(_ ref: StoredObjectRef) throws -> String {
        guard let version = ref.versionID, !version.isEmpty else {
            throw AmanaError(.inputInvalid, "the object \(ref.sha256) names no S3 version; an object on S3 is read "
                             + "only by the version the store recorded")
        }
        return version
    }

    // MARK: Writing objects

    func digests(of source: ReadOnlyFile, display: String) throws -> (sha256: String, sha512: String) {
        let digests = try hash(source, [.sha256, .sha512], display: display)
        return (digests[.sha256]!.hex, digests[.sha512]!.hex)
    }

    /// Reads the whole source once through the shared buffer and hashes it with `algorithms`, refusing a file that
    /// changed while it was read.
    private func hash(_ source: ReadOnlyFile, _ algorithms: [DigestAlgorithm], display: String) throws
        -> [DigestAlgorithm: Digest] {
        let digest = MultiDigest(algorithms)
        var offset: UInt64 = 0
        // Never past the size the file had when opened: a file that keeps growing would otherwise never end.
        while offset < source.size {
            let want = Int(min(UInt64(S3ObjectStore.readSize), source.size - offset))
            let n = try S3ObjectStore.pread(source, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]),
                                            at: offset)
            if n == 0 { break }
            try digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += UInt64(n)
            try StoreTestingHooks.afterSourceRead?(display, offset)
        }
        try ObjectCopier.checkUnchanged(source, readBytes: offset, display: display)
        return digest.finalize()
    }

    func put(_ source: ReadOnlyFile, attempt: String, display: String,
             alreadyStored: (String) throws -> Bool) throws -> ObjectPutOutcome {
        let hooks = try S3UploadFaultHooks.current.get()
        // Read 1: the name only. The claim (or the catalog) must decide before anything is sent.
        let sha256 = try hash(source, [.sha256], display: display)[.sha256]!.hex
        if try alreadyStored(sha256) {
            // Nothing is sent; the acquisition still records both digests of the source, so read it once more.
            let both = try digests(of: source, display: display)
            guard both.sha256 == sha256 else {
                throw AmanaError(.sourceChanged, "\(display) changed between two reads; nothing of it was stored")
            }
            return .alreadyStored(sha256: sha256, sha512: both.sha512, size: source.size)
        }
        let key = objectKey(sha256)
        attempts.withLock { $0[attempt] = key }
        let number = uploadsBegun.withLock { count in
            count += 1
            return count
        }
        if let pause = hooks.beforeUpload, pause.count == number { S3UploadFaultHooks.wait(at: pause) }
        // The caller now owns this content (org mode: its database claim), so an incomplete upload of the same key
        // is a killed earlier attempt's, never another writer's at work: drop it before starting again.
        try abortUploads(key: key)
        if let adopted = try adoptVersion(key: key, sha256: sha256, size: source.size, display: display) {
            attempts.withLock { $0[attempt] = nil }
            return .stored(adopted)
        }

        let lock = objectLock()
        let reader = SecondRead(source: source, display: display, expectedSHA256: sha256, pause: hooks.atByte)
        let uploaded: S3UploadResult
        do {
            // The reader hashes what it hands over (and refuses a change before the last byte): the client need not.
            uploaded = try client.uploadBlocking(key: key, lock: lock, partSize: S3ObjectStore.partSize(for: source.size),
                                                 hashing: false) {
                try reader.read(into: $0)
            }
        } catch let error as AmanaError where error.code == .sourceChanged {
            discardAttempt(attempt)
            throw error
        }
        // The reader refused a change before the last byte left, and the client sent as many bytes as it was given;
        // the read-back below proves they are the hashed ones.
        guard reader.finished, let sha512 = reader.sha512, uploaded.size == source.size else {
            throw AmanaError(S3Failure.integrity, "s3: \(display): the bytes sent to \(key) are not the ones hashed; "
                             + "it is not recorded as stored")
        }
        if uploaded.parts > 0, let later = objectLock(), let lock, later.retainUntil > lock.retainUntil {
            // A long multipart upload: count the retention from its completion, as the server dates the version.
            let versionID = uploaded.versionID
            try blocking { try await $0.putObjectRetention(key: key, versionID: versionID, lock: later) }
        }
        try proveStored(key: key, versionID: uploaded.versionID, size: source.size, sha256: sha256, display: display)
        attempts.withLock { $0[attempt] = nil }
        return .stored(StoredObjectRef(sha256: sha256, sha512: sha512, size: source.size, versionID: uploaded.versionID))
    }

    /// A version already under the object's name when the caller owns its content (no catalog row records it, and
    /// this station holds the claim) was written by an earlier attempt that completed its upload and died before its
    /// commit (spec/store.md 2.3, step 3). It is adopted, oldest first, when it holds exactly these bytes (read back
    /// by its id: size and SHA-256 equal read 1's; its SHA-512 is taken from that read) and its retention is what
    /// the policy demands, lengthened to now plus the policy's days where it falls short (as after a multipart upload
    /// killed before its retention was set). Otherwise nil, and a new version is uploaded: a version with other bytes
    /// under the name is someone else's, which `store verify` reports, and is never read.
    private func adoptVersion(key: String, sha256: String, size: UInt64, display: String) throws -> StoredObjectRef? {
        let found = try blocking { try await $0.listObjectVersions(prefix: key) }
        for version in found.reversed() where version.key == key && !version.isDeleteMarker && version.size == size {
            let candidate = StoredObjectRef(sha256: sha256, sha512: "", size: size, versionID: version.versionID)
            let read: (sha256: String, sha512: String, size: UInt64)
            do { read = try rehash(candidate) } catch { continue }
            guard read.sha256 == sha256, read.size == size else { continue }
            let ref = StoredObjectRef(sha256: sha256, sha512: read.sha512, size: size, versionID: version.versionID)
            if case .short = try retention(ref) {
                guard let lock = objectLock() else { continue }
                let versionID = version.versionID
                // The server may refuse (a GOVERNANCE version made COMPLIANCE, say): then a new version is written.
                do { try blocking { try await $0.putObjectRetention(key: key, versionID: versionID, lock: lock) } } catch {
                    continue
                }
                guard case .retained = try retention(ref) else { continue }
            }
            return ref
        }
        return nil
    }

    /// Reads the version back from the server and compares its size and SHA-256 with those of the bytes sent (which
    /// read 2 proved equal to read 1's): a mismatch is an error, never a stored ref. SHA-256 is collision resistant,
    /// so an equal one proves the same bytes, and the SHA-512 read 2 computed is theirs too.
    private func proveStored(key: String, versionID: String, size: UInt64, sha256: String, display: String) throws {
        guard let wantSHA256 = Hex.decode(sha256) else {
            throw AmanaError(.internalFailure, "a digest is not hexadecimal")
        }
        let check = try blocking {
            try await $0.readBack(key: key, versionID: versionID, size: size, sha256: wantSHA256)
        }
        guard check.matches else {
            throw AmanaError(S3Failure.integrity, "s3: \(display) read back from \(key) version \(versionID) is not "
                             + "what was sent (\(check.mismatches.joined(separator: "; "))); it is not recorded as stored",
                             hint: "run the command again; report the S3 server if this repeats")
        }
    }

    /// The retention every PUT names: the policy's mode until now plus its days; nil when the bucket's default applies.
    func objectLock(now: Date = Date()) -> S3ObjectLock? {
        policy.objectLock(now: now)
    }

    /// 8 MiB parts, larger (in whole MiB) for a source too big for S3's 10,000 parts of that size.
    static func partSize(for size: UInt64) -> Int {
        let mib = 1 << 20
        let needed = Int((size + UInt64(S3Client.maximumParts) - 1) / UInt64(S3Client.maximumParts))
        return max(S3Client.minimumPartSize, (needed + mib - 1) / mib * mib)
    }

    /// Aborts every incomplete multipart upload of exactly this key.
    private func abortUploads(key: String) throws {
        try blocking { client in
            for upload in try await client.listMultipartUploads(prefix: key) where upload.key == key {
                try await client.abortMultipartUpload(key: upload.key, uploadID: upload.uploadID)
            }
        }
    }

    func discardAttempt(_ attempt: String) {
        guard let key = attempts.withLock({ $0.removeValue(forKey: attempt) }) else { return }
        try? abortUploads(key: key)
    }

    /// Aborts the incomplete uploads under `objects/` that started before `cutoff` (those of killed commands whose
    /// content was never ingested again): for a writer's sweep of scratch. Returns how many were aborted.
    /// `busy(sha256)` keeps an upload whose content some station still claims (it may be a slow upload at work).
    func abortIncompleteUploads(initiatedBefore cutoff: Date, unless busy: (String) throws -> Bool = { _ in false })
        throws -> Int {
        let prefix = objectsPrefix
        let uploads = try blocking { client in try await client.listMultipartUploads(prefix: prefix) }
        var aborted = 0
        for upload in uploads where (upload.initiated ?? .distantPast) < cutoff {
            let sha256 = String(upload.key.dropFirst(prefix.count))
            if try busy(sha256) { continue }
            try blocking { try await $0.abortMultipartUpload(key: upload.key, uploadID: upload.uploadID) }
            aborted += 1
        }
        return aborted
    }

    // MARK: Reading objects

    func exists(_ ref: StoredObjectRef) -> Bool {
        storedSize(ref) != nil
    }

    func storedSize(_ ref: StoredObjectRef) -> UInt64? {
        guard let version = try? version(ref) else { return nil }
        let key = objectKey(ref.sha256)
        return (try? blocking { try await $0.headObject(key: key, versionID: version) })?.size
    }

    func read(_ ref: StoredObjectRef, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let version = try version(ref)
        // The client's task may outlive this call by a moment, so it must not hold `body` itself: it holds a box
        // whose reference is cleared before `body` goes out of reach.
        let forward = ChunkForwarder()
        try withoutActuallyEscaping(body) { body in
            forward.body = body
            defer { forward.body = nil }
            try client.getObjectBlocking(key: objectKey(ref.sha256), versionID: version) { try forward.body?($0) }
        }
    }

    func rehash(_ ref: StoredObjectRef) throws -> (sha256: String, sha512: String, size: UInt64) {
        let digest = MultiDigest([.sha256, .sha512])
        try read(ref) { try digest.update($0) }
        let digests = digest.finalize()
        return (digests[.sha256]!.hex, digests[.sha512]!.hex, digest.byteCount)
    }

    func localPath(_ ref: StoredObjectRef) -> String? { nil }

    /// Every version and delete marker under the object's key, newest first: one other than the ref's is an
    /// overwrite (or a delete) by someone else, which `store verify` reports and no read ever follows.
    func versions(of ref: StoredObjectRef) throws -> [S3ObjectVersion] {
        let key = objectKey(ref.sha256)
        return try blocking { try await $0.listObjectVersions(prefix: key) }.filter { $0.key == key }
    }

    /// ``versions(of:)`` without the one the ref names.
    func otherVersions(of ref: StoredObjectRef) throws -> [S3ObjectVersion] {
        try versions(of: ref).filter { $0.versionID != ref.versionID }
    }

    // MARK: Records

    func putRecord(_ bytes: [UInt8], sha256: String) throws {
        guard MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex == sha256 else {
            throw AmanaError(.internalFailure, "a derived record does not hash to its name \(sha256)")
        }
        if record(sha256: sha256) != nil { return }
        let key = recordKey(sha256)
        let lock = objectLock()
        let put = try blocking { try await $0.putObject(key: key, bytes: bytes, lock: lock) }
        guard record(sha256: sha256, versionID: put.versionID) != nil else {
            throw AmanaError(S3Failure.integrity, "s3: the record read back from \(key) version \(put.versionID) "
                             + "does not hash to its name")
        }
    }

    func recordExists(sha256: String) -> Bool {
        let key = recordKey(sha256)
        guard let versions = try? blocking({ try await $0.listObjectVersions(prefix: key) }) else { return false }
        return versions.contains { $0.key == key && !$0.isDeleteMarker }
    }

    /// The first version under the record's name (oldest first: the one the store wrote) whose bytes hash to it.
    /// A later version with other bytes, or a delete marker, written by someone else, is passed over.
    func record(sha256: String) -> [UInt8]? {
        let key = recordKey(sha256)
        guard let versions = try? blocking({ try await $0.listObjectVersions(prefix: key) }) else { return nil }
        for version in versions.reversed() where version.key == key && !version.isDeleteMarker
            && (version.size ?? 0) <= S3ObjectStore.recordLimit {
            if let bytes = record(sha256: sha256, versionID: version.versionID) { return bytes }
        }
        return nil
    }

    private func record(sha256: String, versionID: String) -> [UInt8]? {
        let key = recordKey(sha256)
        let limit = S3ObjectStore.recordLimit
        var bytes = [UInt8]()
        let read = try? client.getObjectBlocking(key: key, versionID: versionID) { chunk in
            guard UInt64(bytes.count + chunk.count) <= limit else {
                throw AmanaError(.inputInvalid, "s3: \(key) is larger than a record can be")
            }
            bytes += chunk
        }
        guard read != nil, MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex == sha256 else { return nil }
        return bytes
    }

    // MARK: Enumeration and retention

    func forEachObject(_ body: (String) throws -> Void) throws {
        let prefix = objectsPrefix
        var token: String?
        repeat {
            let next = token
            let page = try blocking { try await $0.listObjectsPage(prefix: prefix, continuationToken: next) }
            for object in page.objects where object.key.hasPrefix(prefix) {
                let name = String(object.key.dropFirst(prefix.count))
                if LocalObjectStore.isHex64(name) { try body(name) }
            }
            token = page.next
        } while token != nil
    }

    /// The version's lock as the server reports it, judged against the policy: `.short` when it has none, when its
    /// date is earlier than its creation plus the policy's days (less ``retentionTolerance``), or when it is
    /// GOVERNANCE (which a privileged user can lift) under a COMPLIANCE policy.
    func retention(_ ref: StoredObjectRef) throws -> ObjectRetention {
        let version = try version(ref)
        let key = objectKey(ref.sha256)
        let lock = try blocking { try await $0.getObjectRetention(key: key, versionID: version) }
        let info = try blocking { try await $0.headObject(key: key, versionID: version) }
        guard let info else {
            throw AmanaError(S3Failure.notFound, "s3: \(key) version \(version) is not there")
        }
        guard let lock else { return .short(until: nil) }
        let until = UTCTime.format(lock.retainUntil)
        let created = info.lastModified.flatMap(S3ObjectStore.parseHTTPDate) ?? Date()
        guard let days = try demandedDays() else { return .retained(until: until) }
        if case .compliance = policy, lock.mode != .compliance { return .short(until: until) }
        let demanded = created + Double(days) * 86_400 - S3ObjectStore.retentionTolerance
        return lock.retainUntil >= demanded ? .retained(until: until) : .short(until: until)
    }

    /// The days of retention each object must have: the policy's, or the bucket's default (years counted as 365
    /// days); nil when neither names any.
    private func demandedDays() throws -> Int? {
        if let days = policy.days { return days }
        let configuration: S3LockConfiguration
        if let known = bucketLock.withLock({ $0 }) {
            configuration = known
        } else {
            configuration = try blocking { try await $0.getObjectLockConfiguration() }
            bucketLock.withLock { $0 = configuration }
        }
        if let days = configuration.defaultDays { return days }
        return configuration.defaultYears.map { $0 * 365 }
    }

    /// `Last-Modified` (an HTTP date, RFC 9110: `Sun, 06 Dec 2026 14:37:01 GMT`).
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    static func pread(_ source: ReadOnlyFile, into space: UnsafeMutableRawBufferPointer, at offset: UInt64) throws -> Int {
        var filled = 0
        while filled < space.count {
            let n = Glibc.pread(source.fd, space.baseAddress! + filled, space.count - filled, off_t(offset) + off_t(filled))
            if n < 0 {
                if errno == EINTR { continue }
                throw AmanaError(.inputUnreadable, "cannot read \(source.path): \(POSIX.errorText())")
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}

/// Hands the chunks of a read to a caller's non-escaping consumer for exactly as long as the read lasts.
private final class ChunkForwarder {
    var body: ((UnsafeRawBufferPointer) throws -> Void)?
}

/// The second read of a source, as the upload pulls it: hashes what it hands over with SHA-256 and SHA-512 and,
/// when it reaches the size the file had when opened, refuses (`.sourceChanged`) a file whose size, time or SHA-256
/// differ from the first read's. The refusal comes before the last bytes are handed over, so no version of a changed
/// file is completed. Its SHA-512 is the one recorded: it is of the very bytes sent.
private final class SecondRead {
    let source: ReadOnlyFile
    let display: String
    let expectedSHA256: String
    /// The fault tests' pause once this many bytes are read (``S3UploadFaultHooks``), taken at most once.
    private var pause: S3UploadFaultHooks.Pause?
    private let digest = MultiDigest([.sha256, .sha512])
    private var offset: UInt64 = 0
    private(set) var finished = false
    /// Set when the read finished with the SHA-256 of read 1.
    private(set) var sha512: String?

    init(source: ReadOnlyFile, display: String, expectedSHA256: String, pause: S3UploadFaultHooks.Pause? = nil) {
        self.source = source
        self.display = display
        self.expectedSHA256 = expectedSHA256
        self.pause = pause
    }

    func read(into space: UnsafeMutableRawBufferPointer) throws -> Int {
        guard offset < source.size else {
            if !finished { try finish() }
            return 0
        }
        let want = Int(min(UInt64(space.count), source.size - offset))
        let n = try S3ObjectStore.pread(source, into: UnsafeMutableRawBufferPointer(rebasing: space[0..<want]), at: offset)
        try digest.update(UnsafeRawBufferPointer(rebasing: space[0..<n]))
        offset += UInt64(n)
        try StoreTestingHooks.afterSourceRead?(display, offset)
        if n < want || offset == source.size { try finish() }
        if let due = pause, offset >= due.count {
            pause = nil
            S3UploadFaultHooks.wait(at: due)
        }
        return n
    }

    private func finish() throws {
        try ObjectCopier.checkUnchanged(source, readBytes: offset, display: display)
        let digests = digest.finalize()
        guard digests[.sha256]!.hex == expectedSHA256 else {
            throw AmanaError(.sourceChanged, "\(display) changed between its hashing and its upload; nothing of it "
                             + "was stored")
        }
        sha512 = digests[.sha512]!.hex
        finished = true
    }
}
