import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Another writer with the store's own S3 credentials (boto3, the tests' independent client) tries to delete,
/// overwrite and un-retain stored objects of an organisation store: the deletes Object Lock forbids fail, `store
/// verify` reports the rest, and the store keeps reading, showing and sealing the versions it recorded.
final class OrganisationStoreTamperCLITests: XCTestCase {
    private var org: OrganisationCLIFixture!

    override func setUpWithError() throws {
        org = try OrganisationCLIFixture(self)
    }

    override func tearDown() {
        org = nil
        super.tearDown()
    }

    override class func tearDown() {
        OrganisationCLIFixture.dropBucket(of: self)
        super.tearDown()
    }

    /// The version id the store recorded for `sha256`'s object: the only version under its key right after ingest.
    private func storedVersion(_ sha256: String) throws -> String {
        let listed = try TestServices.s3tool(["versions", org.bucket, "\(org.prefix)/objects/sha256/\(sha256)"],
                                             as: S3Tool.Versions.self)
        XCTAssertEqual(listed.versions.count, 1, "\(listed.versions.map(\.versionId))")
        return try XCTUnwrap(listed.versions.first?.versionId)
    }

    /// COMPLIANCE: the stored version cannot be deleted, even with the bypass; an overwrite and a delete marker are
    /// reported as `store.object.overwritten`, the objects still re-hash intact, and a bundle sealed afterwards holds
    /// the recorded bytes and verifies TOTAL-PASSED.
    func testOverwriteAndDeleteByAnotherWriterAreReportedAndNeverRead() throws {
        let station = org.folder.file("station")
        let made = try org.run(org.initArguments(station, retention: ["--retention", "compliance", "--retain-days", "1"]))
        XCTAssertEqual(made.status, 0, "\(made)")
        let testimony = "the testimony as recorded\n", caption = "a caption\n"
        try org.ingest(["testimony.txt": testimony, "caption.txt": caption], into: station, folder: "input")
        let a = org.sha256(testimony), b = org.sha256(caption)
        let keyA = "\(org.prefix)/objects/sha256/\(a)", keyB = "\(org.prefix)/objects/sha256/\(b)"
        let versionA = try storedVersion(a)

        // Deleting the recorded version fails under COMPLIANCE, with or without the bypass.
        for extra in [[], ["--bypass-governance"]] {
            let refused = try TestServices.s3tool(["delete", org.bucket, keyA, versionA] + extra)
            XCTAssertEqual(refused.run.status, 1, "the delete must be refused: \(refused)")
        }
        // An overwrite (a new version) and a delete without a version (a delete marker).
        let forged = org.folder.file("forged.txt")
        try org.write(forged, "a forged testimony\n")
        let overwrite = try TestServices.s3tool(["put", org.bucket, keyA, forged], as: S3Tool.Put.self)
        let marker = try TestServices.s3tool(["delete", org.bucket, keyB], as: S3Tool.Deleted.self)
        XCTAssertTrue(marker.deleteMarker)

        let verify = try org.run(["store", "verify", "--store", station])
        XCTAssertEqual(verify.status, 1, "\(verify)")
        XCTAssertTrue(verify.stdout.contains("OVERWRITTEN sha256:\(a) store.object.overwritten: another writer put version \(overwrite.versionId ?? "?")"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains("OVERWRITTEN sha256:\(b) store.object.overwritten: another writer put a delete marker \(marker.versionId ?? "?")"), verify.stdout)
        XCTAssertFalse(verify.stdout.contains("DAMAGED"), "the recorded versions are intact: \(verify.stdout)")
        XCTAssertTrue(verify.stdout.contains("against their SHA-256 and SHA-512, read from S3 by version id: 2 OVERWRITTEN\n")
                      || verify.stdout.contains(": 2 OVERWRITTEN\n"), verify.stdout)

        let show = try org.run(["store", "show", "sha256:\(a)", "--store", station])
        XCTAssertEqual(show.status, 0, "\(show)")
        XCTAssertTrue(show.stdout.contains("size: \(testimony.utf8.count) bytes"), show.stdout)

        // seal --store stages each object by its recorded version, so the bundle holds the recorded bytes.
        let bundle = org.folder.file("case.tar")
        let sealed = try org.run(["seal", "--store", station, "--case", "CASE-ORG", "--key", org.key, "--output", bundle])
        XCTAssertEqual(sealed.status, 0, "\(sealed)")
        let (status, report) = try org.cli.verifyJSON(bundle)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(report.verdict, "TOTAL-PASSED")
        let tar = try TestEnvironment.requireTool("tar")
        let entries = try runTool(tar, ["-tf", bundle]).stdout.split(separator: "\n").map(String.init)
        let entry = try XCTUnwrap(entries.first { $0.hasSuffix("data/testimony.txt") }, "\(entries)")
        XCTAssertEqual(try runTool(tar, ["-xOf", bundle, entry]).stdout, testimony)
        let staged = try FileManager.default.contentsOfDirectory(atPath: station + "/tmp")
        XCTAssertEqual(staged.filter { $0.contains("staged") }, [], "staged copies removed")
        // A seal that fails once its payload is written from the staged copies (the TSA cannot be reached) removes
        // them too.
        let failed = try org.run(["seal", "--store", station, "--case", "CASE-ORG", "--key", org.key,
                                  "--output", org.folder.file("failed.tar"), "--tsa", "http://127.0.0.1:9"])
        XCTAssertNotEqual(failed.status, 0, "\(failed)")
        XCTAssertTrue(failed.stderr.contains("the TSA http://127.0.0.1:9 cannot be reached"), failed.stderr)
        let left = try FileManager.default.contentsOfDirectory(atPath: station + "/tmp")
        XCTAssertEqual(left.filter { $0.contains("staged") }, [], "staged copies removed after a failure")
    }

    /// GOVERNANCE: a privileged writer shortens one object's retention (reported as `store.object.retention`) and
    /// deletes another's recorded version with the bypass (reported as `store.object.missing`).
    func testShortenedRetentionAndABypassedDeleteAreReported() throws {
        let station = org.folder.file("station")
        XCTAssertEqual(try org.run(org.initArguments(station)).status, 0)
        let kept = "kept\n", cut = "retention cut\n", gone = "deleted with the bypass\n"
        try org.ingest(["kept.txt": kept, "cut.txt": cut, "gone.txt": gone], into: station, folder: "input")
        let cutVersion = try storedVersion(org.sha256(cut))
        let goneVersion = try storedVersion(org.sha256(gone))
        let lowered = try TestServices.s3tool(["set-retention", org.bucket, "\(org.prefix)/objects/sha256/\(org.sha256(cut))",
                                               cutVersion, "GOVERNANCE", "0.5", "--bypass-governance"],
                                              as: S3Tool.Retention.self)
        XCTAssertEqual(lowered.mode, "GOVERNANCE")
        let deleted = try TestServices.s3tool(["delete", org.bucket, "\(org.prefix)/objects/sha256/\(org.sha256(gone))",
                                               goneVersion, "--bypass-governance"])
        XCTAssertEqual(deleted.run.status, 0, "GOVERNANCE yields to the bypass: \(deleted)")

        let verify = try org.run(["store", "verify", "--store", station])
        XCTAssertEqual(verify.status, 1, "\(verify)")
        XCTAssertTrue(verify.stdout.contains("DAMAGED sha256:\(org.sha256(cut)) store.object.retention: retained only until "), verify.stdout)
        XCTAssertTrue(verify.stdout.contains("DAMAGED sha256:\(org.sha256(gone)) store.object.missing"), verify.stdout)
        XCTAssertFalse(verify.stdout.contains("sha256:\(org.sha256(kept)) "), "the untouched object is fine: \(verify.stdout)")
    }
}
