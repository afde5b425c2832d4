import Foundation
import GRDB

/// The embedded catalog: one SQLite file in the store, through GRDB.
///
/// WAL mode (a `DatabasePool`), so `store list` and friends read a consistent snapshot while an ingest writes;
/// foreign keys on, so an acquisition can never name an object or a case the catalog lacks. The schema grows only
/// through ``migrator``'s numbered migrations (spec/store.md, "Catalog"); a catalog written by a newer Amana, with a
/// migration this one does not know, is refused rather than guessed at.
package final class SQLiteCatalog: Catalog {
    private let pool: DatabasePool

    package init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Writers are serialised by the store lock; the timeout only covers a reader's WAL checkpoint.
        configuration.busyMode = .timeout(30)
        // The catalog is an index that the next writer brings up to the ledger (spec/store.md, "Crash guarantees"),
        // so a commit need not wait for the disk: in WAL mode NORMAL keeps the file consistent after a power loss
        // and only the last commits can be missing, which the catch-up indexes again. The ledger holds the fsync.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = SQLiteCatalog.migrator
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                throw AmanaError(.inputInvalid, "the store's catalog was written by a newer amana",
                                 hint: "use that version, or 'amana store rebuild-catalog' with this one")
            }
            try migrator.migrate(pool)
        } catch let error as AmanaError {
            throw error
        } catch {
            throw AmanaError(.outputFailed, "cannot open the store's catalog: \(error)",
                             hint: "'amana store rebuild-catalog DIR' recreates it from the ledger")
        }
    }

    /// Closes the database, checkpointing the WAL into the main file (before the file is moved).
    package func close() throws {
        try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try pool.close()
    }

    /// The schema's history, from ``CatalogSchema/migrations`` (the one list both back ends migrate through).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in CatalogSchema.migrations {
            let statements = migration.statements(for: .sqlite)
            migrator.registerMigration(migration.identifier) { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        }
        return migrator
    }

    package func indexedThrough() throws -> Int {
        try pool.read { try Int.fetchOne($0, sql: "SELECT COALESCE(MAX(seq), 0) FROM ledger_events") ?? 0 }
    }

    package func index(seq: Int, event: CustodyEvent, line: [UInt8]) throws {
        try SQLiteCatalog.writing { try pool.write { db in try SQLiteCatalog.insert(db, seq: seq, event: event, line: line) } }
    }

    package func index(batch: [(seq: Int, event: CustodyEvent, line: [UInt8])]) throws {
        try SQLiteCatalog.writing {
            try pool.write { db in
                for entry in batch { try SQLiteCatalog.insert(db, seq: entry.seq, event: entry.event, line: entry.line) }
            }
        }
    }

    /// A failed catalog write as the CLI reports it: a full disk is the store's disk being full (exit 74, like a
    /// copy that runs out of space), not an SQLite message; the event is in the ledger and the next writer indexes it.
    private static func writing(_ body: () throws -> Void) throws {
        do { try body() } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_FULL {
                throw AmanaError(.outputFailed, "the store's disk is full",
                                 hint: "free space or use another store; everything stored so far stays valid")
            }
            throw AmanaError(.outputFailed, "cannot write the store's catalog: \(error.message ?? "\(error.resultCode)")",
                             hint: "'amana store rebuild-catalog DIR' recreates it from the ledger")
        }
    }

    /// Runs one of the fixed statements below through the connection's statement cache: an ingest indexes tens of
    /// thousands of events, and compiling the same SQL for each was a large part of a re-run's time.
    private static func run(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    private static func insert(_ db: Database, seq: Int, event: CustodyEvent, line: [UInt8]) throws {
        for row in CatalogSchema.rows(seq: seq, event: event, line: line) {
            try run(db, row.insertSQL(.sqlite), StatementArguments(row.values.map(\.databaseValue)))
        }
    }

    private static let acquisitionColumns = CatalogSchema.acquisitionColumns

    private static func acquisition(_ row: Row) -> AcquisitionRecord {
        CatalogSchema.acquisition(row.databaseValues.map(CatalogValue.init))
    }

    package func acquisition(sameFileAs source: SourceRecord) throws -> (known: AcquisitionRecord, first: AcquisitionRecord)? {
        guard let dev = source.deviceNumber, let ino = source.inode else { return nil }
        // One read transaction and two cached statements per source: this runs once for every file of a re-run.
        return try pool.read { db in
            let match = try db.cachedStatement(sql: """
                SELECT \(SQLiteCatalog.acquisitionColumns) WHERE s.dev = ? AND s.ino = ? AND s.size = ? AND s.mtime = ?
                AND s.ctime = ? AND s.path = ? AND s.volume_uuid IS ? ORDER BY a.seq DESC LIMIT 1
                """)
            guard let known = try Row.fetchOne(match, arguments: [
                Int64(bitPattern: dev), Int64(bitPattern: ino), Int64(source.size), source.mtime, source.ctime,
                source.path, source.volumeUUID,
            ]).map(SQLiteCatalog.acquisition) else { return nil }
            let firstStatement = try db.cachedStatement(sql: """
                SELECT \(SQLiteCatalog.acquisitionColumns) WHERE a.seq = o.first_seq AND o.sha256 = ?
                """)
            guard let first = try Row.fetchOne(firstStatement, arguments: [known.sha256]).map(SQLiteCatalog.acquisition)
            else { return nil }
            return (known, first)
        }
    }

    package func acquisitions(sha256: String) throws -> [AcquisitionRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteCatalog.acquisitionColumns) WHERE a.sha256 = ? ORDER BY a.seq",
                             arguments: [sha256]).map(SQLiteCatalog.acquisition)
        }
    }

    package func acquisitions(sourcePath: String) throws -> [AcquisitionRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteCatalog.acquisitionColumns) WHERE s.path = ? ORDER BY a.seq",
                             arguments: [sourcePath]).map(SQLiteCatalog.acquisition)
        }
    }

    package func item(sha256: String) throws -> StoredItem? {
        try pool.read { db in try SQLiteCatalog.items(db, where: "o.sha256 = ?", arguments: [sha256], cached: true).first }
    }

    package func items(caseID: String?) throws -> [StoredItem] {
        try pool.read { db in
            guard let caseID else { return try SQLiteCatalog.items(db, where: "1", arguments: []) }
            return try SQLiteCatalog.items(
                db, where: "o.sha256 IN (SELECT sha256 FROM acquisitions WHERE case_id = ?)", arguments: [caseID])
        }
    }

    private static func items(_ db: Database, where condition: String, arguments: StatementArguments,
                              cached: Bool = false) throws -> [StoredItem] {
        let sql = "SELECT \(acquisitionColumns) WHERE a.seq = o.first_seq AND \(condition) ORDER BY o.first_seq"
        let rows = try Row.fetchAll(cached ? db.cachedStatement(sql: sql) : db.makeStatement(sql: sql), arguments: arguments)
        let casesStatement = try db.cachedStatement(
            sql: "SELECT DISTINCT case_id FROM acquisitions WHERE sha256 = ? ORDER BY case_id")
        return try rows.map { row in
            let first = acquisition(row)
            let cases = try String.fetchAll(casesStatement, arguments: [first.sha256])
            return StoredItem(sha256: first.sha256, sha512: first.sha512, size: first.source.size, first: first,
                              cases: cases)
        }
    }

    package func hasItem(size: UInt64) throws -> Bool {
        try pool.read {
            try Bool.fetchOne($0.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM objects WHERE size = ?)"),
                              arguments: [Int64(size)]) ?? false
        }
    }

    package func snapshot() throws -> [String: [[String]]] {
        try pool.read { db in
            var out = [String: [[String]]]()
            for table in CatalogSchema.tables {
                out[table.name] = try Row.fetchAll(db, sql: "SELECT * FROM \(table.name) ORDER BY \(table.key)").map { row in
                    row.databaseValues.map { CatalogValue($0).snapshotText }
                }
            }
            return out
        }
    }
}

extension SQLiteCatalog {
    package func derivedRecords(sha256: String) throws -> [DerivedRecord] {
        try pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT seq, sha256, kind, record_sha256 FROM derived_records WHERE sha256 = ? ORDER BY seq, kind
                """)
            var out = [DerivedRecord]()
            for row in try Row.fetchAll(statement, arguments: [sha256]) {
                let kindName: String = row["kind"]
                guard let kind = DerivedRecord.Kind(rawValue: kindName) else { continue }
                let seq: Int = row["seq"]
                let object: String = row["sha256"]
                let record: String = row["record_sha256"]
                out.append(DerivedRecord(seq: seq, sha256: object, kind: kind, recordSHA256: record))
            }
            return out
        }
    }
}

extension CatalogValue {
    /// A value read from SQLite. The schema stores no REAL or BLOB; one would show as text, never vanish.
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .integer(number)
        case .string(let text): self = .text(text)
        case .double, .blob: self = .text(value.description)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .integer(let number): return number.databaseValue
        case .text(let text): return text.databaseValue
        case .null: return .null
        }
    }
}
