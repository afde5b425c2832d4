import Foundation

/// `amana store verify`: re-hashes every stored object from the disk and reports each one whose bytes no longer match
/// the digests recorded when it was acquired (bit rot, a bad sector, a hand that edited it).
///
/// A damaged object is reported with its identity (both digests, its first source path, who acquired it when) and
/// every case it belongs to, because that is what a person must act on: which cases now rest on a broken copy. A
/// failed object is a finding, not an error; the scrub always goes on to the next one.
package struct StoreScrubber {
    package struct Damage: Sendable {
        package enum Problem: String, Sendable {
            /// `store.object.missing`: no file under the object's name.
            case missing = "store.object.missing"
            /// `store.object.damaged`: the file's digests differ from the recorded ones.
            case damaged = "store.object.damaged"
            /// `store.record.missing`: no file for a derived record the ledger names (the object may be intact).
            case recordMissing = "store.record.missing"
            /// `store.record.damaged`: a derived record's file does not hash to its name.
            case recordDamaged = "store.record.damaged"
            /// `store.object.retention`: the back end retains the object for less than the store's policy demands
            /// (an organisation store on S3 with Object Lock; a local folder enforces no retention and never reports it).
            case retentionShort = "store.object.retention"
            /// `store.object.overwritten`: another version or a delete marker lies under the object's name (S3: someone
            /// overwrote or deleted the key). The store's own version is still the one read and re-hashed; this says
            /// that someone with write access to the bucket tried. A local folder has no versions and never reports it.
            case overwritten = "store.object.overwritten"
        }

        package var item: StoredItem
        package var problem: Problem
        /// What was found: the SHA-256 of the bytes on disk, or the reason it could not be read.
        package var found: String
    }

    package struct Result: Sendable {
        package var checked = 0
        package var bytes: UInt64 = 0
        package var damage = [Damage]()
        package var checkpoint: StoreCheckpoint?
    }

    let store: EvidenceStore

    package init(store: EvidenceStore) {
        self.store = store
    }

    /// Every object with its size, for progress, before hashing starts.
    package func items() throws -> (items: [StoredItem], totalBytes: UInt64) {
        let items = try store.catalog.items(caseID: nil)
        return (items, items.reduce(0) { $0 + $1.size })
    }

    /// Checks every object; with a key, records the scrub as a signed `verified` event and checkpoints the ledger.
    package func run(_ items: [StoredItem], key: SecretKey?, role: String?) throws -> Result {
        var result = Result()
        let objects = store.objects
        for item in items {
            result.checked += 1
            let ref = StoredObjectRef(item)
            guard objects.exists(ref) else {
                result.damage.append(Damage(item: item, problem: .missing, found: "no object file"))
                continue
            }
            do {
                let found = try objects.rehash(ref)
                result.bytes += found.size
                if found.sha256 != item.sha256 || found.sha512 != item.sha512 || found.size != item.size {
                    result.damage.append(Damage(item: item, problem: .damaged, found: "sha256 \(found.sha256), \(found.size) bytes"))
                }
            } catch let error as AmanaError {
                result.damage.append(Damage(item: item, problem: .damaged, found: Ingester.cause(error.reason)))
            }
            // Where the back end enforces retention (S3 Object Lock), the object must be retained as the policy
            // demands; a local folder answers that it does not apply.
            // A check that cannot be made (the server does not answer) is a finding too, never the end of the scrub.
            do {
                if case .short(let until) = try objects.retention(ref) {
                    result.damage.append(Damage(item: item, problem: .retentionShort,
                                                found: until.map { "retained only until \($0)" } ?? "not retained"))
                }
            } catch let error as AmanaError {
                result.damage.append(Damage(item: item, problem: .retentionShort,
                                            found: "its retention cannot be read: \(Ingester.cause(error.reason))"))
            }
            // Versions: anything else under the object's name is someone else's overwrite or delete.
            do {
                let foreign = try objects.foreignVersions(of: ref)
                if !foreign.isEmpty {
                    result.damage.append(Damage(item: item, problem: .overwritten,
                                                found: "another writer put \(foreign.map(\.description).joined(separator: ", ")) under its name; the store's version is the one read"))
                }
            } catch let error as AmanaError {
                result.damage.append(Damage(item: item, problem: .overwritten,
                                            found: "its versions cannot be listed: \(Ingester.cause(error.reason))"))
            }
            // The derived records the signed events name must still be the bytes they were named for.
            for record in try store.catalog.derivedRecords(sha256: item.sha256) {
                if !objects.recordExists(sha256: record.recordSHA256) {
                    result.damage.append(Damage(item: item, problem: .recordMissing,
                                                found: "no file for its \(record.kind.rawValue) record sha256:\(record.recordSHA256)"))
                } else if objects.record(sha256: record.recordSHA256) == nil {
                    result.damage.append(Damage(item: item, problem: .recordDamaged,
                                                found: "its \(record.kind.rawValue) record sha256:\(record.recordSHA256) does not hash to its name"))
                }
            }
        }
        if let key {
            let ledger = try store.ledger()
            // One item per damaged object, whether its bytes or a record derived from it failed.
            var seen = Set<String>()
            let damagedItems = result.damage.filter { seen.insert($0.item.sha256).inserted }.map(\.item)
            let details: [String: String] = [
                "scope": "store", "objects": String(result.checked), "damaged": String(damagedItems.count),
                "result": result.damage.isEmpty ? "intact" : "damaged",
            ]
            // The ledger back end numbers the event from its head and indexes it in the catalog.
            try ledger.append(.verified, items: damagedItems.map { $0.first.ledgerItem }, details: details, key: key,
                              role: role, time: Date())
            result.checkpoint = try ledger.checkpoint(key: key, time: Date())
        }
        return result
    }
}
