import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// `store rebuild-catalog` on an organisation store whose database is lost (spec/store.md 11.4): the ledger and the
/// catalog come back from the ledger objects on S3 alone, equal to what they were, with the objects at their recorded
/// versions; a database that still holds its ledger is compared with S3 and kept.
final class OrganisationRebuildTests: XCTestCase {
    private var fixture: OrganisationLedgerFixture!
    private var folder: TemporaryFolder!
    private var objects: S3ObjectStore!
    private var station: StoreLayout!


    override class func tearDown() {
        TestServices.emptyClassBucket(for: self)
        super.tearDown()
    }

    override func setUpWithError() throws {
        fixture = try OrganisationLedgerFixture(self)
        folder = TemporaryFolder("amana-orgrebuild")
        objects = S3ObjectStore(client: fixture.client, retention: .governance(days: 1))
        let dir = folder.file("station")
        for path in [dir, dir + "/tmp"] { XCTAssertEqual(mkdir(path, 0o700), 0) }
        station = StoreLayout(root: dir)
    }

    override func tearDown() {
        objects = nil
        fixture?.close()
        fixture = nil
        folder = nil
        super.tearDown()
    }

    private struct Refused: Error {}

    /// Lines as text, so that a failure shows them readably.
    private func text(_ lines: [[UInt8]]) -> [String] { lines.map { String(decoding: $0, as: UTF8.self) } }

    /// The station's back end, as the factory builds it: catalog and ledger in the database, objects and ledger
    /// objects in the bucket.
    private func backEnd(ledgerArchive: Bool = true) -> PostgresStoreBackEnd {
        PostgresStoreBackEnd(layout: station, storeID: fixture.storeID, connection: fixture.database.config,
                             objects: objects, ledgerArchive: ledgerArchive ? fixture.archive : nil)
    }

    /// Stores `content` on S3 and returns the acquisition to record (with the version id written).
    private func acquisition(_ name: String, _ content: [UInt8], outcome: AcquisitionRecord.Outcome = .new,
                             caseID: String = "CASE-1") throws -> StoreLedger.Pending {
        let path = try folder.write(name, content)
        let source = try ReadOnlyFile(path: path)
        let ref: StoredObjectRef
        if outcome == .new {
            guard case .stored(let stored) = try objects.put(source, attempt: String(repeating: "a", count: 64),
                                                             display: name, alreadyStored: { _ in false }) else {
                throw AmanaError(.internalFailure, "\(name) was not stored")
            }
            ref = stored
        } else {
            let digests = try objects.digests(of: source, display: name)
            ref = StoredObjectRef(sha256: digests.sha256, sha512: digests.sha512, size: source.size)
        }
        var record = AcquisitionRecord(seq: 0, sha256: ref.sha256, sha512: ref.sha512, caseID: caseID,
                                       time: UTCTime.format(Date()), collector: "Station", keyID: fixture.key.keyID.description,
                                       outcome: outcome,
                                       source: SourceRecord(path: name, size: ref.size, mtime: "2026-03-01T10:00:00.000000000Z",
                                                            ctime: "2026-03-01T10:00:00.000000000Z"))
        record.versionID = outcome == .new ? ref.versionID : nil
        return StoreLedger.Pending(action: record.action, items: [record.ledgerItem], details: record.ledgerDetails)
    }

    /// An organisation store with two objects, a duplicate, a note, a failed commit's orphan and two checkpoints.
    /// Returns the catalog's snapshot and the ledger's lines.
    private func makeStore() throws -> (snapshot: [String: [[String]]], lines: [[UInt8]]) {
        let back = backEnd()
        let catalog = try back.openCatalog()
        defer { try? catalog.close() }
        let ledger = try back.openLedger(indexingInto: catalog)
        try ledger.checkpoint(key: fixture.key, time: Date())
        let photo = Array(repeating: UInt8(7), count: 5_000), video = Array("video\n".utf8)
        try ledger.append(batch: [try acquisition("photo.jpg", photo), try acquisition("video.mp4", video)],
                          key: fixture.key, role: "archivist")
        XCTAssertThrowsError(try ledger.append([StoreLedger.Pending(action: .note, items: [], details: ["text": "lost"])],
                                               key: fixture.key, role: nil, time: Date(),
                                               beforeCommit: { _ in throw Refused() }))
        try ledger.append(batch: [try acquisition("copy.jpg", photo, outcome: .duplicate, caseID: "CASE-2"),
                                  StoreLedger.Pending(action: .note, items: [], details: ["text": "done"])],
                          key: fixture.key, role: nil)
        try ledger.checkpoint(key: fixture.key, time: Date())
        var lines = [[UInt8]]()
        try ledger.forEachLine { _, line in lines.append(line) }
        return (try catalog.snapshot(), lines)
    }

    private func audit(_ ledger: PostgresLedger, file: StaticString = #filePath, line: UInt = #line) throws {
        var problems = [String]()
        let statuses = try LedgerAudit.run(storeID: fixture.storeID, lines: { try ledger.forEachLine($0) },
                                           checkpoints: { try ledger.checkpoints() }) { problems += $0.problems }
        XCTAssertEqual(problems, [], "the ledger audits clean", file: file, line: line)
        XCTAssertEqual(statuses.flatMap(\.problems), [], "every checkpoint verifies", file: file, line: line)
    }

    /// A writer's sweep aborts the incomplete uploads of killed commands once they are older than the age, but
    /// never one whose content a station claims (a slow upload may still be at work).
    func testTheSweepAbortsAbandonedUploadsButNotClaimedOnes() throws {
        let client = fixture.client
        let abandoned = String(repeating: "a", count: 64), claimed = String(repeating: "b", count: 64)
        for key in [objects.objectKey(abandoned), objects.objectKey(claimed)] {
            _ = try S3Blocking.run { try await client.createMultipartUpload(key: key, lock: nil) }
        }
        let session = try PostgresSession(config: fixture.database.config)
        defer { try? session.close() }
        let claims = try PostgresClaims(session: session)
        XCTAssertEqual(try claims.claim(sha256: claimed, station: "slow"), .won)
        let station = backEnd()
        defer { PostgresStoreBackEnd.abandonedUploadAge = 86_400 }
        PostgresStoreBackEnd.abandonedUploadAge = 3600
        XCTAssertEqual(station.abortAbandonedUploads(), 0, "younger than the age")
        PostgresStoreBackEnd.abandonedUploadAge = -60
        XCTAssertEqual(station.abortAbandonedUploads(), 1)
        let prefix = objects.objectsPrefix
        let left = try S3Blocking.run { try await client.listMultipartUploads(prefix: prefix) }
        XCTAssertEqual(left.map(\.key), [objects.objectKey(claimed)], "the claimed upload is kept")
        try claims.release(sha256: claimed, station: "slow")
        XCTAssertEqual(station.abortAbandonedUploads(), 1)
        XCTAssertEqual(try S3Blocking.run { try await client.listMultipartUploads(prefix: prefix) }.count, 0)
    }

    func testADroppedDatabaseIsRestoredFromS3AloneAndTheLedgerChainsOn() throws {
        let (before, lines) = try makeStore()
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(before["objects"]?.count, 2)
        XCTAssertTrue(before["objects"]?.allSatisfy { $0.last != "NULL" } ?? false, "version ids recorded")

        // The database is lost: dropped, and a new empty one made at the same URL.
        let name = fixture.database.config.database
        let admin = try PostgresSession(config: fixture.database.admin)
        try admin.query("DROP DATABASE \(name) WITH (FORCE)")
        try admin.query("CREATE DATABASE \(name)")
        try admin.close()

        let started = Date()
        let rebuilt = try EvidenceStore.rebuildCatalog(backEnd: backEnd())
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(rebuilt.events, 4)
        XCTAssertEqual(rebuilt.objects, 2)
        XCTAssertEqual(rebuilt.missing, [], "each new object is there at its recorded version")
        let restore = try XCTUnwrap(rebuilt.ledger)
        XCTAssertEqual(restore.restoredEvents, 4)
        XCTAssertEqual(restore.restoredCheckpoints, 2)
        XCTAssertEqual(restore.findings.map(\.code), [.orphan], "the failed commit's batch, named: \(restore.findings)")
        XCTAssertFalse(restore.hasDamage)
        print("rebuild from s3: \(String(format: "%.2f", elapsed)) s")

        let ledger = try fixture.ledger()
        XCTAssertEqual(text(try fixture.lines(ledger)), text(lines), "the ledger byte for byte")
        XCTAssertEqual(try PostgresCatalog(session: ledger.session).snapshot(), before, "the catalog row for row")
        try audit(ledger)

        // An ingest after the rebuild chains on, and is mirrored to S3 in turn.
        let back = backEnd()
        let catalog = try back.openCatalog()
        defer { try? catalog.close() }
        let appended = try back.openLedger(indexingInto: catalog)
            .append(batch: [try acquisition("later.txt", Array("later\n".utf8))], key: fixture.key, role: nil)
        XCTAssertEqual(appended.map(\.event.seq), [5])
        try audit(ledger)
        XCTAssertEqual(try fixture.archive.read(storeID: fixture.storeID).count, 5)

        // A second rebuild finds the database's ledger, compares it with S3's and keeps it.
        let again = try EvidenceStore.rebuildCatalog(backEnd: backEnd())
        XCTAssertEqual(again.events, 5)
        XCTAssertEqual(again.ledger?.restoredEvents, 0)
        XCTAssertEqual(again.ledger?.findings.map(\.code), [.orphan, .unconfirmed])
        XCTAssertFalse(again.ledger?.hasDamage ?? true)
    }

    func testADatabaseEventThatS3LacksIsReportedAndTheLedgerKept() throws {
        let (_, lines) = try makeStore()
        // An append that bypassed the ledger objects (a station without them).
        let bare = try fixture.ledger(archived: false)
        try bare.append(batch: fixture.batch("bare", count: 1), key: fixture.key, role: nil)
        let rebuilt = try EvidenceStore.rebuildCatalog(backEnd: backEnd())
        XCTAssertEqual(rebuilt.events, lines.count + 2, "the catalog is rebuilt from the database's ledger")
        let restore = try XCTUnwrap(rebuilt.ledger)
        XCTAssertEqual(restore.restoredEvents, 0)
        XCTAssertTrue(restore.findings.contains { $0.code == .missing && $0.message.contains("event 5") }, "\(restore.findings)")
        XCTAssertTrue(restore.hasDamage)
        XCTAssertEqual(try bare.count(), lines.count + 2, "the ledger is left as it is")
    }

    func testADatabaseThatLostItsLastCommitsGetsThemBackFromS3() throws {
        let (before, lines) = try makeStore()
        // As a database brought back from an old backup: its last events and checkpoint are gone.
        let ledger = try fixture.ledger()
        try ledger.session.query("DELETE FROM store_ledger WHERE seq > 2")
        try ledger.session.query("DELETE FROM store_checkpoints WHERE size > 2")
        let rebuilt = try EvidenceStore.rebuildCatalog(backEnd: backEnd())
        let restore = try XCTUnwrap(rebuilt.ledger)
        XCTAssertEqual(restore.restoredEvents, 2, "the events a checkpoint on S3 covers")
        XCTAssertEqual(restore.restoredCheckpoints, 1)
        XCTAssertEqual(restore.findings.map(\.code), [.orphan], "\(restore.findings)")
        XCTAssertEqual(text(try fixture.lines(ledger)), text(lines))
        XCTAssertEqual(try PostgresCatalog(session: ledger.session).snapshot(), before)
        try audit(ledger)
    }

    func testAnObjectMissingAtItsRecordedVersionIsReported() throws {
        _ = try makeStore()
        let item = try XCTUnwrap(try PostgresCatalog(session: try PostgresSession(config: fixture.database.config))
            .items(caseID: nil).first)
        // Deleting the version is refused (governance retention); bypassing it is what an administrator could do.
        let key = objects.objectKey(item.sha256)
        let version = try XCTUnwrap(item.first.versionID)
        XCTAssertFalse(try TestServices.s3tool(["delete", fixture.bucket, key, version]).succeeded, "locked")
        XCTAssertTrue(try TestServices.s3tool(["delete", fixture.bucket, key, version, "--bypass-governance"]).succeeded)
        let rebuilt = try EvidenceStore.rebuildCatalog(backEnd: backEnd())
        XCTAssertEqual(rebuilt.missing, [item.sha256])
    }
}
