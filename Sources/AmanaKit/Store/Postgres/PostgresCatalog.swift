import PostgresNIO

/// The organisation store's catalog, in PostgreSQL, through postgres-nio.
///
/// The same tables, columns, indexes and numbered migrations as ``SQLiteCatalog`` (both come from
/// ``CatalogSchema``), the same rows for the same events (``CatalogSchema/rows(seq:event:line:)``), and the same
/// answers: Tests/AmanaKitTests/Catalog runs one conformance suite against both. What differs is only where the rows
/// live and who may write at once: several stations index into one database, and the rows of a ledger append are
/// written in the append's own transaction (``PostgresLedger``), so the catalog never lags the ledger there.
///
/// Reads that take more than one statement run in one REPEATABLE READ transaction, so they see one state of the
/// catalog while other stations write.
package final class PostgresCatalog: Catalog {
    package let session: PostgresSession

    /// Opens the catalog on `session`, migrating the database first (or refusing one from a newer Amana).
    package init(session: PostgresSession) throws {
        self.session = session
        try PostgresSchema.migrate(session)
    }

    package convenience init(config: PostgresConnectionConfig) throws {
        try self.init(session: try PostgresSession(config: config))
    }

    package func close() throws { try session.close() }

    package func indexedThrough() throws -> Int {
        let rows = try session.query("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM ledger_events")
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    package func index(seq: Int, event: CustodyEvent, line: [UInt8]) throws {
        try session.transaction { try PostgresCatalog.insert(session, seq: seq, event: event, line: line) }
    }

    package func index(batch: [(seq: Int, event: CustodyEvent, line: [UInt8])]) throws {
        try session.transaction {
            for entry in batch { try PostgresCatalog.insert(session, seq: entry.seq, event: entry.event, line: entry.line) }
        }
    }

    /// Writes one event's rows in the caller's transaction (``PostgresLedger`` calls it inside an append).
    static func insert(_ session: PostgresSession, seq: Int, event: CustodyEvent, line: [UInt8]) throws {
        for row in CatalogSchema.rows(seq: seq, event: event, line: line) {
            try session.query(row.insertSQL(.postgres), values: row.values)
        }
    }

    private static let acquisitionSelect = "SELECT \(CatalogSchema.acquisitionColumns)"

    private func acquisitions(_ sql: String, _ values: [CatalogValue]) throws -> [AcquisitionRecord] {
        try session.query(sql, values: values).map { CatalogSchema.acquisition(try $0.catalogValues()) }
    }

    package func acquisition(sameFileAs source: SourceRecord) throws -> (known: AcquisitionRecord, first: AcquisitionRecord)? {
        guard let dev = source.deviceNumber, let ino = source.inode else { return nil }
        return try session.transaction(begin: PostgresCatalog.readSnapshot) {
            guard let known = try acquisitions("""
                \(PostgresCatalog.acquisitionSelect) WHERE s.dev = $1 AND s.ino = $2 AND s.size = $3 AND s.mtime = $4
                AND s.ctime = $5 AND s.path = $6 AND s.volume_uuid IS NOT DISTINCT FROM $7 ORDER BY a.seq DESC LIMIT 1
                """, [.integer(Int64(bitPattern: dev)), .integer(Int64(bitPattern: ino)), .integer(Int64(source.size)),
                      .text(source.mtime), .text(source.ctime), .text(source.path), CatalogValue(source.volumeUUID)]).first,
                let first = try acquisitions(
                    "\(PostgresCatalog.acquisitionSelect) WHERE a.seq = o.first_seq AND o.sha256 = $1",
                    [.text(known.sha256)]).first
            else { return nil }
            return (known, first)
        }
    }

    package func acquisitions(sha256: String) throws -> [AcquisitionRecord] {
        try acquisitions("\(PostgresCatalog.acquisitionSelect) WHERE a.sha256 = $1 ORDER BY a.seq", [.text(sha256)])
    }

    package func acquisitions(sourcePath: String) throws -> [AcquisitionRecord] {
        try acquisitions("\(PostgresCatalog.acquisitionSelect) WHERE s.path = $1 ORDER BY a.seq", [.text(sourcePath)])
    }

    package func item(sha256: String) throws -> StoredItem? {
        try items(where: "o.sha256 = $1", [.text(sha256)]).first
    }

    package func items(caseID: String?) throws -> [StoredItem] {
        guard let caseID else { return try items(where: "TRUE", []) }
        return try items(where: "o.sha256 IN (SELECT sha256 FROM acquisitions WHERE case_id = $1)", [.text(caseID)])
    }

    /// The objects matching `condition` (on `o`, the objects table) with their first acquisition and their cases,
    /// in two statements over one snapshot.
    private func items(where condition: String, _ values: [CatalogValue]) throws -> [StoredItem] {
        try session.transaction(begin: PostgresCatalog.readSnapshot) {
            let firsts = try acquisitions("""
                \(PostgresCatalog.acquisitionSelect) WHERE a.seq = o.first_seq AND \(condition) ORDER BY o.first_seq
                """, values)
            guard !firsts.isEmpty else { return [] }
            var cases = [String: [String]]()
            for row in try session.query("""
                SELECT DISTINCT a.sha256, a.case_id FROM acquisitions a
                WHERE a.sha256 IN (SELECT o.sha256 FROM objects o WHERE \(condition)) ORDER BY a.sha256, a.case_id
                """, values: values) {
                let (sha256, caseID) = try row.decode((String, String).self)
                cases[sha256, default: []].append(caseID)
            }
            return firsts.map { first in
                StoredItem(sha256: first.sha256, sha512: first.sha512, size: first.source.size, first: first,
                           cases: cases[first.sha256] ?? [])
            }
        }
    }

    package func hasItem(size: UInt64) throws -> Bool {
        !(try session.query("SELECT 1 FROM objects WHERE size = $1 LIMIT 1", values: [.integer(Int64(size))]).isEmpty)
    }

    package func derivedRecords(sha256: String) throws -> [DerivedRecord] {
        try session.query("""
            SELECT seq, sha256, kind, record_sha256 FROM derived_records WHERE sha256 = $1 ORDER BY seq, kind
            """, values: [.text(sha256)]).compactMap { row in
            let (seq, object, kindName, record) = try row.decode((Int64, String, String, String).self)
            guard let kind = DerivedRecord.Kind(rawValue: kindName) else { return nil }
            return DerivedRecord(seq: Int(seq), sha256: object, kind: kind, recordSHA256: record)
        }
    }

    package func snapshot() throws -> [String: [[String]]] {
        try session.transaction(begin: PostgresCatalog.readSnapshot) {
            var out = [String: [[String]]]()
            for table in CatalogSchema.tables {
                out[table.name] = try session.query("SELECT * FROM \(table.name) ORDER BY \(table.key)").map { row in
                    try row.catalogValues().map(\.snapshotText)
                }
            }
            return out
        }
    }

    /// A read-only transaction that sees one state of the database throughout.
    static let readSnapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
}
