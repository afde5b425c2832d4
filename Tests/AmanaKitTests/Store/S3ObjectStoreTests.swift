import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// ``S3ObjectStore`` against a real radosgw (scripts/services/ceph.sh), each test under its own prefix of one bucket
/// with versioning and Object Lock (made once for the class: a bucket made and emptied per test cost two s3tool
/// processes each, seconds on a loaded machine; every listing below is by the test's prefix), and boto3 (scripts/services/s3tool.py) as the independent client that checks what the server
/// holds and plays the attacker who overwrites or deletes with the same credentials.
final class S3ObjectStoreTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var bucket: String!
    private var server: TestS3!
    private var clients = [S3Client]()
    /// `centre/<random>`: this test's part of the class's bucket.
    private var prefix = ""

    override func setUpWithError() throws {
        server = try TestServices.s3()
        bucket = try TestServices.classBucket(for: S3ObjectStoreTests.self)
        prefix = TestServices.uniquePrefix("centre")
        folder = TemporaryFolder("amana-s3objects")
    }

    override class func tearDown() {
        TestServices.emptyClassBucket(for: self)
        super.tearDown()
    }

    override func tearDownWithError() throws {
        StoreTestingHooks.afterSourceRead = nil
        for client in clients { try client.shutdownBlocking() }
        clients = []
        folder = nil
    }

    private func makeClient(bucket: String? = nil) throws -> S3Client {
        let location = try S3Location.parse("s3://\(bucket ?? self.bucket!)/\(prefix)", endpoint: server.endpoint,
                                            region: server.region)
        let client = S3Client(location: location, credentials: S3Credentials(accessKeyID: server.accessKey,
                                                                             secretAccessKey: server.secretKey))
        clients.append(client)
        return client
    }

    private func makeStore(_ policy: RetentionPolicy = .governance(days: 1)) throws -> S3ObjectStore {
        S3ObjectStore(client: try makeClient(), retention: policy)
    }

    private func key(_ sha256: String) -> String { "\(prefix)/objects/sha256/\(sha256)" }

    private func attempt(_ n: Int) -> String { String(repeating: String(n % 10), count: 64) }

    private func store(_ objects: S3ObjectStore, _ name: String, _ bytes: [UInt8], attempt n: Int = 1) throws
        -> StoredObjectRef
    {
        let path = try folder.write(name, bytes)
        let outcome = try objects.put(try ReadOnlyFile(path: path), attempt: attempt(n), display: name) { _ in false }
        guard case .stored(let ref) = outcome else {
            XCTFail("not stored: \(outcome)")
            throw AmanaError(.internalFailure, "not stored")
        }
        return ref
    }

    private func uploads() throws -> [S3Tool.Uploads.Entry] {
        try TestServices.s3tool(["list-uploads", bucket, prefix + "/"], as: S3Tool.Uploads.self).uploads
    }

    private func versions(_ keyPrefix: String) throws -> S3Tool.Versions {
        try TestServices.s3tool(["versions", bucket, keyPrefix], as: S3Tool.Versions.self)
    }

    private func sha256(_ bytes: [UInt8]) -> String { MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex }

    // MARK: The contract

    func testTheS3StoreKeepsTheObjectStoreContract() throws {
        let objects = try makeStore()
        try ObjectStoreContract.run(objects, sources: folder)
        XCTAssertEqual(try uploads().map(\.key), [], "no incomplete upload left behind")
        let listed = try versions(prefix + "/objects/")
        XCTAssertEqual(listed.versions.count, 1, "one version: the stored object; the known and the changed left none")
        XCTAssertEqual(listed.deleteMarkers.count, 0)
        XCTAssertTrue(listed.versions.allSatisfy { $0.key.hasPrefix(prefix + "/objects/sha256/") && $0.key.count
                == prefix.count + 16 + 64 }, "\(listed.versions.map(\.key))")
        XCTAssertEqual(try versions(prefix + "/records/").versions.count, 1, "the record, written once")
    }

    func testStoredObjectsAreNamedByDigestAndVersionAndReadOnlyByVersion() throws {
        let objects = try makeStore()
        let bytes = ObjectStoreContract.contractBytes(100_000, seed: 7)
        let ref = try store(objects, "a.bin", bytes)
        XCTAssertEqual(ref.sha256, sha256(bytes))
        XCTAssertEqual(ref.size, 100_000)
        let version = try XCTUnwrap(ref.versionID)
        let seen = try versions(key(ref.sha256))
        XCTAssertEqual(seen.versions.map(\.versionId), [version], "boto3 sees the version the ref names")
        XCTAssertNil(objects.localPath(ref), "no local copy to hand out")

        var unversioned = ref
        unversioned.versionID = nil
        XCTAssertFalse(objects.exists(unversioned))
        XCTAssertNil(objects.storedSize(unversioned))
        for (what, call) in [("read", { try objects.read(unversioned) { _ in } }),
                             ("rehash", { _ = try objects.rehash(unversioned) }),
                             ("retention", { _ = try objects.retention(unversioned) })] as [(String, () throws -> Void)] {
            XCTAssertThrowsError(try call(), what) { error in
                XCTAssertEqual((error as? AmanaError)?.code, .inputInvalid, what)
                XCTAssertTrue("\(error)".contains("names no S3 version"), "\(what): \(error)")
            }
        }
        var missing = ref
        missing.versionID = "no-such-version-\(UUID().uuidString)"
        XCTAssertFalse(objects.exists(missing), "a version the bucket does not hold")
        XCTAssertThrowsError(try objects.rehash(missing))
    }

    // MARK: Retention

    func testRetentionIsTheOneBoto3ReportsAndIsJudgedAgainstThePolicy() throws {
        let objects = try makeStore(.compliance(days: 2))
        let before = Date()
        let ref = try store(objects, "kept.bin", ObjectStoreContract.contractBytes(3_000, seed: 8))
        let reported = try TestServices.s3tool(["retention", bucket, key(ref.sha256), ref.versionID!],
                                               as: S3Tool.Retention.self)
        XCTAssertEqual(reported.mode, "COMPLIANCE")
        let until = try XCTUnwrap(reported.retainUntil.flatMap(UTCTime.parseRFC3339))
        XCTAssertEqual(until.timeIntervalSince(before), 2 * 86_400, accuracy: 120, "now + 2 days")
        XCTAssertEqual(try objects.retention(ref), .retained(until: reported.retainUntil!))

        // Judged by a store whose policy demands more, the same version is short.
        let stricter = try makeStore(.compliance(days: 30))
        XCTAssertEqual(try stricter.retention(ref), .short(until: reported.retainUntil!))

        // GOVERNANCE, which a privileged user can lift, is short of a COMPLIANCE policy, however long.
        let governed = try folder.write("governed.bin", "governed\n")
        let bare = try folder.write("bare.bin", "bare\n")
        let puts = try TestServices.s3tool(batch: [
            ["put", bucket, key(sha256(Array("governed\n".utf8))), governed, "--retention", "GOVERNANCE", "5"],
            ["put", bucket, key(sha256(Array("bare\n".utf8))), bare],
        ])
        let put = try puts[0].reply(S3Tool.Put.self), barePut = try puts[1].reply(S3Tool.Put.self)
        let governedRef = StoredObjectRef(sha256: sha256(Array("governed\n".utf8)), sha512: "", size: 9,
                                          versionID: put.versionId)
        guard case .short = try objects.retention(governedRef) else { return XCTFail("governance under compliance") }
        XCTAssertEqual(try makeStore(.governance(days: 5)).retention(governedRef).isRetained, true)

        // A version written without any retention (the bucket has no default) is short, with no date.
        let bareRef = StoredObjectRef(sha256: sha256(Array("bare\n".utf8)), sha512: "", size: 5,
                                      versionID: barePut.versionId)
        XCTAssertEqual(try objects.retention(bareRef), .short(until: nil))
        XCTAssertEqual(try makeStore(.bucketDefault).retention(bareRef), .short(until: nil))
    }

    func testABucketDefaultPolicyPutsNoLockAndTheBucketsDefaultApplies() throws {
        let defaulted = try TestServices.makeBucket(for: self, defaultRetention: (mode: "GOVERNANCE", days: 3)).bucket
        let objects = S3ObjectStore(client: try makeClient(bucket: defaulted), retention: .bucketDefault)
        let bytes = ObjectStoreContract.contractBytes(2_000, seed: 9)
        let ref = try store(objects, "d.bin", bytes)
        let reported = try TestServices.s3tool(["retention", defaulted, key(ref.sha256), ref.versionID!],
                                               as: S3Tool.Retention.self)
        XCTAssertEqual(reported.mode, "GOVERNANCE")
        XCTAssertEqual(try objects.retention(ref), .retained(until: reported.retainUntil!))
    }

    // MARK: Overwrites and deletes by someone else

    func testAnOverwriteMakesANewVersionThatIsNeverRead() throws {
        let objects = try makeStore()
        let original = ObjectStoreContract.contractBytes(300_000, seed: 10)
        let ref = try store(objects, "o.bin", original)
        let forged = try folder.write("forged.bin", "not the exhibit\n")
        let overwrite = try TestServices.s3tool(["put", bucket, key(ref.sha256), forged], as: S3Tool.Put.self)
        let forgedVersion = try XCTUnwrap(overwrite.versionId)
        XCTAssertNotEqual(forgedVersion, ref.versionID, "S3 kept the original as an older version")

        var read = [UInt8]()
        try objects.read(ref) { read += $0 }
        XCTAssertEqual(read, original, "the read names the recorded version")
        let again = try objects.rehash(ref)
        XCTAssertEqual([again.sha256, again.sha512], [ref.sha256, ref.sha512])
        XCTAssertEqual(again.size, ref.size)
        XCTAssertEqual(objects.storedSize(ref), ref.size)
        XCTAssertEqual(try objects.otherVersions(of: ref).map(\.versionID), [forgedVersion],
                       "the overwrite is there for store verify to report")
        XCTAssertEqual(try objects.versions(of: ref).count, 2)
    }

    func testADeleteOfTheLockedVersionFails() throws {
        let objects = try makeStore(.compliance(days: 1))
        let ref = try store(objects, "locked.bin", ObjectStoreContract.contractBytes(50_000, seed: 11))
        let results = try TestServices.s3tool(batch: [
            ["delete", bucket, key(ref.sha256), ref.versionID!],
            ["delete", bucket, key(ref.sha256), ref.versionID!, "--bypass-governance"],
            ["delete", bucket, key(ref.sha256)],
        ])
        let (delete, bypass) = (results[0], results[1])
        XCTAssertFalse(delete.succeeded, "\(delete)")
        XCTAssertEqual(delete.refusal?.error, "AccessDenied", "\(delete)")
        XCTAssertFalse(bypass.succeeded, "COMPLIANCE cannot be bypassed: \(bypass)")
        // A delete without a version only adds a delete marker; the recorded version is still read.
        XCTAssertTrue(try results[2].reply(S3Tool.Deleted.self).deleteMarker)
        XCTAssertTrue(objects.exists(ref))
        XCTAssertEqual(try objects.rehash(ref).sha256, ref.sha256)
        XCTAssertEqual(try objects.otherVersions(of: ref).map(\.isDeleteMarker), [true])
    }

    // MARK: Changed sources and interrupted uploads

    /// Rewrites a byte of the source between the two reads and puts its modification time back, so that only the
    /// second read's digests can tell.
    private func changeKeepingTime(_ path: String, at offset: off_t) {
        var before = stat()
        XCTAssertEqual(stat(path, &before), 0)
        let fd = open(path, O_WRONLY)
        var byte: UInt8 = 0x5A
        XCTAssertEqual(pwrite(fd, &byte, 1, offset), 1)
        close(fd)
        var times = [before.st_atim, before.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
    }

    func testASourceChangedBetweenTheTwoReadsIsRefusedAndLeavesNothing() throws {
        let objects = try makeStore()
        for (name, size) in [("small.bin", 1_000_000), ("large.bin", 17 << 20)] {
            let path = try folder.write(name, ObjectStoreContract.contractBytes(size, seed: UInt64(size)))
            XCTAssertThrowsError(try objects.put(try ReadOnlyFile(path: path), attempt: attempt(4), display: name) { _ in
                self.changeKeepingTime(path, at: off_t(size - 10))
                return false
            }, name) { error in
                XCTAssertEqual((error as? AmanaError)?.code, .sourceChanged, "\(name): \(error)")
                XCTAssertTrue("\(error)".contains("changed between its hashing and its upload"), "\(error)")
            }
        }
        XCTAssertEqual(try uploads().map(\.key), [], "the multipart upload was aborted")
        XCTAssertEqual(try versions(prefix + "/").versions.map(\.key), [], "no version of a changed file")
    }

    /// An attempt that completed its upload and died before its commit left a version no catalog row records; the
    /// next put of that content adopts it (no second locked copy, which `store verify` would report as another
    /// writer's), giving it its retention. A version of the same size with other bytes under a name is never adopted.
    func testAVersionLeftByAnAttemptThatDiedBeforeItsCommitIsAdopted() throws {
        let objects = try makeStore(.governance(days: 2))
        let client = try makeClient()
        let bytes = ObjectStoreContract.contractBytes(300_000, seed: 21)
        let name = sha256(bytes)
        // As a multipart upload killed between its completion and its PutObjectRetention leaves it: no retention.
        let leftKey = key(name)
        let left = try S3Blocking.run { try await client.putObject(key: leftKey, bytes: bytes, lock: nil) }
        let ref = try store(objects, "left.bin", bytes)
        XCTAssertEqual(ref.versionID, left.versionID, "the version left behind is adopted")
        XCTAssertEqual(ref.sha512, MultiDigest.digests(of: bytes, [.sha512])[.sha512]!.hex)
        XCTAssertEqual(try versions(key(name)).versions.count, 1, "no second copy")
        XCTAssertTrue(try objects.retention(ref).isRetained, "its retention was set on adoption")
        XCTAssertEqual(try objects.otherVersions(of: ref), [])

        let real = ObjectStoreContract.contractBytes(300_000, seed: 22)
        let forged = ObjectStoreContract.contractBytes(300_000, seed: 23)
        let realName = sha256(real)
        let plantedKey = key(realName)
        let planted = try S3Blocking.run {
            try await client.putObject(key: plantedKey, bytes: forged, lock: S3ObjectLock(
                mode: .governance, retainUntil: Date() + 3 * 86_400))
        }
        let realRef = try store(objects, "real.bin", real)
        XCTAssertNotEqual(realRef.versionID, planted.versionID, "other bytes under the name are not adopted")
        XCTAssertEqual(try objects.otherVersions(of: realRef).map(\.versionID), [planted.versionID])
        var read = [UInt8]()
        try objects.read(realRef) { read += $0 }
        XCTAssertTrue(read == real)
    }

    func testAMultipartObjectRoundTripsWithItsRetention() throws {
        let objects = try makeStore(.governance(days: 2))
        let bytes = ObjectStoreContract.contractBytes(20 << 20, seed: 12)
        let ref = try store(objects, "big.bin", bytes)
        XCTAssertEqual(ref.size, 20 << 20)
        let seen = try versions(key(ref.sha256)).versions
        XCTAssertEqual(seen.count, 1)
        XCTAssertTrue(seen.first?.etag.hasSuffix("-3") == true, "three parts of 8, 8 and 4 MiB: \(seen)")
        let got = try TestServices.s3tool(["get", bucket, key(ref.sha256), ref.versionID!, folder.file("got.bin")],
                                          as: S3Tool.Get.self)
        XCTAssertEqual(got.sha256, ref.sha256, "boto3 reads the same bytes")
        XCTAssertEqual(got.size, 20 << 20)
        XCTAssertEqual(got.objectLockMode, "GOVERNANCE", "retention set after the multipart upload completed")
        let until = try XCTUnwrap(got.objectLockRetainUntil.flatMap(UTCTime.parseRFC3339))
        XCTAssertEqual(until.timeIntervalSinceNow, 2 * 86_400, accuracy: 300)
        XCTAssertTrue(try objects.retention(ref).isRetained)
        var read = [UInt8]()
        read.reserveCapacity(20 << 20)
        try objects.read(ref) { read += $0 }
        XCTAssertTrue(read == bytes, "read back whole by version")
    }

    /// The resident memory now (VmRSS), in bytes.
    private static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    func testMemoryStaysFlatWhileA128MiBObjectIsStoredAndReadBack() throws {
        let objects = try makeStore()
        let path = folder.file("flat.bin")
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for chunk in 0..<128 { try handle.write(contentsOf: ObjectStoreContract.contractBytes(1 << 20, seed: UInt64(100 + chunk))) }
        try handle.close()
        let baseline = S3ObjectStoreTests.residentBytes()
        final class Peak { var bytes = 0 }
        let peak = Peak()
        StoreTestingHooks.afterSourceRead = { _, _ in peak.bytes = max(peak.bytes, S3ObjectStoreTests.residentBytes()) }
        let outcome = try objects.put(try ReadOnlyFile(path: path), attempt: attempt(7), display: "flat.bin") { _ in false }
        StoreTestingHooks.afterSourceRead = nil
        guard case .stored(let ref) = outcome else { return XCTFail("not stored: \(outcome)") }
        var sampled = 0
        var streamed: UInt64 = 0
        try objects.read(ref) { buffer in
            streamed += UInt64(buffer.count)
            sampled += 1
            if sampled % 64 == 0 { peak.bytes = max(peak.bytes, S3ObjectStoreTests.residentBytes()) }
        }
        XCTAssertEqual(streamed, 128 << 20)
        let growth = max(peak.bytes, S3ObjectStoreTests.residentBytes()) - baseline
        XCTAssertGreaterThan(baseline, 0, "VmRSS was read")
        print("S3ObjectStore: 128 MiB stored and read back; resident memory grew \(growth >> 20) MiB at most")
        XCTAssertLessThan(growth, 64 << 20, "parts of 8 MiB, read buffers and what malloc keeps, not the 128 MiB object "
                          + "(grew \(growth >> 20) MiB)")
    }

    func testDiscardAttemptAndARerunLeaveNoIncompleteUpload() throws {
        let objects = try makeStore()
        let bytes = ObjectStoreContract.contractBytes(17 << 20, seed: 13)
        let path = try folder.write("cut.bin", bytes)
        let name = key(sha256(bytes))
        struct Cut: Error {}
        final class Flag { var uploading = false }
        let flag = Flag()
        StoreTestingHooks.afterSourceRead = { _, offset in
            if flag.uploading && offset >= 16 << 20 { throw Cut() }
        }
        XCTAssertThrowsError(try objects.put(try ReadOnlyFile(path: path), attempt: attempt(5), display: "cut.bin") { _ in
            flag.uploading = true
            return false
        }) { XCTAssertTrue($0 is Cut, "\($0)") }
        StoreTestingHooks.afterSourceRead = nil
        XCTAssertEqual(try uploads().map(\.key), [], "the client aborted its own upload")

        // What a killed attempt leaves: an upload of the key with a part in it (one s3tool process). Returns the keys
        // of the uploads then listed.
        func leaveUpload() throws -> [String] {
            let part = try folder.write("part.bin", ObjectStoreContract.contractBytes(5 << 20, seed: 14))
            let results = try TestServices.s3tool(batch: [
                ["start-upload", bucket, name],
                ["upload-part", bucket, name, "@0.uploadId", "1", part],
                ["list-uploads", bucket, prefix + "/"],
            ])
            _ = try results[1].reply(S3Tool.Part.self)
            return try results[2].reply(S3Tool.Uploads.self).uploads.map(\.key)
        }
        XCTAssertEqual(try leaveUpload(), [name])
        objects.discardAttempt(attempt(5))
        XCTAssertEqual(try uploads().map(\.key), [], "the attempt's upload was found by its name and aborted")
        objects.discardAttempt(attempt(5))  // again: nothing left to do, no error

        // A rerun of the same content (a new process knows no attempt) aborts the leftover and stores.
        XCTAssertEqual(try leaveUpload(), [name])
        let ref = try store(S3ObjectStore(client: try makeClient(), retention: .governance(days: 1)), "cut.bin", bytes,
                            attempt: 6)
        XCTAssertEqual(ref.sha256, sha256(bytes))
        XCTAssertEqual(try uploads().map(\.key), [])

        // A leftover of content never ingested again goes in a sweep of uploads older than a cutoff.
        let other = key(String(repeating: "e", count: 64))
        _ = try TestServices.s3tool(["start-upload", bucket, other], as: S3Tool.Upload.self)
        XCTAssertEqual(try objects.abortIncompleteUploads(initiatedBefore: Date(timeIntervalSinceNow: -3600)), 0,
                       "a recent upload may be another writer's")
        XCTAssertEqual(try objects.abortIncompleteUploads(initiatedBefore: Date(timeIntervalSinceNow: 3600)), 1)
        XCTAssertEqual(try uploads().map(\.key), [])
    }

    // MARK: Records

    func testARecordSurvivesAnOverwriteAndIsReadOnlyWhenItHashesToItsName() throws {
        let objects = try makeStore()
        let record = Array("{\"capture\":\"metadata\"}\n".utf8)
        let name = sha256(record)
        XCTAssertFalse(objects.recordExists(sha256: name))
        XCTAssertNil(objects.record(sha256: name))
        try objects.putRecord(record, sha256: name)
        XCTAssertTrue(objects.recordExists(sha256: name))
        XCTAssertEqual(objects.record(sha256: name), record)
        let recordKey = "\(prefix)/records/sha256/\(name)"
        let seen = try versions(recordKey).versions
        XCTAssertEqual(seen.count, 1)
        let retention = try TestServices.s3tool(["retention", bucket, recordKey, seen[0].versionId],
                                                as: S3Tool.Retention.self)
        XCTAssertEqual(retention.mode, "GOVERNANCE", "records are locked like objects")

        let forged = try folder.write("forged.json", "{\"capture\":\"forged\"}\n")
        _ = try TestServices.s3tool(["put", bucket, recordKey, forged], as: S3Tool.Put.self)
        XCTAssertEqual(objects.record(sha256: name), record, "the version that hashes to the name, not the latest")
        try objects.putRecord(record, sha256: name)
        XCTAssertEqual(try versions(recordKey).versions.count, 2, "a record already held is not written again")
        XCTAssertThrowsError(try objects.putRecord(record, sha256: String(repeating: "0", count: 64)))
    }

    // MARK: Bucket requirements

    func testStoreInitsBucketCheckRefusesABucketWithoutVersioningOrObjectLock() throws {
        XCTAssertNoThrow(try S3BucketRequirements.check(try makeClient(), policy: .compliance(days: 1)))
        XCTAssertThrowsError(try S3BucketRequirements.check(try makeClient(), policy: .bucketDefault)) { error in
            XCTAssertEqual("\(error)".contains("has no default retention"), true, "\(error)")
        }
        // Three buckets made, and emptied afterwards, in one s3tool process each time.
        let defaulted = TestServices.uniqueBucketName(), unlocked = TestServices.uniqueBucketName()
        let plain = TestServices.uniqueBucketName()
        let made = try TestServices.s3tool(batch: [
            ["make-bucket", defaulted, "--versioning", "--object-lock", "--default-retention", "COMPLIANCE", "1"],
            ["make-bucket", unlocked, "--versioning"],
            ["make-bucket", plain],
        ])
        addTeardownBlock { _ = try? TestServices.s3tool(batch: [defaulted, unlocked, plain].map { ["empty-bucket", $0] }) }
        XCTAssertEqual(try made.map { try $0.reply(S3Tool.Bucket.self).versioning }, ["Enabled", "Enabled", "Disabled"])
        XCTAssertNoThrow(try S3BucketRequirements.check(try makeClient(bucket: defaulted), policy: .bucketDefault))

        XCTAssertThrowsError(try S3BucketRequirements.check(try makeClient(bucket: unlocked), policy: .governance(days: 1))) {
            XCTAssertEqual(($0 as? AmanaError)?.reason, "the bucket s3://\(unlocked) does not have Object Lock enabled")
        }
        XCTAssertThrowsError(try S3BucketRequirements.check(try makeClient(bucket: plain), policy: .governance(days: 1))) {
            XCTAssertEqual(($0 as? AmanaError)?.reason, "the bucket s3://\(plain) does not have versioning enabled")
        }
    }
}

private extension ObjectRetention {
    var isRetained: Bool {
        if case .retained = self { return true }
        return false
    }
}
