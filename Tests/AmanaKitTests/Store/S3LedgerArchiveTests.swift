import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// The ledger as locked objects on S3 (``S3LedgerArchive``), against a real PostgreSQL and radosgw: each committed
/// batch and checkpoint is an object named by its digest and locked; the chain read back from S3 alone is the
/// database's, whatever failed commits, forgers and overwriters left beside it (each reported).
final class S3LedgerArchiveTests: XCTestCase {
    private var fixture: OrganisationLedgerFixture!
    private var folder: TemporaryFolder!

    nonisolated(unsafe) private static var bucket: String?

    override class func setUp() {
        super.setUp()
        bucket = SharedTestBucket.make()
    }

    override class func tearDown() {
        SharedTestBucket.empty(bucket)
        bucket = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        fixture = try OrganisationLedgerFixture(self, bucket: Self.bucket)
        folder = TemporaryFolder("amana-s3ledger")
    }

    override func tearDown() {
        fixture?.close()
        fixture = nil
        folder = nil
        super.tearDown()
    }

    private func sha256(_ bytes: [UInt8]) -> String { MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex }

    private struct Refused: Error {}

    /// Lines as text, so that a failure shows them readably.
    private func text(_ lines: [[UInt8]]) -> [String] { lines.map { String(decoding: $0, as: UTF8.self) } }

    func testEachBatchAndCheckpointIsALockedObjectNamedByItsDigest() throws {
        let ledger = try fixture.ledger()
        let empty = try ledger.checkpoint(key: fixture.key)
        try ledger.append(batch: fixture.batch("a"), key: fixture.key, role: nil)
        try ledger.append(batch: fixture.batch("b", count: 3), key: fixture.key, role: nil)
        let last = try ledger.checkpoint(key: fixture.key)
        let lines = try fixture.lines(ledger)
        XCTAssertEqual(lines.count, 7)

        let first = S3LedgerArchive.batchBytes(Array(lines[0..<3])), second = S3LedgerArchive.batchBytes(Array(lines[3...]))
        XCTAssertEqual(first, Array(lines[0..<3].map { $0 + [0x0A] }.joined()), "each line followed by LF")
        let p = fixture.prefix + "/ledger/"
        let expected = [
            p + "checkpoints/000000000000-\(sha256(empty.line + [0x0A])).json",
            p + "checkpoints/000000000007-\(sha256(last.line + [0x0A])).json",
            p + "events/000000000001-000000000003-\(sha256(first)).jsonl",
            p + "events/000000000004-000000000007-\(sha256(second)).jsonl",
        ]
        let listed = try fixture.versions()
        XCTAssertEqual(listed.versions.map(\.key).sorted(), expected, "one object per batch and checkpoint, named by them")
        XCTAssertEqual(listed.deleteMarkers.count, 0)
        XCTAssertEqual(listed.versions.first { $0.key == expected[2] }?.size, first.count)

        // boto3 reads the batch back and S3 reports its lock.
        let batch = try XCTUnwrap(listed.versions.first { $0.key == expected[3] })
        let got = try TestServices.s3tool(["get", fixture.bucket, batch.key, batch.versionId, folder.file("got")],
                                          as: S3Tool.Get.self)
        XCTAssertEqual(got.sha256, sha256(second))
        XCTAssertEqual(got.objectLockMode, "GOVERNANCE")
        let checkpoint = try XCTUnwrap(listed.versions.first { $0.key == expected[1] })
        let retention = try TestServices.s3tool(["retention", fixture.bucket, checkpoint.key, checkpoint.versionId],
                                                as: S3Tool.Retention.self)
        XCTAssertEqual(retention.mode, "GOVERNANCE")
        let until = try XCTUnwrap(retention.retainUntil.flatMap(UTCTime.parseRFC3339))
        XCTAssertGreaterThan(until, Date() + 86_400 - 3_600, "retained for the policy's day")

        // Read from S3 alone: the same chain and both checkpoints, nothing else.
        let chain = try fixture.archive.read(storeID: fixture.storeID)
        XCTAssertEqual(text(try fixture.lines(chain)), text(lines))
        XCTAssertEqual(chain.checkpoints, [empty, last])
        XCTAssertEqual(chain.findings, [])
    }

    func testAFailedAppendWritesNothingWhenS3RefusesTheBatch() throws {
        let ledger = try fixture.ledger()
        try ledger.append(batch: fixture.batch("a"), key: fixture.key, role: nil)
        // The same server and keys, a bucket that is not there: every PUT is refused.
        let nowhere = S3Client(location: try S3Location.parse("s3://\(TestServices.uniqueBucketName())/x",
                                                              endpoint: fixture.server.endpoint,
                                                              region: fixture.server.region),
                               credentials: S3Credentials(accessKeyID: fixture.server.accessKey,
                                                          secretAccessKey: fixture.server.secretKey))
        defer { try? nowhere.shutdownBlocking() }
        ledger.archive = S3LedgerArchive(client: nowhere, policy: .governance(days: 1))
        XCTAssertThrowsError(try ledger.append(batch: fixture.batch("b"), key: fixture.key, role: nil))
        XCTAssertThrowsError(try ledger.checkpoint(key: fixture.key))
        XCTAssertEqual(try ledger.checkpoints(), [], "nor a checkpoint")
        XCTAssertEqual(try ledger.count(), 3, "the database never holds an event S3 lacks")
        XCTAssertEqual(try TestServices.s3tool(["versions", fixture.bucket, fixture.prefix + "/ledger/events/"],
                                               as: S3Tool.Versions.self).versions.count, 1)
    }

    func testAFailedCommitLeavesAnOrphanThatTheChainIgnoresAndReports() throws {
        let ledger = try fixture.ledger()
        try ledger.checkpoint(key: fixture.key)
        try ledger.append(batch: fixture.batch("a"), key: fixture.key, role: nil)
        // Written to S3, then the transaction rolls back: an orphan from the same head as the next append.
        XCTAssertThrowsError(try ledger.append(batch: fixture.batch("lost"), key: fixture.key, role: nil,
                                               beforeCommit: { _ in throw Refused() }))
        XCTAssertEqual(try ledger.count(), 3)
        try ledger.append(batch: fixture.batch("b", count: 1), key: fixture.key, role: nil)
        try ledger.checkpoint(key: fixture.key)
        let lines = try fixture.lines(ledger)
        let events = try fixture.versions("ledger/events/").versions.map(\.key)
        XCTAssertEqual(events.filter { $0.contains("/000000000004-") }.count, 2, "the orphan and the real batch")
        let orphan = try XCTUnwrap(events.first { $0.contains("/000000000004-000000000006-") })

        for chain in [try fixture.archive.read(storeID: fixture.storeID),
                      try fixture.archive.read(storeID: fixture.storeID) { try ledger.line(seq: $0) }] {
            XCTAssertEqual(text(try fixture.lines(chain)), text(lines), "the committed chain")
            XCTAssertEqual(chain.findings.map(\.code), [.orphan])
            XCTAssertEqual(chain.findings.first?.key, orphan)
            XCTAssertEqual(chain.checkpoints.map(\.size), [0, 5])
        }

        // An orphan at the tail, with no later batch or checkpoint: S3 alone cannot tell it from a commit whose
        // command died before its checkpoint. It is taken as it chains, and said to be unconfirmed.
        XCTAssertThrowsError(try ledger.append(batch: fixture.batch("tail", count: 1), key: fixture.key, role: nil,
                                               beforeCommit: { _ in throw Refused() }))
        let chain = try fixture.archive.read(storeID: fixture.storeID)
        XCTAssertEqual(chain.count, 7)
        XCTAssertEqual(chain.findings.map(\.code), [.orphan, .unconfirmed])
        XCTAssertFalse(StoreLedgerRestore(restoredEvents: 0, restoredCheckpoints: 0, chainEvents: 7,
                                          findings: chain.findings).hasDamage)
    }

    func testForgedOverwrittenAndDeletedLedgerObjectsAreIgnoredAndReported() throws {
        let ledger = try fixture.ledger()
        try ledger.checkpoint(key: fixture.key)
        try ledger.append(batch: fixture.batch("a"), key: fixture.key, role: nil)
        try ledger.append(batch: fixture.batch("b", count: 3), key: fixture.key, role: nil)
        try ledger.checkpoint(key: fixture.key)
        let lines = try fixture.lines(ledger)
        let real = try fixture.versions("ledger/events/").versions.map(\.key).sorted()
        XCTAssertEqual(real.count, 2)

        // With the bucket's own credentials: a fork from the real head after event 3, signed by another key...
        let forger = try SecretKey.generate(name: "Station Keeper", organization: "Test Centre")
        let forged = try PostgresLedger.sign([PostgresLedger.Pending(action: .note, items: [], details: ["text": "forged"])],
                                             after: (count: 3, lastLine: lines[2]), storeID: fixture.storeID, key: forger, role: nil)
        let fork = try fixture.archive.putBatch(firstSeq: 4, lines: forged)
        // ... a batch after the tail that does not chain...
        let unchained = try PostgresLedger.sign(fixture.batch("x", count: 1), after: (count: 7, lastLine: lines[0]),
                                                storeID: fixture.storeID, key: forger, role: nil)
        let loose = try fixture.archive.putBatch(firstSeq: 8, lines: unchained)
        // ... an overwrite of a real batch with other bytes, a stray key, and a delete (a delete marker).
        let other = try folder.write("other", Array("{\"seq\":1}\n".utf8))
        XCTAssertTrue(try TestServices.s3tool(["put", fixture.bucket, real[0], other]).succeeded)
        XCTAssertTrue(try TestServices.s3tool(["put", fixture.bucket, fixture.prefix + "/ledger/events/notes.txt", other])
            .succeeded)
        XCTAssertTrue(try TestServices.s3tool(["delete", fixture.bucket, real[1]]).succeeded)

        let chain = try fixture.archive.read(storeID: fixture.storeID)
        XCTAssertEqual(text(try fixture.lines(chain)), text(lines), "the real chain, read by the versions that hash to their names")
        XCTAssertEqual(chain.checkpoints.map(\.size), [0, 7])
        let found = chain.findings.map { "\($0.code.rawValue) \($0.key ?? "")" }.sorted()
        XCTAssertEqual(found, [
            "store.ledger.s3.malformed \(fixture.prefix)/ledger/events/notes.txt",
            "store.ledger.s3.orphan \(fork.key)",
            "store.ledger.s3.orphan \(loose.key)",
            "store.ledger.s3.overwrite \(real[0])",
            "store.ledger.s3.overwrite \(real[1])",
        ].sorted(), "\(chain.findings)")
        XCTAssertTrue(StoreLedgerRestore(restoredEvents: 0, restoredCheckpoints: 0, chainEvents: 7,
                                         findings: chain.findings).hasDamage)
    }

    func testAForkNothingDecidesIsReportedAndNotGuessed() throws {
        let ledger = try fixture.ledger(archived: false)
        try ledger.append(batch: fixture.batch("a"), key: fixture.key, role: nil)
        let lines = try fixture.lines(ledger)
        try fixture.archive.putBatch(firstSeq: 1, lines: lines)
        // Two batches from the same head, neither continued nor covered by a checkpoint.
        for label in ["left", "right"] {
            let batch = try PostgresLedger.sign(fixture.batch(label, count: 1), after: (count: 3, lastLine: lines[2]),
                                                storeID: fixture.storeID, key: fixture.key, role: nil)
            try fixture.archive.putBatch(firstSeq: 4, lines: batch)
        }
        let chain = try fixture.archive.read(storeID: fixture.storeID)
        XCTAssertEqual(text(try fixture.lines(chain)), text(lines), "the chain stops before the fork")
        XCTAssertEqual(chain.findings.map(\.code), [.ambiguous, .ambiguous, .unconfirmed])
    }
}
