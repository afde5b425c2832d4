/// The catalog's schema, written once for every back end: the numbered migrations, the tables `snapshot` lists, and
/// the rows a ledger event becomes.
///
/// SQLite (``SQLiteCatalog``) and PostgreSQL (``PostgresCatalog``) both build their tables from ``migrations`` and
/// their rows from ``rows(seq:event:line:)``, so the two cannot drift: a column added for one is added for the other
/// in the same migration. The few places where the two SQL dialects differ are the tokens of ``Dialect``, replaced
/// when a migration is run (spec/store.md, "Catalog on PostgreSQL", lists them).
package enum CatalogSchema {
    /// The SQL dialect a migration is written out in.
    package enum Dialect: Hashable, Sendable {
        case sqlite, postgres

        /// `{int}`: a 64-bit integer column. SQLite's INTEGER is 64-bit (and `INTEGER PRIMARY KEY` is the rowid);
        /// PostgreSQL's INTEGER is 32-bit, so BIGINT.
        var integer: String { self == .sqlite ? "INTEGER" : "BIGINT" }
        /// `{text}`: a text column compared and ordered byte by byte. SQLite's default collation is BINARY;
        /// PostgreSQL's is the database's locale, which would order `snapshot` and the case lists differently, so
        /// every text column names the "C" collation.
        var text: String { self == .sqlite ? "TEXT" : "TEXT COLLATE \"C\"" }
    }

    /// One numbered migration. Once released it is never edited: a new one is added.
    package struct Migration: Sendable {
        package let identifier: String
        /// One SQL statement each (PostgreSQL's extended protocol runs one statement per query), with the
        /// ``Dialect`` tokens `{int}` and `{text}` still in.
        let statements: [String]

        /// The statements in `dialect`.
        package func statements(for dialect: Dialect) -> [String] {
            statements.map {
                $0.replacingOccurrences(of: "{int}", with: dialect.integer)
                    .replacingOccurrences(of: "{text}", with: dialect.text)
            }
        }
    }

    /// The schema's history, oldest first.
    package static let migrations: [Migration] = [
        Migration(identifier: "v1", statements: [
            """
            CREATE TABLE ledger_events (
                seq {int} PRIMARY KEY, time {text} NOT NULL, action {text} NOT NULL, key_id {text} NOT NULL,
                actor_name {text}, line_sha256 {text} NOT NULL)
            """,
            "CREATE TABLE cases (id {text} PRIMARY KEY, first_seq {int} NOT NULL REFERENCES ledger_events(seq))",
            """
            CREATE TABLE objects (
                sha256 {text} PRIMARY KEY, sha512 {text} NOT NULL, size {int} NOT NULL,
                first_seq {int} NOT NULL REFERENCES ledger_events(seq))
            """,
            "CREATE INDEX objects_size ON objects(size)",
            """
            CREATE TABLE acquisitions (
                seq {int} PRIMARY KEY REFERENCES ledger_events(seq),
                sha256 {text} NOT NULL REFERENCES objects(sha256), case_id {text} NOT NULL REFERENCES cases(id),
                time {text} NOT NULL, collector {text} NOT NULL, key_id {text} NOT NULL, actor_name {text}, role {text},
                device {text}, location {text}, source_url {text}, note {text}, outcome {text} NOT NULL)
            """,
            "CREATE INDEX acquisitions_sha256 ON acquisitions(sha256)",
            "CREATE INDEX acquisitions_case ON acquisitions(case_id)",
            """
            CREATE TABLE sources (
                acquisition_seq {int} PRIMARY KEY REFERENCES acquisitions(seq), path {text} NOT NULL,
                size {int} NOT NULL, mtime {text} NOT NULL, ctime {text} NOT NULL, fs_type {text}, volume_uuid {text},
                volume_label {text}, device_model {text}, device_serial {text})
            """,
            "CREATE INDEX sources_path ON sources(path)",
            """
            CREATE TABLE seals (
                seq {int} PRIMARY KEY REFERENCES ledger_events(seq), case_id {text} REFERENCES cases(id),
                bundle_id {text})
            """,
            """
            CREATE TABLE derived_records (
                seq {int} NOT NULL REFERENCES ledger_events(seq),
                sha256 {text} NOT NULL REFERENCES objects(sha256), kind {text} NOT NULL,
                record_sha256 {text} NOT NULL, PRIMARY KEY (seq, sha256, kind))
            """,
            """
            CREATE TABLE scrubs (
                seq {int} PRIMARY KEY REFERENCES ledger_events(seq), objects {int} NOT NULL,
                damaged {int} NOT NULL)
            """,
        ]),
        // v2: the source's device and inode numbers, and how a duplicate was recognised, for the re-run shortcut.
        Migration(identifier: "v2", statements: [
            "ALTER TABLE sources ADD COLUMN dev {int}",
            "ALTER TABLE sources ADD COLUMN ino {int}",
            "ALTER TABLE sources ADD COLUMN recognised_by {text}",
            "CREATE INDEX sources_file ON sources(dev, ino)",
        ]),
        // v3: the version id a versioned object store (S3) gave the object when it was written, from the event's
        // `object.versionId` (so a rebuild restores it): on the object (from its first acquisition) and on each
        // acquisition (NULL for a duplicate, which wrote nothing, and for a local store, which keeps no versions).
        Migration(identifier: "v3", statements: [
            "ALTER TABLE objects ADD COLUMN version_id {text}",
            "ALTER TABLE acquisitions ADD COLUMN version_id {text}",
        ]),
    ]

    /// The tables, in the order `snapshot` lists them (and spec/store.md describes them), with their ordering key.
    package static let tables: [(name: String, key: String)] = [
        ("ledger_events", "seq"), ("cases", "id"), ("objects", "sha256"), ("acquisitions", "seq"),
        ("sources", "acquisition_seq"), ("seals", "seq"), ("derived_records", "seq, sha256, kind"), ("scrubs", "seq"),
    ]

    /// The columns an acquisition is read from (`a` acquisitions, `o` its object, `s` its source), in the order
    /// ``CatalogValue`` rows are decoded by ``acquisition(_:)``; the query text is the same for both back ends.
    package static let acquisitionColumns = """
        a.seq, a.sha256, o.sha512, a.case_id, a.time, a.collector, a.key_id, a.actor_name, a.role, a.device,
        a.location, a.source_url, a.note, a.outcome, s.path, s.size, s.mtime, s.ctime, s.fs_type, s.volume_uuid,
        s.volume_label, s.device_model, s.device_serial, s.dev, s.ino, s.recognised_by, a.version_id
        FROM acquisitions a JOIN objects o ON o.sha256 = a.sha256 JOIN sources s ON s.acquisition_seq = a.seq
        """
}
