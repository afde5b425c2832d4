import Foundation

/// A signed RFC 9162 tree head over the store's ledger: how many events it held and their Merkle root, signed by the
/// person whose command appended them. One is written after every command that writes to the ledger.
///
/// A later ledger must be an extension of every checkpoint: its first `size` lines must still hash to `root`. So a
/// ledger that was shortened or rewritten after a checkpoint was handed out (in a bundle, a report, an email) shows.
package struct StoreCheckpoint: Equatable, Sendable {
    package static let signingDomain = Array("amana-store-checkpoint-v1\n".utf8)

    /// `amana-store:<store id>`: which ledger this is a checkpoint of.
    package var origin: String
    package var size: Int
    /// Lowercase hex RFC 9162 Merkle tree hash of the first `size` ledger lines.
    package var root: String
    package var time: String
    package var keyID: String
    package var publicKey: String
    package var sig: String = ""

    package init(origin: String, size: Int, root: String, time: String, keyID: String, publicKey: String) {
        self.origin = origin
        self.size = size
        self.root = root
        self.time = time
        self.keyID = keyID
        self.publicKey = publicKey
    }

    package static func origin(storeID: String) -> String { "amana-store:" + storeID }

    func json(signed: Bool) -> JSONValue {
        var members: [String: JSONValue] = [
            "origin": .string(origin), "size": .integer(Int64(size)), "root": .string(root), "time": .string(time),
            "keyId": .string(keyID), "publicKey": .string(publicKey),
        ]
        if signed { members["sig"] = .string(sig) }
        return .object(members)
    }

    package var signingInput: [UInt8] { StoreCheckpoint.signingDomain + CanonicalJSON.serialize(json(signed: false)) }
    package var line: [UInt8] { CanonicalJSON.serialize(json(signed: true)) }

    package mutating func sign(with key: SecretKey) throws {
        sig = Base64.encode(try key.signDetached(signingInput))
    }

    /// The signature verifies under the public key the checkpoint carries, and that key has the ID it claims.
    package var signatureValid: Bool {
        guard let key = try? PublicKey(base64: publicKey), key.keyID.description == keyID,
              let signature = Base64.decode(sig), signature.count == 64 else { return false }
        return key.isValidDetached(signature, message: signingInput)
    }

    package init(line: [UInt8]) throws {
        func bad(_ why: String) -> AmanaError { AmanaError(.inputInvalid, "malformed store checkpoint: \(why)") }
        let value = try CanonicalJSON.parseCanonical(line, maxDepth: 2)
        guard let origin = value["origin"]?.stringValue, let size = value["size"]?.integerValue, size >= 0,
              let root = value["root"]?.stringValue, let time = value["time"]?.stringValue,
              let keyID = value["keyId"]?.stringValue, let publicKey = value["publicKey"]?.stringValue,
              let sig = value["sig"]?.stringValue
        else { throw bad("a field is missing") }
        self.init(origin: origin, size: Int(size), root: root, time: time, keyID: keyID, publicKey: publicKey)
        self.sig = sig
    }
}
