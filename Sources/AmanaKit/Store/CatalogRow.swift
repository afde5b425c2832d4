/// One row a ledger event puts into a catalog table. `ignoreIfPresent` rows (an object or case seen before) are
/// inserted only if their key is new: `INSERT OR IGNORE` in SQLite, `ON CONFLICT DO NOTHING` in PostgreSQL.
package struct CatalogRow: Equatable, Sendable {
    package var table: String
    package var values: [CatalogValue]
    package var ignoreIfPresent = false

    /// The INSERT statement for this row in `dialect`, with positional parameters. Each distinct statement is made
    /// once and remembered: an ingest indexes tens of thousands of rows, of a dozen shapes.
    package func insertSQL(_ dialect: CatalogSchema.Dialect) -> String {
        let key = Shape(table: table, columns: values.count, ignoreIfPresent: ignoreIfPresent, dialect: dialect)
        if let known = CatalogRow.statements.withLock({ $0[key] }) { return known }
        let sql = key.sql
        CatalogRow.statements.withLock { $0[key] = sql }
        return sql
    }

    private struct Shape: Hashable, Sendable {
        var table: String
        var columns: Int
        var ignoreIfPresent: Bool
        var dialect: CatalogSchema.Dialect

        var sql: String {
            switch dialect {
            case .sqlite:
                let marks = Array(repeating: "?", count: columns).joined(separator: ", ")
                return "INSERT \(ignoreIfPresent ? "OR IGNORE " : "")INTO \(table) VALUES (\(marks))"
            case .postgres:
                let marks = (1...columns).map { "$\($0)" }.joined(separator: ", ")
                return "INSERT INTO \(table) VALUES (\(marks))\(ignoreIfPresent ? " ON CONFLICT DO NOTHING" : "")"
            }
        }
    }

    private static let statements = Locked<[Shape: String]>([:])
}

extension CatalogSchema {
    /// The rows one ledger event becomes, in insertion order (a row's foreign keys come before it). Every back end
    /// indexes through this one function.
    package static func rows(seq: Int, event: CustodyEvent, line: [UInt8]) -> [CatalogRow] {
        let lineDigest = MultiDigest.digests(of: line, [.sha256])[.sha256]!.hex
        var rows = [CatalogRow(table: "ledger_events", values: [
            .integer(Int64(seq)), .text(event.time), .text(event.action.rawValue), .text(event.actor.keyID),
            CatalogValue(event.actor.name), .text(lineDigest),
        ])]
        switch event.action {
        case .ingested, .duplicate:
            guard let record = AcquisitionRecord(seq: seq, event: event) else { break }
            let seqValue = CatalogValue.integer(Int64(seq))
            rows.append(CatalogRow(table: "cases", values: [.text(record.caseID), seqValue], ignoreIfPresent: true))
            rows.append(CatalogRow(table: "objects", values: [
                .text(record.sha256), .text(record.sha512), .integer(Int64(record.source.size)), seqValue,
                CatalogValue(record.versionID),
            ], ignoreIfPresent: true))
            rows.append(CatalogRow(table: "acquisitions", values: [
                seqValue, .text(record.sha256), .text(record.caseID), .text(record.time), .text(record.collector),
                .text(record.keyID), CatalogValue(record.actorName), CatalogValue(record.role),
                CatalogValue(record.device), CatalogValue(record.location), CatalogValue(record.sourceURL),
                CatalogValue(record.note), .text(record.outcome.rawValue), CatalogValue(record.versionID),
            ]))
            let source = record.source
            rows.append(CatalogRow(table: "sources", values: [
                seqValue, .text(source.path), .integer(Int64(source.size)), .text(source.mtime), .text(source.ctime),
                CatalogValue(source.fileSystemType), CatalogValue(source.volumeUUID), CatalogValue(source.volumeLabel),
                CatalogValue(source.deviceModel), CatalogValue(source.deviceSerial),
                CatalogValue(source.deviceNumber.map { Int64(bitPattern: $0) }),
                CatalogValue(source.inode.map { Int64(bitPattern: $0) }),
                CatalogValue(record.recognisedByIdentity ? "identity" : nil),
            ]))
            if let metadata = record.metadataRecord {
                rows.append(CatalogRow(table: "derived_records", values: [
                    seqValue, .text(record.sha256), .text(DerivedRecord.Kind.metadata.rawValue), .text(metadata),
                ]))
            }
        case .sealed:
            // `seal --store` (spec/store.md section 8): which bundle the case's objects went into. A sealed event
            // without a bundle id (none is written) is not a seal of the store's.
            if let bundleID = event.details["bundle"], let caseID = event.details["case"] {
                rows.append(CatalogRow(table: "cases", values: [.text(caseID), .integer(Int64(seq))],
                                       ignoreIfPresent: true))
                rows.append(CatalogRow(table: "seals", values: [.integer(Int64(seq)), .text(caseID), .text(bundleID)]))
            }
        case .verified:
            if let objects = event.details["objects"].flatMap(Int64.init),
               let damaged = event.details["damaged"].flatMap(Int64.init) {
                rows.append(CatalogRow(table: "scrubs", values: [.integer(Int64(seq)), .integer(objects),
                                                                 .integer(damaged)]))
            }
        default:
            break
        }
        return rows
    }

    /// An acquisition from the values of ``acquisitionColumns``, in that order.
    package static func acquisition(_ row: [CatalogValue]) -> AcquisitionRecord {
        func text(_ index: Int) -> String { row[index].text ?? "" }
        func optional(_ index: Int) -> String? { row[index].text }
        let source = SourceRecord(path: text(14), size: UInt64(row[15].integer ?? 0), mtime: text(16),
                                  ctime: text(17), fileSystemType: optional(18), volumeUUID: optional(19),
                                  volumeLabel: optional(20), deviceModel: optional(21), deviceSerial: optional(22),
                                  deviceNumber: row[23].integer.map { UInt64(bitPattern: $0) },
                                  inode: row[24].integer.map { UInt64(bitPattern: $0) })
        var record = AcquisitionRecord(seq: Int(row[0].integer ?? 0), sha256: text(1), sha512: text(2),
                                       caseID: text(3), time: text(4), collector: text(5), keyID: text(6),
                                       actorName: optional(7), role: optional(8), device: optional(9),
                                       location: optional(10), sourceURL: optional(11), note: optional(12),
                                       outcome: AcquisitionRecord.Outcome(rawValue: text(13)) ?? .new, source: source)
        record.recognisedByIdentity = optional(25) == "identity"
        record.versionID = optional(26)
        return record
    }
}
