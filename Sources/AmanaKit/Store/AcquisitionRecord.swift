/// One acquisition: a file read from a source at one time by one person into the store, new or a duplicate.
///
/// Every field comes from the signed ledger event (``ledgerDetails`` and ``init(seq:event:)`` are each other's
/// inverse), which is what lets `store rebuild-catalog` recreate the catalog from the ledger alone.
package struct AcquisitionRecord: Equatable, Sendable {
    package enum Outcome: String, Sendable {
        /// The content was not in the store: it was copied, verified and stored.
        case new
        /// The content was already stored: nothing was copied; this acquisition was recorded.
        case duplicate
    }

    /// The ledger event's sequence number, which is also the acquisition's identity.
    package var seq: Int
    package var sha256: String
    package var sha512: String
    package var caseID: String
    package var time: String
    package var collector: String
    package var keyID: String
    package var actorName: String?
    package var role: String?
    package var device: String?
    package var location: String?
    package var sourceURL: String?
    package var note: String?
    package var outcome: Outcome
    package var source: SourceRecord
    /// True when this duplicate was recognised by the source file's identity, without re-hashing it (spec/store.md,
    /// "Re-run shortcut"); the event says so, so nobody reads it as a fresh proof of the content.
    package var recognisedByIdentity = false
    /// The SHA-256 of the capture metadata record derived from the object at its first ingest, kept under
    /// `records/` (spec/store.md, "Derived records"); nil for a duplicate, with `--no-metadata`, and before records.
    package var metadataRecord: String?
    /// On a back end that keeps versions (S3), the version of the object this `new` acquisition stored: every read
    /// of the object names it (spec/store.md, "Back ends"). Nil for a local store and for a duplicate.
    package var versionID: String?

    package init(seq: Int, sha256: String, sha512: String, caseID: String, time: String, collector: String,
                keyID: String, actorName: String? = nil, role: String? = nil, device: String? = nil,
                location: String? = nil, sourceURL: String? = nil, note: String? = nil, outcome: Outcome,
                source: SourceRecord) {
        self.seq = seq
        self.sha256 = sha256
        self.sha512 = sha512
        self.caseID = caseID
        self.time = time
        self.collector = collector
        self.keyID = keyID
        self.actorName = actorName
        self.role = role
        self.device = device
        self.location = location
        self.sourceURL = sourceURL
        self.note = note
        self.outcome = outcome
        self.source = source
    }

    /// The names of the event details; spec/store.md lists them.
    enum Key {
        static let outcome = "outcome", caseID = "case", collector = "collector", device = "device",
                   location = "location", sourceURL = "sourceUrl", note = "note", size = "source.size",
                   path = "source.path", mtime = "source.mtime", ctime = "source.ctime",
                   fsType = "volume.fsType", volumeUUID = "volume.uuid", volumeLabel = "volume.label",
                   deviceModel = "volume.deviceModel", deviceSerial = "volume.deviceSerial", deviceNumber = "source.dev", inode = "source.ino",
                   recognisedBy = "recognisedBy", metadataRecord = "derived.metadata", versionID = "object.versionId"
    }

    /// The ledger action that records this acquisition: `ingested` for new content, `duplicate` for content already
    /// held, so that a reader of the timeline sees which acquisitions copied anything without reading the details.
    package var action: CustodyEvent.Action { outcome == .new ? .ingested : .duplicate }

    /// The `details` of the `ingested` or `duplicate` event that records this acquisition.
    package var ledgerDetails: [String: String] {
        var details: [String: String] = [
            Key.outcome: outcome.rawValue, Key.caseID: caseID, Key.collector: collector,
            Key.path: source.path, Key.size: String(source.size), Key.mtime: source.mtime, Key.ctime: source.ctime,
        ]
        details[Key.device] = device
        details[Key.location] = location
        details[Key.sourceURL] = sourceURL
        details[Key.note] = note
        details[Key.fsType] = source.fileSystemType
        details[Key.volumeUUID] = source.volumeUUID
        details[Key.volumeLabel] = source.volumeLabel
        details[Key.deviceModel] = source.deviceModel
        details[Key.deviceSerial] = source.deviceSerial
        details[Key.deviceNumber] = source.deviceNumber.map(String.init)
        details[Key.inode] = source.inode.map(String.init)
        if recognisedByIdentity { details[Key.recognisedBy] = "identity" }
        details[Key.metadataRecord] = metadataRecord
        details[Key.versionID] = versionID
        return details
    }

    /// The event's one item: the object's place in the store and both digests.
    package var ledgerItem: CustodyEvent.Item {
        CustodyEvent.Item(path: AcquisitionRecord.objectName(sha256), digests: ["sha256": sha256, "sha512": sha512])
    }

    /// `objects/sha256/ab/cd/<hex>`, relative to the store.
    package static func objectName(_ sha256: String) -> String {
        String(StoreLayout(root: "").objectPath(sha256: sha256).dropFirst())
    }

    /// Reads an acquisition back from an `ingested` or `duplicate` event; nil when the event is neither, lacks a
    /// field, or is a `duplicate` whose `outcome` says `new`. An `ingested` event with `outcome: duplicate` (written
    /// before the `duplicate` action existed) still reads as a duplicate.
    package init?(seq: Int, event: CustodyEvent) {
        let details = event.details
        guard event.action == .ingested || event.action == .duplicate, event.items.count == 1,
              let sha256 = event.items[0].digests["sha256"], let sha512 = event.items[0].digests["sha512"],
              let outcome = details[Key.outcome].flatMap(Outcome.init(rawValue:)),
              let caseID = details[Key.caseID], let collector = details[Key.collector], let path = details[Key.path],
              let size = details[Key.size].flatMap(UInt64.init), let mtime = details[Key.mtime],
              let ctime = details[Key.ctime], event.action == .ingested || outcome == .duplicate
        else { return nil }
        let source = SourceRecord(path: path, size: size, mtime: mtime, ctime: ctime,
                                  fileSystemType: details[Key.fsType], volumeUUID: details[Key.volumeUUID],
                                  volumeLabel: details[Key.volumeLabel], deviceModel: details[Key.deviceModel],
                                  deviceSerial: details[Key.deviceSerial],
                                  deviceNumber: details[Key.deviceNumber].flatMap(UInt64.init),
                                  inode: details[Key.inode].flatMap(UInt64.init))
        self.init(seq: seq, sha256: sha256, sha512: sha512, caseID: caseID, time: event.time, collector: collector,
                  keyID: event.actor.keyID, actorName: event.actor.name, role: event.actor.role,
                  device: details[Key.device], location: details[Key.location], sourceURL: details[Key.sourceURL],
                  note: details[Key.note], outcome: outcome, source: source)
        recognisedByIdentity = details[Key.recognisedBy] == "identity"
        // Only a well-formed digest names a record: anything else in a signed event is not followed into the store.
        metadataRecord = details[Key.metadataRecord].flatMap { text in
            text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
                ? text : nil
        }
        versionID = details[Key.versionID].flatMap { text in
            (1...1024).contains(text.utf8.count) && text.utf8.allSatisfy { (0x21...0x7E).contains($0) } ? text : nil
        }
    }
}
