import Foundation

/// `store.json`: what makes a folder an Amana store, which store it is, and where its back ends are.
///
/// The store ID binds the ledger to this store (it is the ledger's genesis, as a bundle ID is a custody log's), so
/// a ledger copied into another store does not chain. The keeper is the key that created the store; it is recorded
/// for people, not trusted by the code. A local store (the default) keeps everything in its folder and its file has
/// no `backEnd` member, byte for byte as before back ends existed; an organisation store names its PostgreSQL
/// catalog and S3 objects there (spec/store.md, "Back ends"). The file never holds a secret.
package struct StoreConfig: Equatable, Sendable {
    package static let format = "amana-store-v1"

    package var storeID: String
    package var created: String
    package var keeperKeyID: String
    package var keeperPublicKey: String
    package var backEnd: StoreBackEndKind

    package init(storeID: String, created: String, keeperKeyID: String, keeperPublicKey: String,
                 backEnd: StoreBackEndKind = .local) {
        self.storeID = storeID
        self.created = created
        self.keeperKeyID = keeperKeyID
        self.keeperPublicKey = keeperPublicKey
        self.backEnd = backEnd
    }

    package var bytes: [UInt8] {
        var members: [String: JSONValue] = [
            "format": .string(StoreConfig.format),
            "storeId": .string(storeID),
            "created": .string(created),
            "keeper": .object(["keyId": .string(keeperKeyID), "publicKey": .string(keeperPublicKey)]),
        ]
        if case .organisation(let organisation) = backEnd { members["backEnd"] = organisation.json }
        return CanonicalJSON.serialize(.object(members)) + [0x0A]
    }

    package init(bytes: [UInt8], path: String) throws {
        func bad(_ why: String) -> AmanaError {
            AmanaError(.inputInvalid, "\(path) is not an amana store configuration: \(why)")
        }
        var body = bytes
        if body.last == 0x0A { body.removeLast() }
        let value: JSONValue
        do { value = try CanonicalJSON.parse(body, maxDepth: 3) } catch { throw bad("not JSON") }
        guard value["format"]?.stringValue == StoreConfig.format else { throw bad("unknown format") }
        guard let id = value["storeId"]?.stringValue, !id.isEmpty, let created = value["created"]?.stringValue,
              let keyID = value["keeper"]?["keyId"]?.stringValue, let publicKey = value["keeper"]?["publicKey"]?.stringValue
        else { throw bad("a field is missing") }
        var backEnd = StoreBackEndKind.local
        if let described = value["backEnd"] {
            do { backEnd = try StoreBackEndKind(json: described) } catch let error as StoreConfigError {
                throw bad(error.reason)
            }
        }
        self.init(storeID: id, created: created, keeperKeyID: keyID, keeperPublicKey: publicKey, backEnd: backEnd)
    }
}
