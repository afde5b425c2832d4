import Foundation

/// A signed receipt for a hand-off, which the recipient gives back to the sender.
///
/// It says: "I, holder of this key, received bundle B; it verified as V; after I recorded my `received` event the
/// custody log held N events with Merkle root R." The sender keeps it. Later, anyone holding the bundle can check
/// that the bundle's log still starts with those N events (same root): if it does not, someone rewrote history
/// after the hand-off. Canonical JSON (RFC 8785) with an Ed25519 signature, like custody events.
package struct Receipt: Equatable, Sendable {
    package static let mediaType = "application/vnd.amana.receipt+json;version=1"
    package static let signingDomain = Array("amana-receipt-v1\n".utf8)

    package var bundleID: String
    package var verdict: String
    package var receivedAt: String
    package var custodyLength: Int
    package var custodyRoot: String
    package var seal: Int
    package var recipient: CustodyEvent.Actor
    /// The sender's key id, from the `transferred` event this receipt answers, if there was one.
    package var sender: String?
    package var sig: String = ""

    package init(bundleID: String, verdict: String, receivedAt: String, custodyLength: Int, custodyRoot: String, seal: Int,
                recipient: CustodyEvent.Actor, sender: String?) {
        self.bundleID = bundleID
        self.verdict = verdict
        self.receivedAt = receivedAt
        self.custodyLength = custodyLength
        self.custodyRoot = custodyRoot
        self.seal = seal
        self.recipient = recipient
        self.sender = sender
    }

    func json(signed: Bool) -> JSONValue {
        var recipientMembers: [String: JSONValue] = ["keyId": .string(recipient.keyID), "publicKey": .string(recipient.publicKey)]
        if let name = recipient.name { recipientMembers["name"] = .string(name) }
        if let organization = recipient.organization { recipientMembers["organization"] = .string(organization) }
        if let role = recipient.role { recipientMembers["role"] = .string(role) }
        var members: [String: JSONValue] = [
            "mediaType": .string(Receipt.mediaType),
            "bundleId": .string(bundleID),
            "verdict": .string(verdict),
            "receivedAt": .string(receivedAt),
            "custody": .object(["length": .integer(Int64(custodyLength)), "root": .string(custodyRoot)]),
            "seal": .integer(Int64(seal)),
            "recipient": .object(recipientMembers),
        ]
        if let sender { members["sender"] = .string(sender) }
        if signed { members["sig"] = .string(sig) }
        return .object(members)
    }

    package mutating func sign(with key: SecretKey) throws {
        sig = Base64.encode(try key.signDetached(Receipt.signingDomain + CanonicalJSON.serialize(json(signed: false))))
    }

    /// The file's bytes: the canonical JSON and a final LF.
    package var bytes: [UInt8] { CanonicalJSON.serialize(json(signed: true)) + [0x0A] }

    /// Parses a receipt file strictly (canonical JSON, known fields only).
    package init(bytes: [UInt8]) throws {
        func bad(_ why: String) -> AmanaError { AmanaError(.inputInvalid, "malformed receipt: \(why)") }
        guard bytes.count <= 64 * 1024, bytes.last == 0x0A else { throw bad("not a receipt file") }
        let value = try CanonicalJSON.parseCanonical(Array(bytes.dropLast()), maxDepth: 3)
        guard case .object(let members) = value, members["mediaType"]?.stringValue == Receipt.mediaType else {
            throw bad("not an \(Receipt.mediaType) document")
        }
        let known: Set<String> = ["mediaType", "bundleId", "verdict", "receivedAt", "custody", "seal", "recipient", "sender", "sig"]
        if let extra = members.keys.first(where: { !known.contains($0) }) { throw bad("unknown field '\(extra)'") }
        guard let bundleID = members["bundleId"]?.stringValue, let verdict = members["verdict"]?.stringValue,
              let receivedAt = members["receivedAt"]?.stringValue,
              let length = members["custody"]?["length"]?.integerValue, let root = members["custody"]?["root"]?.stringValue,
              let seal = members["seal"]?.integerValue, let sig = members["sig"]?.stringValue,
              case .object(let recipient)? = members["recipient"],
              let keyID = recipient["keyId"]?.stringValue, let publicKey = recipient["publicKey"]?.stringValue
        else { throw bad("a required field is missing or has the wrong type") }
        // The log prefix is compared by its first `length` events: a negative count must never reach that.
        guard length >= 1, (1...9999).contains(seal) else { throw bad("the custody length or seal number is out of range") }
        guard UTCTime.parse(receivedAt) != nil else { throw bad("'receivedAt' must be a utc-time, YYYY-MM-DDTHH:MM:SSZ") }
        self.init(bundleID: bundleID, verdict: verdict, receivedAt: receivedAt, custodyLength: Int(length), custodyRoot: root,
                  seal: Int(seal), recipient: CustodyEvent.Actor(keyID: keyID, publicKey: publicKey,
                                                                  name: recipient["name"]?.stringValue,
                                                                  organization: recipient["organization"]?.stringValue,
                                                                  role: recipient["role"]?.stringValue),
                  sender: members["sender"]?.stringValue)
        self.sig = sig
    }

    /// The recipient's key, if the signature over the receipt verifies with it.
    package func verifiedRecipient() -> PublicKey? {
        guard let key = try? PublicKey(base64: recipient.publicKey), key.keyID.description == recipient.keyID,
              let signature = Base64.decode(sig),
              key.isValidDetached(signature, message: Receipt.signingDomain + CanonicalJSON.serialize(json(signed: false)))
        else { return nil }
        return key
    }
}
