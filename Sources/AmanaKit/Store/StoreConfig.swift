import Foundation

/// `store.json`: what makes a folder an Amana store, and which store it is.
///
/// The store ID binds the ledger to this store (it is the ledger's genesis, as a bundle ID is a custody log's), so
/// a ledger copied into another store does not chain. The keeper is the key that created the store; it is recorded
/// for people, not trusted by the code.
package struct StoreConfig: Equatable, Sendable {
    package static let format = "amana-store-v1"

    package var storeID: String
    package var created: String
    package var keeperKeyID: String
    package var keeperPublicKey: String

    package init(storeID: String, created: String, keeperKeyID: String, keeperPublicKey: String) {
        self.storeID = storeID
        self.created = created
        self.keeperKeyID = keeperKeyID
        self.keeperPublicKey = keeperPublicKey
    }

    package var bytes: [UInt8] {
        CanonicalJSON.serialize(.object([
            "format": .string(StoreConfig.format),
            "storeId": .string(storeID),
            "created": .string(created),
            "keeper": .object(["keyId": .string(keeperKeyID), "publicKey": .string(keeperPublicKey)]),
        ])) + [0x0A]
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
        self.init(storeID: id, created: created, keeperKeyID: keyID, keeperPublicKey: publicKey)
    }
}
