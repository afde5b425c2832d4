import PostgresNIO

/// The organisation store's PostgreSQL schema: the catalog's migrations (``CatalogSchema``, the ones SQLite runs),
/// then the tables only PostgreSQL has, which hold the store's truth in org mode: the ledger, its checkpoints and the
/// upload claims.
///
/// Applied migrations are listed in `catalog_migrations` (SQLite's GRDB keeps `grdb_migrations`). Migrating takes a
/// transaction-scoped advisory lock first, so stations that open a new database at the same moment run each
/// migration once; PostgreSQL's DDL is transactional, so a failed migration leaves nothing half-made.
package enum PostgresSchema {
    /// The advisory-lock key that serialises migrations (any constant apart from the ledgers' keys would do:
    /// ``PostgresLedger/lockKey(storeID:)`` keys are hashes, this one is the ASCII of "amanamig").
    static let migrationLockKey: Int64 = 0x616d_616e_616d_6967

    /// The PostgreSQL-only migrations, numbered apart from the catalog's.
    static let storeMigrations: [CatalogSchema.Migration] = [
        CatalogSchema.Migration(identifier: "store-v1", statements: [
            // One row per ledger line, `seq` from 1 without gaps (appends hold the store's advisory lock).
            "CREATE TABLE store_ledger (seq BIGINT PRIMARY KEY CHECK (seq >= 1), line BYTEA NOT NULL)",
            "CREATE TABLE store_checkpoints (size BIGINT PRIMARY KEY CHECK (size >= 0), line BYTEA NOT NULL)",
            // Who is uploading which content now (spec/store.md, "Claims"): the primary key is the uniqueness.
            """
            CREATE TABLE claims (
                sha256 TEXT COLLATE "C" PRIMARY KEY, station TEXT COLLATE "C" NOT NULL,
                claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(), heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """,
        ]),
    ]

    /// Every migration this Amana knows, in the order it applies them.
    static var all: [CatalogSchema.Migration] { CatalogSchema.migrations + storeMigrations }

    /// Brings the database up to this Amana's schema, or refuses one written by a newer Amana.
    package static func migrate(_ session: PostgresSession) throws {
        try session.transaction {
            var lock = PostgresBindings()
            lock.append(migrationLockKey)
            try session.query("SELECT pg_advisory_xact_lock($1)", lock)
            try session.query("CREATE TABLE IF NOT EXISTS catalog_migrations (identifier TEXT COLLATE \"C\" PRIMARY KEY)")
            let applied = Set(try session.query("SELECT identifier FROM catalog_migrations").map {
                try $0.decode(String.self)
            })
            let known = Set(all.map(\.identifier))
            if !applied.isSubset(of: known) {
                throw AmanaError(.inputInvalid, "the store's catalog was written by a newer amana",
                                 hint: "use that version, or 'amana store rebuild-catalog' with this one")
            }
            for migration in all where !applied.contains(migration.identifier) {
                for statement in migration.statements(for: .postgres) { try session.query(statement) }
                try session.query("INSERT INTO catalog_migrations VALUES ($1)", values: [.text(migration.identifier)])
            }
        }
    }
}
