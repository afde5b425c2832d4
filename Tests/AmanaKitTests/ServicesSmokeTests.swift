import AmanaTestSupport
import Crypto
import Foundation
import XCTest

/// The servers scripts/services/ starts are what issue 17 says they are, seen only through independent tools (`psql`,
/// boto3 in s3tool.py), never through Amana: PostgreSQL 15 with real password authentication, and a radosgw whose
/// versioning, Object Lock (COMPLIANCE, GOVERNANCE, legal hold, bucket default retention) and multipart behave as AWS
/// documents. Amana's S3 layer relies on each of these facts; if a Ceph or PostgreSQL update changed one, these tests
/// say which before the store's own tests fail in a harder way.
final class ServicesSmokeTests: XCTestCase {
    /// This test's part of the class's bucket (``TestServices/classBucket(for:)``), for the tests that need no bucket
    /// of their own.
    private let prefix = TestServices.uniquePrefix("smoke")

    private func key(_ name: String) -> String { "\(prefix)/\(name)" }

    override class func tearDown() {
        TestServices.emptyClassBucket(for: self)
        super.tearDown()
    }

    // MARK: PostgreSQL

    func testPostgresIsVersion15AndEachTestGetsItsOwnDatabase() throws {
        let version = try TestServices.psql("SELECT version()")
        XCTAssertTrue(version.hasPrefix("PostgreSQL 15."), version)
        XCTAssertEqual(try TestServices.psql("SHOW server_version_num").prefix(2), "15")

        let first = try TestServices.createDatabase(for: self)
        let second = try TestServices.createDatabase(for: self)
        XCTAssertNotEqual(first.name, second.name)
        try TestServices.psql("CREATE TABLE mark (x int); INSERT INTO mark VALUES (42)", database: first.name)
        XCTAssertEqual(try TestServices.psql("SELECT x FROM mark", database: first.name), "42")
        // The other database does not see it: tests never share state.
        XCTAssertNotEqual(try TestServices.runPsql("SELECT x FROM mark", database: second.name).status, 0)

        try first.drop()
        let left = try TestServices.psql("SELECT count(*) FROM pg_database WHERE datname = '\(first.name)'")
        XCTAssertEqual(left, "0")
    }

    /// The server checks passwords (scram-sha-256, not trust), so a test that Amana sends PGPASSWORD, or keeps it out
    /// of its output, means something.
    func testPostgresRefusesAWrongPassword() throws {
        let server = try TestServices.postgres()
        XCTAssertNotNil(server.password, "postgres.sh exports a generated PGPASSWORD")
        let wrong = try TestServices.runPsql("SELECT 1", password: "not-the-password")
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.stderr.contains("password authentication failed"), wrong.stderr)
        XCTAssertFalse(server.description.contains(server.password ?? "-"), "the description redacts the password")
        XCTAssertEqual(try TestServices.psql("SELECT 1"), "1")
    }

    /// The fault tests restart the server mid-ingest: it comes back on the same port with the same password and data.
    func testPostgresRestartKeepsItsDataPortAndPassword() throws {
        let database = try TestServices.createDatabase(for: self)
        try TestServices.psql("CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)", database: database.name)
        let before = try TestServices.psql("SELECT pg_postmaster_start_time()")
        try TestServices.restartPostgres()
        XCTAssertNotEqual(try TestServices.psql("SELECT pg_postmaster_start_time()"), before, "a new server process")
        XCTAssertEqual(try TestServices.psql("SELECT x FROM kept", database: database.name), "7")
    }

    // MARK: S3 on Ceph radosgw

    /// The fault tests stop radosgw mid-ingest: while it is down nothing answers; once restarted, every bucket and
    /// version is still there (the OSD holds them, not the gateway).
    func testRadosgwStopsAndComesBackWithItsObjects() throws {
        let bucket = try TestServices.classBucket(for: ServicesSmokeTests.self)
        let folder = TemporaryFolder()
        let put = try TestServices.s3tool(["put", bucket, key("k"), try folder.write("f", "kept\n")], as: S3Tool.Put.self)
        try TestServices.stopRadosgw()
        var restarted = false
        defer { if !restarted { try? TestServices.startRadosgw() } }
        let down = try TestServices.s3tool(["bucket-info", bucket])
        XCTAssertTrue(down.noAnswer, "radosgw answered while stopped: \(down)")
        try TestServices.startRadosgw()
        restarted = true
        let read = try TestServices.s3tool(["get", bucket, key("k"), try XCTUnwrap(put.versionId), folder.file("back")],
                                           as: S3Tool.Get.self)
        XCTAssertEqual(read.size, 5)
    }

    func testAnObjectLockBucketReportsVersioningAndLock() throws {
        let bucket = try TestServices.makeBucket(for: self)
        XCTAssertEqual(bucket.versioning, "Enabled")
        XCTAssertEqual(bucket.objectLock, "Enabled")
        XCTAssertNil(bucket.defaultRetention)

        // A bucket made without Object Lock says so: `store init` can tell the two apart.
        let plain = try TestServices.makeBucket(for: self, objectLock: false)
        XCTAssertEqual(plain.versioning, "Enabled")
        XCTAssertEqual(plain.objectLock, "Disabled")
    }

    func testAComplianceVersionCannotBeDeletedAndAnOverwriteMakesASecondVersion() throws {
        let bucket = try TestServices.classBucket(for: ServicesSmokeTests.self)
        let folder = TemporaryFolder()
        let original = try folder.write("original", "exhibit 1\n")
        let forged = try folder.write("forged", "forged\n")
        // One s3tool process, the commands in this order; "@0.versionId" is the version the first put made.
        let results = try TestServices.s3tool(batch: [
            ["put", bucket, key("e/1"), original, "--retention", "COMPLIANCE", "1"],
            ["retention", bucket, key("e/1"), "@0.versionId"],
            ["delete", bucket, key("e/1"), "@0.versionId"],
            ["delete", bucket, key("e/1"), "@0.versionId", "--bypass-governance"],
            ["set-retention", bucket, key("e/1"), "@0.versionId", "COMPLIANCE", "0"],
            ["put", bucket, key("e/1"), forged],
            ["versions", bucket, key("e/")],
            ["get", bucket, key("e/1"), "@0.versionId", folder.file("back")],
            ["delete", bucket, key("e/1")],
            ["get", bucket, key("e/1"), "@0.versionId", folder.file("again")],
        ])
        let put = try results[0].reply(S3Tool.Put.self)
        let version = try XCTUnwrap(put.versionId)
        XCTAssertEqual(put.etag, Insecure.MD5.hash(data: Data("exhibit 1\n".utf8)).hex)

        let retention = try results[1].reply(S3Tool.Retention.self)
        XCTAssertEqual(retention.mode, "COMPLIANCE")
        XCTAssertNotNil(retention.retainUntil)

        // Deleting the locked version is refused, even with the governance bypass.
        for delete in results[2...3] {
            XCTAssertFalse(delete.succeeded, "a COMPLIANCE version was deleted: \(delete)")
            XCTAssertEqual(delete.refusal?.error, "AccessDenied", "\(delete)")
            XCTAssertEqual(delete.refusal?.status, 403)
        }
        // Shortening its retention is refused too.
        XCTAssertFalse(results[4].succeeded, "\(results[4])")

        // An overwrite by anyone succeeds, as a new version; the first one is still there, byte for byte.
        let overwrite = try results[5].reply(S3Tool.Put.self)
        XCTAssertNotEqual(overwrite.versionId, version)
        let versions = try results[6].reply(S3Tool.Versions.self).versions
        XCTAssertEqual(versions.count, 2)
        XCTAssertEqual(versions.first { $0.isLatest }?.versionId, overwrite.versionId)
        let read = try results[7].reply(S3Tool.Get.self)
        XCTAssertEqual(read.versionId, version)
        XCTAssertEqual(read.sha256, SHA256.hash(data: Data("exhibit 1\n".utf8)).hex)
        XCTAssertEqual(read.objectLockMode, "COMPLIANCE")

        // A delete without a version only adds a delete marker; the locked version survives it.
        XCTAssertTrue(try results[8].reply(S3Tool.Deleted.self).deleteMarker)
        XCTAssertEqual(try results[9].reply(S3Tool.Get.self).size, 10)
    }

    func testGovernanceRetentionYieldsOnlyToTheBypass() throws {
        let bucket = try TestServices.classBucket(for: ServicesSmokeTests.self)
        let folder = TemporaryFolder()
        let file = try folder.write("f", "governed\n")
        let results = try TestServices.s3tool(batch: [
            ["put", bucket, key("g"), file, "--retention", "GOVERNANCE", "1"],
            ["delete", bucket, key("g"), "@0.versionId"],
            ["delete", bucket, key("g"), "@0.versionId", "--bypass-governance"],
            ["versions", bucket, key("g")],
        ])
        XCTAssertNotNil(try results[0].reply(S3Tool.Put.self).versionId)
        XCTAssertEqual(results[1].refusal?.error, "AccessDenied", "\(results[1])")
        XCTAssertTrue(results[2].succeeded, "\(results[2])")
        XCTAssertTrue(try results[3].reply(S3Tool.Versions.self).versions.isEmpty)
    }

    func testALegalHoldBlocksTheDeleteUntilReleased() throws {
        let bucket = try TestServices.classBucket(for: ServicesSmokeTests.self)
        let folder = TemporaryFolder()
        let file = try folder.write("f", "held\n")
        let results = try TestServices.s3tool(batch: [
            ["put", bucket, key("h"), file, "--legal-hold"],
            ["legal-hold", bucket, key("h"), "@0.versionId"],
            ["delete", bucket, key("h"), "@0.versionId"],
            ["legal-hold", bucket, key("h"), "@0.versionId", "off"],
            ["delete", bucket, key("h"), "@0.versionId"],
        ])
        XCTAssertNotNil(try results[0].reply(S3Tool.Put.self).versionId)
        XCTAssertEqual(try results[1].reply(S3Tool.LegalHold.self).legalHold, "ON")
        XCTAssertEqual(results[2].refusal?.error, "AccessDenied", "\(results[2])")
        XCTAssertEqual(try results[3].reply(S3Tool.LegalHold.self).legalHold, "OFF")
        XCTAssertTrue(results[4].succeeded, "\(results[4])")
    }

    func testTheBucketDefaultRetentionApplies() throws {
        let bucket = try TestServices.makeBucket(for: self, defaultRetention: ("COMPLIANCE", 1))
        XCTAssertEqual(bucket.defaultRetention?.mode, "COMPLIANCE")
        XCTAssertEqual(bucket.defaultRetention?.days, 1)
        let folder = TemporaryFolder()
        let file = try folder.write("f", "defaulted\n")
        // Put with no retention of its own: the bucket's default locks it.
        let results = try TestServices.s3tool(batch: [
            ["put", bucket.bucket, "d", file],
            ["retention", bucket.bucket, "d", "@0.versionId"],
            ["delete", bucket.bucket, "d", "@0.versionId"],
        ])
        XCTAssertNotNil(try results[0].reply(S3Tool.Put.self).versionId)
        let retention = try results[1].reply(S3Tool.Retention.self)
        XCTAssertEqual(retention.mode, "COMPLIANCE")
        let until = try XCTUnwrap(retention.retainUntil.flatMap { ISO8601DateFormatter().date(from: $0) })
        XCTAssertEqual(until.timeIntervalSinceNow, 86_400, accuracy: 600)
        XCTAssertEqual(results[2].refusal?.error, "AccessDenied", "\(results[2])")
    }

    func testAMultipartUploadOfTwo8MiBPartsCompletesAndAnotherIsListedAndAborted() throws {
        let bucket = try TestServices.makeBucket(for: self).bucket
        let folder = TemporaryFolder()
        let random = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/urandom"))
        defer { try? random.close() }
        let parts = try (0..<2).map { _ in Array(try XCTUnwrap(random.read(upToCount: 8 << 20))) }
        XCTAssertEqual(parts.map(\.count), [8 << 20, 8 << 20])
        let paths = try parts.enumerated().map { try folder.write("part\($0.offset + 1)", $0.element) }

        let results = try TestServices.s3tool(batch: [
            ["start-upload", bucket, "big"],
            ["upload-part", bucket, "big", "@0.uploadId", "1", paths[0]],
            ["upload-part", bucket, "big", "@0.uploadId", "2", paths[1]],
            ["list-uploads", bucket],
            ["complete-upload", bucket, "big", "@0.uploadId"],
            ["get", bucket, "big", "@4.versionId", folder.file("back")],
            ["list-uploads", bucket],
            // An upload left incomplete (a killed ingest) is listed until it is aborted, and is never an object.
            ["start-upload", bucket, "stray"],
            ["upload-part", bucket, "stray", "@7.uploadId", "1", paths[0]],
            ["list-uploads", bucket],
            ["versions", bucket, "stray"],
            ["abort-uploads", bucket],
            ["list-uploads", bucket],
        ])
        let upload = try results[0].reply(S3Tool.Upload.self)
        for index in 0..<2 {
            XCTAssertEqual(try results[1 + index].reply(S3Tool.Part.self).etag, Insecure.MD5.hash(data: parts[index]).hex)
        }
        XCTAssertEqual(try results[3].reply(S3Tool.Uploads.self).uploads.map(\.uploadId), [upload.uploadId])
        let completed = try results[4].reply(S3Tool.Completed.self)
        XCTAssertEqual(completed.parts, 2)
        let version = try XCTUnwrap(completed.versionId)
        let read = try results[5].reply(S3Tool.Get.self)
        XCTAssertEqual(read.versionId, version)
        XCTAssertEqual(read.size, 16 << 20)
        XCTAssertEqual(read.sha256, SHA256.hash(data: parts[0] + parts[1]).hex)
        XCTAssertTrue(try results[6].reply(S3Tool.Uploads.self).uploads.isEmpty)

        let stray = try results[7].reply(S3Tool.Upload.self)
        _ = try results[8].reply(S3Tool.Part.self)
        XCTAssertEqual(try results[9].reply(S3Tool.Uploads.self).uploads.map(\.key), ["stray"])
        XCTAssertTrue(try results[10].reply(S3Tool.Versions.self).versions.isEmpty)
        XCTAssertEqual(try results[11].reply(S3Tool.Aborted.self).aborted.map(\.uploadId), [stray.uploadId])
        XCTAssertTrue(try results[12].reply(S3Tool.Uploads.self).uploads.isEmpty)
    }
}

private extension Digest {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
