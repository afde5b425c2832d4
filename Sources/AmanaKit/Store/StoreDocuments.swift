/// The JSON documents of `amana store list --json` and `amana store show --json` (spec/store.md, "Store documents").
///
/// Canonical JSON (RFC 8785) and LF, like the ingest summary, so a script reads them with any JSON parser and two
/// listings of the same catalog are the same bytes. They carry what the catalog indexes from the signed ledger
/// (digests, acquisitions, source facts, public key IDs) and the derived records; never a secret key or passphrase.
package enum StoreDocuments {
    package static let listMediaType = "application/vnd.amana.store-list+json;version=1"
    package static let showMediaType = "application/vnd.amana.store-show+json;version=1"

    /// `store list --json`: every item (or a case's), each with its first acquisition and every case.
    package static func list(_ items: [StoredItem], caseID: String?) -> [UInt8] {
        var members: [String: JSONValue] = [
            "mediaType": .string(listMediaType),
            "count": .integer(Int64(items.count)),
            "items": .array(items.map { .object(item($0)) }),
        ]
        if let caseID { members["case"] = .string(caseID) }
        return CanonicalJSON.serialize(.object(members)) + [0x0A]
    }

    /// `store show --json`: the items asked for, each with every acquisition and its derived records.
    package static func show(_ items: [StoredItem], query: String, store: EvidenceStore) throws -> [UInt8] {
        let catalog = store.catalog
        var shown = [JSONValue]()
        for stored in items {
            var members = item(stored)
            members["acquisitions"] = .array(try catalog.acquisitions(sha256: stored.sha256).map(acquisition))
            members["derivedRecords"] = .array(try catalog.derivedRecords(sha256: stored.sha256).map {
                derived($0, objects: store.objects)
            })
            shown.append(.object(members))
        }
        let document: JSONValue = .object([
            "mediaType": .string(showMediaType), "query": .string(query), "items": .array(shown),
        ])
        return CanonicalJSON.serialize(document) + [0x0A]
    }

    static func item(_ item: StoredItem) -> [String: JSONValue] {
        [
            "sha256": .string(item.sha256), "sha512": .string(item.sha512), "size": .integer(Int64(item.size)),
            "path": .string(AcquisitionRecord.objectName(item.sha256)),
            "cases": .array(item.cases.map(JSONValue.string)),
            "firstAcquired": acquisition(item.first),
        ]
    }

    /// One acquisition: the event's sequence number and time, who, for which case, and the source facts.
    static func acquisition(_ record: AcquisitionRecord) -> JSONValue {
        var members: [String: JSONValue] = [
            "seq": .integer(Int64(record.seq)), "time": .string(record.time), "outcome": .string(record.outcome.rawValue),
            "case": .string(record.caseID), "collector": .string(record.collector), "keyId": .string(record.keyID),
        ]
        let optional: [(String, String?)] = [
            ("actorName", record.actorName), ("role", record.role), ("device", record.device),
            ("location", record.location), ("sourceUrl", record.sourceURL), ("note", record.note),
        ]
        for (name, value) in optional { if let value { members[name] = .string(value) } }
        if record.recognisedByIdentity { members["recognisedBy"] = .string("identity") }
        let source = record.source
        var sourceMembers: [String: JSONValue] = [
            "path": .string(source.path), "size": .integer(Int64(source.size)), "mtime": .string(source.mtime),
            "ctime": .string(source.ctime),
        ]
        // Decimal strings, as in the ledger: st_dev and st_ino are unsigned 64-bit and may not fit a JSON integer.
        if let dev = source.deviceNumber { sourceMembers["dev"] = .string(String(dev)) }
        if let ino = source.inode { sourceMembers["ino"] = .string(String(ino)) }
        members["source"] = .object(sourceMembers)
        var volume = [String: JSONValue]()
        let facts: [(String, String?)] = [
            ("fsType", source.fileSystemType), ("uuid", source.volumeUUID), ("label", source.volumeLabel),
            ("deviceModel", source.deviceModel), ("deviceSerial", source.deviceSerial),
        ]
        for (name, value) in facts { if let value { volume[name] = .string(value) } }
        if !volume.isEmpty { members["volume"] = .object(volume) }
        return .object(members)
    }

    /// A derived record with its content; `problem` instead when its file is missing or does not match its name.
    static func derived(_ record: DerivedRecord, objects: ObjectStore) -> JSONValue {
        var members: [String: JSONValue] = [
            "kind": .string(record.kind.rawValue), "seq": .integer(Int64(record.seq)),
            "sha256": .string(record.recordSHA256),
            "path": .string(String(StoreLayout(root: "").recordPath(sha256: record.recordSHA256).dropFirst())),
        ]
        if let bytes = objects.record(sha256: record.recordSHA256),
           let value = try? CanonicalJSON.parse(Array(bytes.dropLast()), maxDepth: 8) {
            members["record"] = value
        } else {
            members["problem"] = .string("the record file is missing or does not match its name")
        }
        return .object(members)
    }
}
