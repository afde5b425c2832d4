import AmanaTestSupport
import Foundation
import GRDB
import XCTest
@testable import AmanaKit

/// One set of catalog tests, run against every back end: SQLite, then PostgreSQL. Each test body is written once and
/// called with each catalog in turn, so a behaviour one back end has and the other lacks fails here. The PostgreSQL
/// half needs the test server (``TestServices``): without it the SQLite half still runs, then the test skips.
final class CatalogConformanceTests: XCTestCase {
    enum Backend: String { case sqlite, postgres }

    private var folder: TemporaryFolder!
    private var fixture: CatalogFixture!

    override func setUpWithError() throws {
        folder = TemporaryFolder("amana-catalog")
        fixture = try CatalogFixture()
    }

    override func tearDown() {
        folder = nil
        super.tearDown()
    }

    /// Runs `body` with a new, empty catalog of each back end.
    private func eachBackend(_ body: (Backend, Catalog) throws -> Void) throws {
        let sqlite = try SQLiteCatalog(path: folder.file("catalog-\(UUID().uuidString).sqlite"))
        try body(.sqlite, sqlite)
        try sqlite.close()
        let database = try TestServices.createDatabase(for: self)
        let postgres = try PostgresCatalog(config: database.config)
        defer { try? postgres.close() }
        try body(.postgres, postgres)
    }

    private func indexFixture(_ catalog: Catalog) throws {
        // The first events one by one, the rest as one batch: both entry points.
        for entry in fixture.entries.prefix(3) { try catalog.index(seq: entry.seq, event: entry.event, line: entry.line) }
        try catalog.index(batch: Array(fixture.entries.dropFirst(3)))
    }

    /// The acquisition as the catalog should give it back: every field of the event, the record digest aside
    /// (the catalog keeps that in derived_records).
    private func expected(_ seq: Int) -> AcquisitionRecord {
        let entry = fixture.entries[seq - 1]
        var record = AcquisitionRecord(seq: seq, event: entry.event)!
        record.metadataRecord = nil
        return record
    }

    func testAnEmptyCatalogHasNothing() throws {
        try eachBackend { backend, catalog in
            XCTAssertEqual(try catalog.indexedThrough(), 0, backend.rawValue)
            XCTAssertEqual(try catalog.items(caseID: nil), [], backend.rawValue)
            XCTAssertNil(try catalog.item(sha256: fixture.photo), backend.rawValue)
            XCTAssertFalse(try catalog.hasItem(size: 0), backend.rawValue)
            let snapshot = try catalog.snapshot()
            XCTAssertEqual(snapshot.keys.sorted(), CatalogSchema.tables.map(\.name).sorted(), backend.rawValue)
            XCTAssertTrue(snapshot.values.allSatisfy(\.isEmpty), backend.rawValue)
        }
    }

    func testItemsAreOrderedByFirstAcquisitionWithTheirCasesInByteOrder() throws {
        try eachBackend { backend, catalog in
            try indexFixture(catalog)
            XCTAssertEqual(try catalog.indexedThrough(), fixture.entries.count, backend.rawValue)
            let all = try catalog.items(caseID: nil)
            XCTAssertEqual(all.map(\.sha256), [fixture.photo, fixture.video, fixture.document], backend.rawValue)
            // "CASE-10" sorts before "CASE-2" byte by byte, whatever the database's locale.
            XCTAssertEqual(all.map(\.cases), [["CASE-1", "CASE-10"], ["CASE-1"], ["CASE-2"]], backend.rawValue)
            XCTAssertEqual(all[0].size, 3_000_000_000, backend.rawValue)
            XCTAssertEqual(all[0].first, expected(1), backend.rawValue)
            XCTAssertEqual(all[0].sha512, CatalogFixture.digests("photo").sha512, backend.rawValue)
            XCTAssertEqual(try catalog.items(caseID: "CASE-10").map(\.sha256), [fixture.photo], backend.rawValue)
            XCTAssertEqual(try catalog.items(caseID: "CASE-1").map(\.sha256), [fixture.photo, fixture.video],
                           backend.rawValue)
            // A case named only by a seal has no items.
            XCTAssertEqual(try catalog.items(caseID: "CASE-3"), [], backend.rawValue)
            XCTAssertEqual(try catalog.items(caseID: "no such case"), [], backend.rawValue)
            XCTAssertEqual(try catalog.item(sha256: fixture.video)?.first, expected(2), backend.rawValue)
            XCTAssertEqual(try catalog.item(sha256: fixture.video)?.cases, ["CASE-1"], backend.rawValue)
            XCTAssertNil(try catalog.item(sha256: String(repeating: "0", count: 64)), backend.rawValue)
        }
    }

    func testAcquisitionsComeBackFieldForFieldInLedgerOrder() throws {
        try eachBackend { backend, catalog in
            try indexFixture(catalog)
            let photo = try catalog.acquisitions(sha256: fixture.photo)
            XCTAssertEqual(photo, [expected(1), expected(4)], backend.rawValue)
            XCTAssertEqual(photo.map(\.outcome), [.new, .duplicate], backend.rawValue)
            XCTAssertEqual(photo.map(\.recognisedByIdentity), [false, true], backend.rawValue)
            XCTAssertEqual(photo[0].source.inode, 1 << 40, backend.rawValue)
            XCTAssertEqual(photo[0].note, "first card, line\nbreak", backend.rawValue)
            XCTAssertEqual(photo[0].role, "investigator", backend.rawValue)
            XCTAssertEqual(try catalog.acquisitions(sha256: fixture.document), [expected(6)], backend.rawValue)
            XCTAssertEqual(try catalog.acquisitions(sourcePath: "docs/Zeugenaussage ü.pdf"), [expected(6)],
                           backend.rawValue)
            XCTAssertEqual(try catalog.acquisitions(sourcePath: "DCIM/IMG_0001.JPG"), [expected(1)], backend.rawValue)
            XCTAssertEqual(try catalog.acquisitions(sourcePath: "nowhere"), [], backend.rawValue)
        }
    }

    func testTheRerunLookupMatchesTheWholeIdentityWithNullVolumesEqual() throws {
        try eachBackend { backend, catalog in
            try indexFixture(catalog)
            let again = expected(4).source
            let found = try catalog.acquisition(sameFileAs: again)
            XCTAssertEqual(found?.known, expected(4), backend.rawValue)
            XCTAssertEqual(found?.first, expected(1), backend.rawValue)
            // No volume UUID on either side still matches.
            let document = expected(6).source
            XCTAssertNil(document.volumeUUID)
            XCTAssertEqual(try catalog.acquisition(sameFileAs: document)?.known.seq, 6, backend.rawValue)
            // Any one field different: no match.
            var changed = again
            changed.ctime = "2026-03-01T10:00:01.6Z"
            XCTAssertNil(try catalog.acquisition(sameFileAs: changed), backend.rawValue)
            changed = again
            changed.volumeUUID = nil
            XCTAssertNil(try catalog.acquisition(sameFileAs: changed), backend.rawValue)
            changed = document
            changed.volumeUUID = "1234-ABCD"
            XCTAssertNil(try catalog.acquisition(sameFileAs: changed), backend.rawValue)
            // Without device and inode numbers there is no identity to compare.
            XCTAssertNil(try catalog.acquisition(sameFileAs: expected(2).source), backend.rawValue)
        }
    }

    func testDerivedRecordsSizesAndTheTablesOwnRows() throws {
        try eachBackend { backend, catalog in
            try indexFixture(catalog)
            XCTAssertEqual(try catalog.derivedRecords(sha256: fixture.photo), [
                DerivedRecord(seq: 1, sha256: fixture.photo, kind: .metadata,
                              recordSHA256: CatalogFixture.digests("photo-metadata").sha256),
            ], backend.rawValue)
            XCTAssertEqual(try catalog.derivedRecords(sha256: fixture.video), [], backend.rawValue)
            XCTAssertTrue(try catalog.hasItem(size: 3_000_000_000), backend.rawValue)
            XCTAssertTrue(try catalog.hasItem(size: 0), backend.rawValue)
            XCTAssertFalse(try catalog.hasItem(size: 1), backend.rawValue)
            let snapshot = try catalog.snapshot()
            XCTAssertEqual(snapshot["ledger_events"]?.count, fixture.entries.count, backend.rawValue)
            XCTAssertEqual(snapshot["cases"], [["\"CASE-1\"", "1"], ["\"CASE-10\"", "4"], ["\"CASE-2\"", "6"]],
                           backend.rawValue)
            XCTAssertEqual(snapshot["seals"], [["5", "\"CASE-1\"", "\"urn:uuid:7d9f0a1e\""]], backend.rawValue)
            XCTAssertEqual(snapshot["scrubs"], [["7", "3", "0"]], backend.rawValue)
            XCTAssertEqual(Set(snapshot["objects"]?.map { $0[2] } ?? []), ["3000000000", "5000", "0"], backend.rawValue)
            // The video's source has no optional fields: NULLs, written as NULL, not as text.
            let videoSource = snapshot["sources"]?.first { $0[0] == "2" }
            XCTAssertEqual(videoSource, ["2", "\"DCIM/MOV_0002.MP4\"", "5000", "\"2026-03-01T10:00:00.123456789Z\"",
                                         "\"2026-03-01T10:00:01.5Z\"", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL",
                                         "NULL", "NULL"], backend.rawValue)
            let note = snapshot["ledger_events"]?[2]
            XCTAssertEqual(note?[2], "\"note\"", backend.rawValue)
            XCTAssertEqual(note?[4], "\"Field Documenter\"", backend.rawValue)
        }
    }

    /// A batch is one transaction: an event that cannot be indexed (here one already indexed) leaves none of the
    /// batch behind.
    func testABatchThatFailsLeavesNothing() throws {
        try eachBackend { backend, catalog in
            try catalog.index(batch: Array(fixture.entries.prefix(2)))
            let before = try catalog.snapshot()
            XCTAssertThrowsError(try catalog.index(batch: Array(fixture.entries[2...3]) + [fixture.entries[1]]),
                                 backend.rawValue)
            XCTAssertEqual(try catalog.snapshot(), before, backend.rawValue)
            XCTAssertEqual(try catalog.indexedThrough(), 2, backend.rawValue)
            XCTAssertThrowsError(try catalog.index(seq: 1, event: fixture.entries[0].event, line: fixture.entries[0].line),
                                 backend.rawValue)
        }
    }

    /// The cross-check: the same ledger indexed into both back ends gives exactly the same snapshot.
    func testTheSameLedgerGivesTheSameSnapshotInBothBackends() throws {
        var snapshots = [Backend: [String: [[String]]]]()
        try eachBackend { backend, catalog in
            try indexFixture(catalog)
            snapshots[backend] = try catalog.snapshot()
        }
        XCTAssertEqual(snapshots[.sqlite], snapshots[.postgres])
        XCTAssertEqual(snapshots[.sqlite]?["sources"]?.count, 4)
    }

    /// A real store's ledger, written by `Ingester`, indexed into PostgreSQL, against the store's own SQLite catalog.
    func testARealStoresLedgerIndexesIntoPostgresAsIntoItsOwnCatalog() throws {
        let key = try SecretKey.generate(name: "Field Documenter", organization: "Test Archive")
        let storePath = folder.file("store")
        try EvidenceStore.create(at: storePath, key: key)
        try folder.write("card/DCIM/a.jpg", Array(repeating: 7, count: 70_000))
        try folder.write("card/DCIM/b.txt", Array("statement".utf8))
        try folder.write("card/copy.jpg", Array(repeating: 7, count: 70_000))
        for caseID in ["CASE-A", "CASE-B"] {
            let store = try EvidenceStore.open(storePath, writing: true)
            let request = IngestRequest(sources: [folder.file("card")], caseID: caseID, collector: "Collector",
                                        key: key)
            let ingester = Ingester(store: store, request: request)
            _ = try ingester.run(ingester.plan())
        }
        let store = try EvidenceStore.open(storePath, writing: false)
        let local = try store.catalog.snapshot()
        XCTAssertEqual(local["acquisitions"]?.count, 6)
        let database = try TestServices.createDatabase(for: self)
        let postgres = try PostgresCatalog(config: database.config)
        defer { try? postgres.close() }
        try StoreLedger.events(layout: store.layout) { seq, event, line in
            try postgres.index(seq: seq, event: event, line: line)
        }
        XCTAssertEqual(try postgres.snapshot(), local)
    }

    /// A catalog written by a newer Amana (a migration this one does not know) is refused by both back ends.
    func testACatalogFromANewerAmanaIsRefused() throws {
        let path = folder.file("newer.sqlite")
        try SQLiteCatalog(path: path).close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99')") }
        try queue.close()
        XCTAssertThrowsError(try SQLiteCatalog(path: path)) { error in
            XCTAssertEqual((error as? AmanaError)?.reason, "the store's catalog was written by a newer amana")
        }
        let database = try TestServices.createDatabase(for: self)
        try PostgresCatalog(config: database.config).close()
        let session = try PostgresSession(config: database.config)
        try session.query("INSERT INTO catalog_migrations VALUES ('v99')")
        try session.close()
        XCTAssertThrowsError(try PostgresCatalog(config: database.config)) { error in
            XCTAssertEqual((error as? AmanaError)?.reason, "the store's catalog was written by a newer amana")
        }
    }

    /// The two schemas, read back from the databases themselves: the same tables, the same columns in the same
    /// order with the same types (through the dialect table) and NOT NULLs, the same indexes.
    func testBothBackendsHaveTheSameTablesColumnsAndIndexes() throws {
        let path = folder.file("schema.sqlite")
        try SQLiteCatalog(path: path).close()
        let queue = try DatabaseQueue(path: path)
        var sqlite = [String: [String]]()
        var sqliteIndexes = Set<String>()
        try queue.read { db in
            for table in CatalogSchema.tables {
                sqlite[table.name] = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.name))").map { row in
                    let type: String = row["type"]
                    let notNull: Bool = row["notnull"]
                    let pk: Int = row["pk"]
                    return "\(row["name"] as String) \(type == "INTEGER" ? "int64" : type.lowercased())"
                        + (notNull || pk > 0 ? " not null" : "")
                }
            }
            sqliteIndexes = Set(try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'
                """))
        }
        try queue.close()
        let database = try TestServices.createDatabase(for: self)
        try PostgresCatalog(config: database.config).close()
        let session = try PostgresSession(config: database.config)
        defer { try? session.close() }
        var postgres = [String: [String]]()
        for table in CatalogSchema.tables {
            postgres[table.name] = try session.rows("""
                SELECT column_name::TEXT, data_type::TEXT, is_nullable::TEXT, COALESCE(collation_name::TEXT, '')
                FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position
                """, values: [.text(table.name)]).map { row in
                let (name, type, nullable, collation) = (row[0].text!, row[1].text!, row[2].text!, row[3].text!)
                if type == "text" { XCTAssertEqual(collation, "C", "\(table.name).\(name) orders byte by byte") }
                return "\(name) \(type == "bigint" ? "int64" : type)" + (nullable == "NO" ? " not null" : "")
            }
        }
        let postgresIndexes = Set(try session.rows("""
            SELECT indexname::TEXT FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'
            """).map { $0[0].text! })
        XCTAssertEqual(sqlite, postgres)
        XCTAssertEqual(sqlite["sources"]?.last, "recognised_by text")
        XCTAssertEqual(sqlite["objects"]?.last, "version_id text")
        XCTAssertEqual(sqlite["acquisitions"]?.last, "version_id text")
        XCTAssertEqual(sqliteIndexes, postgresIndexes)
        XCTAssertEqual(sqliteIndexes.count, 5)
    }

    /// Migration v3: the version id an object store gave an object travels in its event (`object.versionId`) into
    /// the catalog: on the object (from the acquisition that wrote it) and on that acquisition; a duplicate, which
    /// wrote nothing, and a local store's acquisition, which has no versions, have none.
    func testAnObjectsVersionIdComesFromItsEventAndAnEventWithoutOneHasNone() throws {
        var versioned = CatalogFixture.record("versioned", caseID: "CASE-V", path: "s3/a.jpg", size: 12, outcome: .new,
                                              full: false)
        versioned.versionID = "3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo"
        let again = CatalogFixture.record("versioned", caseID: "CASE-W", path: "s3/copy.jpg", size: 12,
                                          outcome: .duplicate, full: false)
        let local = CatalogFixture.record("local", caseID: "CASE-V", path: "l/b.jpg", size: 13, outcome: .new,
                                          full: false)
        let lines = try PostgresLedger.sign([versioned, again, local].map(CatalogFixture.acquisition),
                                            after: (0, nil), storeID: CatalogFixture.storeID, key: fixture.key,
                                            role: nil)
        let entries = try lines.enumerated().map {
            (seq: $0.offset + 1, event: try CustodyEvent(line: $0.element), line: $0.element)
        }
        try eachBackend { backend, catalog in
            try catalog.index(batch: entries)
            let item = try XCTUnwrap(try catalog.item(sha256: versioned.sha256), backend.rawValue)
            XCTAssertEqual(item.versionID, versioned.versionID, backend.rawValue)
            XCTAssertEqual(try catalog.acquisitions(sha256: versioned.sha256).map(\.versionID),
                           [versioned.versionID, nil], backend.rawValue)
            XCTAssertEqual(StoredObjectRef(item).versionID, versioned.versionID, "a read names the version")
            XCTAssertNil(try catalog.item(sha256: local.sha256)?.versionID, backend.rawValue)
            XCTAssertNotNil(try catalog.item(sha256: local.sha256), backend.rawValue)
            // The snapshot (what rebuild-catalog compares) carries it too, NULL where there is none.
            let objects = try catalog.snapshot()["objects"] ?? []
            let versions = Dictionary(uniqueKeysWithValues: objects.map { ($0[0], $0.last ?? "") })
            XCTAssertEqual(versions[String(reflecting: versioned.sha256)], String(reflecting: versioned.versionID!),
                           backend.rawValue)
            XCTAssertEqual(versions[String(reflecting: local.sha256)], "NULL", backend.rawValue)
        }
    }
}
