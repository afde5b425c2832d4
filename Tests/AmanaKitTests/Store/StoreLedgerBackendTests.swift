import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// The ledger seam: the back end numbers and chains what a caller hands over from its own head, runs the
/// `beforeCommit` hook before anything is durable, and indexes what it appended in the catalog itself.
final class StoreLedgerBackendTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var key: SecretKey!

    override func setUpWithError() throws {
        folder = TemporaryFolder("amana-ledger-backend")
        key = try SecretKey.generate(name: "Keeper", organization: nil)
        try EvidenceStore.create(at: folder.file("store"), key: key)
    }

    override func tearDown() {
        folder = nil
        super.tearDown()
    }

    private func pending(_ note: String) -> StoreLedger.Pending {
        StoreLedger.Pending(action: .verified, items: [], details: ["scope": "store", "note": note])
    }

    func testTheLocalLedgerKeepsTheLedgerBackendContract() throws {
        let store = try EvidenceStore.open(folder.file("store"), writing: true)
        try StoreLedgerBackendContract.run(try store.ledger(), catalog: store.catalog, key: key)
        // What the contract appended is what the file holds, and `store log`'s audit agrees.
        var problems = [[String]]()
        _ = try store.auditLedger { problems.append($0.problems) }
        XCTAssertEqual(problems, [[], [], []])
        XCTAssertEqual(try readBytes(store.layout.ledgerPath).filter { $0 == 0x0A }.count, 3)
    }

    /// The organisation store's ledger, in PostgreSQL, keeps the same contract: it signs from the database's head,
    /// runs the hook inside its transaction, and indexes into the catalog tables in that transaction.
    func testThePostgresLedgerKeepsTheLedgerBackendContract() throws {
        let database = try TestServices.createDatabase(for: self)
        let catalog = try PostgresCatalog(config: database.config)
        defer { try? catalog.close() }
        let ledger = PostgresLedgerBackend(ledger: try PostgresLedger(session: catalog.session,
                                                                      storeID: CatalogFixture.storeID))
        try StoreLedgerBackendContract.run(ledger, catalog: catalog, key: key)
    }

    /// Another station appends between two of this one's appends: the next event is numbered and chained from the
    /// database's head, never from what this process saw last.
    func testThePostgresLedgerSignsFromTheDatabasesHeadNotACachedOne() throws {
        let database = try TestServices.createDatabase(for: self)
        let here = try PostgresCatalog(config: database.config)
        let there = try PostgresCatalog(config: database.config)
        defer { try? here.close(); try? there.close() }
        let mine = PostgresLedgerBackend(ledger: try PostgresLedger(session: here.session, storeID: CatalogFixture.storeID))
        let theirs = PostgresLedgerBackend(ledger: try PostgresLedger(session: there.session,
                                                                      storeID: CatalogFixture.storeID))
        try mine.append(batch: [pending("one")], key: key, role: nil)
        XCTAssertEqual(try mine.head().count, 1)
        let other = try theirs.append(batch: [pending("two"), pending("three")], key: key, role: nil)
        let next = try mine.append(batch: [pending("four")], key: key, role: nil)
        XCTAssertEqual(next[0].event.seq, 4)
        XCTAssertEqual(next[0].event.prev, CustodyLog.chainValue(after: other[1].line))
        XCTAssertEqual(try here.indexedThrough(), 4)
        var problems = [[String]]()
        _ = try LedgerAudit.run(storeID: CatalogFixture.storeID, lines: { try mine.forEachLine($0) },
                                checkpoints: { try mine.checkpoints() }) { problems.append($0.problems) }
        XCTAssertEqual(problems, [[], [], [], []])
    }

    /// The version id a versioned back end returns travels in the signed event, so a rebuild restores it, and a ref
    /// made from the acquisition names it; a local acquisition carries none.
    func testAnObjectsVersionIdTravelsInItsEvent() throws {
        let store = try EvidenceStore.open(folder.file("store"), writing: true)
        let source = SourceRecord(path: "DCIM/a.jpg", size: 10, mtime: "2026-01-01T00:00:00.000000000Z",
                                  ctime: "2026-01-01T00:00:00.000000000Z")
        var record = AcquisitionRecord(seq: 0, sha256: String(repeating: "a", count: 64),
                                       sha512: String(repeating: "b", count: 128), caseID: "C", time: "",
                                       collector: "X", keyID: key.keyID.description, outcome: .new, source: source)
        XCTAssertNil(record.ledgerDetails["object.versionId"])
        record.versionID = "3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo"
        let (event, _) = try store.ledger().append(record.action, items: [record.ledgerItem],
                                                   details: record.ledgerDetails, key: key, role: nil)
        let read = try XCTUnwrap(AcquisitionRecord(seq: event.seq, event: event))
        XCTAssertEqual(read.versionID, record.versionID)
        XCTAssertEqual(StoredObjectRef(read), StoredObjectRef(sha256: record.sha256, sha512: record.sha512, size: 10,
                                                              versionID: record.versionID))
        var tampered = event
        tampered.details["object.versionId"] = "a version\nwith a line break"
        XCTAssertNil(AcquisitionRecord(seq: 1, event: tampered)?.versionID, "only a plain token is taken as a version id")
    }

    /// A writer whose in-memory head is behind the file (another process appended meanwhile) is exactly what the
    /// store lock rules out locally; the seq in each acquisition comes from the append, which the audit proves.
    func testIngestTakesEachEventsNumberFromTheAppend() throws {
        try folder.write("card/a.bin", Array(repeating: 1, count: 3_000))
        try folder.write("card/b.bin", Array(repeating: 2, count: 4_000))
        do {
            let store = try EvidenceStore.open(folder.file("store"), writing: true)
            let ledger = try store.ledger()
            try ledger.append([pending("before the ingest")], key: key, role: nil, time: Date(), beforeCommit: { _ in })
            let ingester = Ingester(store: store, request: IngestRequest(sources: [folder.file("card")], caseID: "C",
                                                                          collector: "X", key: key))
            _ = try ingester.run(ingester.plan())
        }
        let store = try EvidenceStore.open(folder.file("store"), writing: false)
        let items = try store.catalog.items(caseID: "C")
        XCTAssertEqual(items.map(\.first.seq), [2, 3])
        var entries = [LedgerAudit.Entry]()
        _ = try store.auditLedger { entries.append($0) }
        XCTAssertEqual(entries.map(\.problems), [[], [], []])
        XCTAssertEqual(entries.map { $0.event?.seq }, [1, 2, 3])
    }
}
