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
        let bucket = try TestServices.makeBucket(for: self).bucket
        let folder = TemporaryFolder()
        let put = try TestServices.s3tool(["put", bucket, "k", try folder.write("f", "kept\n")], as: S3Tool.Put.self)
        try TestServices.stopRadosgw()
        var restarted = false
        defer { if !restarted { try? TestServices.startRadosgw() } }
        let down = try TestServices.s3tool(["bucket-info", bucket])
        XCTAssertTrue(down.noAnswer, "radosgw answered while stopped: \(down)")
        try TestServices.startRadosgw()
        restarted = true
        let read = try TestServices.s3tool(["get", bucket, "k", try XCTUnwrap(put.versionId), folder.file("back")],
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
        let bucket = try TestServices.makeBucket(for: self).bucket
        let folder = TemporaryFolder()
        let original = try folder.write("original", "exhibit 1\n")
        let put = try TestServices.s3tool(["put", bucket, "e/1", original, "--retention", "COMPLIANCE", "1"],
                                          as: S3Tool.Put.self)
        let version = try XCTUnwrap(put.versionId)
        XCTAssertEqual(put.etag, Insecure.MD5.hash(data: Data("exhibit 1\n".utf8)).hex)

        let retention = try TestServices.s3tool(["retention", bucket, "e/1", version], as: S3Tool.Retention.self)
        XCTAssertEqual(retention.mode, "COMPLIANCE")
        XCTAssertNotNil(retention.retainUntil)

        // Deleting the locked version is refused, even with the governance bypass.
        for extra in [[], ["--bypass-governance"]] {
            let delete = try TestServices.s3tool(["delete", bucket, "e/1", version] + extra)
            XCTAssertFalse(delete.succeeded, "a COMPLIANCE version was deleted: \(delete)")
            XCTAssertEqual(delete.refusal?.error, "AccessDenied", "\(delete)")
            XCTAssertEqual(delete.refusal?.status, 403)
        }
        // Shortening its retention is refused too.
        XCTAssertFalse(try TestServices.s3tool(["set-retention", bucket, "e/1", version, "COMPLIANCE", "0"]).succeeded)

        // An overwrite by anyone succeeds, as a new version; the first one is still there, byte for byte.
        let forged = try folder.write("forged", "forged\n")
        let overwrite = try TestServices.s3tool(["put", bucket, "e/1", forged], as: S3Tool.Put.self)
        XCTAssertNotEqual(overwrite.versionId, version)
        let versions = try TestServices.s3tool(["versions", bucket, "e/"], as: S3Tool.Versions.self).versions
        XCTAssertEqual(versions.count, 2)
        XCTAssertEqual(versions.first { $0.isLatest }?.versionId, overwrite.versionId)
        let read = try TestServices.s3tool(["get", bucket, "e/1", version, folder.file("back")], as: S3Tool.Get.self)
        XCTAssertEqual(read.sha256, SHA256.hash(data: Data("exhibit 1\n".utf8)).hex)
        XCTAssertEqual(read.objectLockMode, "COMPLIANCE")

        // A delete without a version only adds a delete marker; the locked version survives it.
        let marker = try TestServices.s3tool(["delete", bucket, "e/1"], as: S3Tool.Deleted.self)
        XCTAssertTrue(marker.deleteMarker)
        XCTAssertEqual(try TestServices.s3tool(["get", bucket, "e/1", version, folder.file("again")],
                                               as: S3Tool.Get.self).size, 10)
    }

    func testGovernanceRetentionYieldsOnlyToTheBypass() throws {
        let bucket = try TestServices.makeBucket(for: self).bucket
        let folder = TemporaryFolder()
        let file = try folder.write("f", "governed\n")
        let version = try XCTUnwrap(try TestServices.s3tool(["put", bucket, "g", file, "--retention", "GOVERNANCE", "1"],
                                                            as: S3Tool.Put.self).versionId)
        let refused = try TestServices.s3tool(["delete", bucket, "g", version])
        XCTAssertEqual(refused.refusal?.error, "AccessDenied", "\(refused)")
        let bypassed = try TestServices.s3tool(["delete", bucket, "g", version, "--bypass-governance"])
        XCTAssertTrue(bypassed.succeeded, "\(bypassed)")
        XCTAssertTrue(try TestServices.s3tool(["versions", bucket, "g"], as: S3Tool.Versions.self).versions.isEmpty)
    }

    func testALegalHoldBlocksTheDeleteUntilReleased() throws {
        let bucket = try TestServices.makeBucket(for: self).bucket
        let folder = TemporaryFolder()
        let file = try folder.write("f", "held\n")
        let version = try XCTUnwrap(try TestServices.s3tool(["put", bucket, "h", file, "--legal-hold"],
                                                            as: S3Tool.Put.self).versionId)
        XCTAssertEqual(try TestServices.s3tool(["legal-hold", bucket, "h", version], as: S3Tool.LegalHold.self).legalHold,
                       "ON")
        XCTAssertEqual(try TestServices.s3tool(["delete", bucket, "h", version]).refusal?.error, "AccessDenied")
        _ = try TestServices.s3tool(["legal-hold", bucket, "h", version, "off"], as: S3Tool.LegalHold.self)
        XCTAssertTrue(try TestServices.s3tool(["delete", bucket, "h", version]).succeeded)
    }

    func testTheBucketDefaultRetentionApplies() throws {
        let bucket = try TestServices.makeBucket(for: self, defaultRetention: ("COMPLIANCE", 1))
        XCTAssertEqual(bucket.defaultRetention?.mode, "COMPLIANCE")
        XCTAssertEqual(bucket.defaultRetention?.days, 1)
        let folder = TemporaryFolder()
        let file = try folder.write("f", "defaulted\n")
        // Put with no retention of its own: the bucket's default locks it.
        let version = try XCTUnwrap(try TestServices.s3tool(["put", bucket.bucket, "d", file],
                                                            as: S3Tool.Put.self).versionId)
        let retention = try TestServices.s3tool(["retention", bucket.bucket, "d", version], as: S3Tool.Retention.self)
        XCTAssertEqual(retention.mode, "COMPLIANCE")
        let until = try XCTUnwrap(retention.retainUntil.flatMap { ISO8601DateFormatter().date(from: $0) })
        XCTAssertEqual(until.timeIntervalSinceNow, 86_400, accuracy: 600)
        XCTAssertEqual(try TestServices.s3tool(["delete", bucket.bucket, "d", version]).refusal?.error, "AccessDenied")
    }

    func testAMultipartUploadOfTwo8MiBPartsCompletesAndAnotherIsListedAndAborted() throws {
        let bucket = try TestServices.makeBucket(for: self).bucket
        let folder = TemporaryFolder()
        let random = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/urandom"))
        defer { try? random.close() }
        let parts = try (0..<2).map { _ in Array(try XCTUnwrap(random.read(upToCount: 8 << 20))) }
        XCTAssertEqual(parts.map(\.count), [8 << 20, 8 << 20])
        let paths = try parts.enumerated().map { try folder.write("part\($0.offset + 1)", $0.element) }

        let upload = try TestServices.s3tool(["start-upload", bucket, "big"], as: S3Tool.Upload.self)
        for (index, path) in paths.enumerated() {
            let part = try TestServices.s3tool(["upload-part", bucket, "big", upload.uploadId, "\(index + 1)", path],
                                               as: S3Tool.Part.self)
            XCTAssertEqual(part.etag, Insecure.MD5.hash(data: parts[index]).hex)
        }
        let listed = try TestServices.s3tool(["list-uploads", bucket], as: S3Tool.Uploads.self).uploads
        XCTAssertEqual(listed.map(\.uploadId), [upload.uploadId])
        let completed = try TestServices.s3tool(["complete-upload", bucket, "big", upload.uploadId],
                                                as: S3Tool.Completed.self)
        XCTAssertEqual(completed.parts, 2)
        let version = try XCTUnwrap(completed.versionId)
        let read = try TestServices.s3tool(["get", bucket, "big", version, folder.file("back")], as: S3Tool.Get.self)
        XCTAssertEqual(read.size, 16 << 20)
        XCTAssertEqual(read.sha256, SHA256.hash(data: parts[0] + parts[1]).hex)
        XCTAssertTrue(try TestServices.s3tool(["list-uploads", bucket], as: S3Tool.Uploads.self).uploads.isEmpty)

        // An upload left incomplete (a killed ingest) is listed until it is aborted, and is never an object.
        let stray = try TestServices.s3tool(["start-upload", bucket, "stray"], as: S3Tool.Upload.self)
        _ = try TestServices.s3tool(["upload-part", bucket, "stray", stray.uploadId, "1", paths[0]], as: S3Tool.Part.self)
        XCTAssertEqual(try TestServices.s3tool(["list-uploads", bucket], as: S3Tool.Uploads.self).uploads.map(\.key),
                       ["stray"])
        XCTAssertTrue(try TestServices.s3tool(["versions", bucket, "stray"], as: S3Tool.Versions.self).versions.isEmpty)
        let aborted = try TestServices.s3tool(["abort-uploads", bucket], as: S3Tool.Aborted.self).aborted
        XCTAssertEqual(aborted.map(\.uploadId), [stray.uploadId])
        XCTAssertTrue(try TestServices.s3tool(["list-uploads", bucket], as: S3Tool.Uploads.self).uploads.isEmpty)
    }
}

private extension Digest {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
