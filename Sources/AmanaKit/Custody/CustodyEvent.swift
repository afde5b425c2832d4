/// One line of the custody log: who did what to which items, when (as claimed), signed by that person's key.
///
/// An event is stored as its RFC 8785 canonical JSON on one line. `prev` chains it to the line before (so lines can
/// be neither reordered nor edited), and `sig` is the actor's Ed25519 signature over the event without `sig`,
/// prefixed with ``signingDomain`` so the signature can never be mistaken for, or replayed as, any other Amana or
/// minisign signature. The actor's public key travels in the event, so a signature by an unknown key can still be
/// checked, and reported as valid-but-untrusted.
package struct CustodyEvent: Equatable, Sendable {
    package enum Action: String, CaseIterable, Sendable {
        case acquired, ingested, sealed, transferred, received, accessed, copied, verified, derived, redacted,
             exported, note
        /// Content already held was acquired again (an evidence store records it without copying it twice).
        case duplicate
    }

    package struct Actor: Equatable, Sendable {
        package var keyID: String
        /// minisign base64 form of the actor's public key.
        package var publicKey: String
        package var name: String?
        package var organization: String?
        package var role: String?

        package init(keyID: String, publicKey: String, name: String? = nil, organization: String? = nil, role: String? = nil) {
            self.keyID = keyID
            self.publicKey = publicKey
            self.name = name
            self.organization = organization
            self.role = role
        }
    }

    /// An item the event is about: its payload path and its digests (BagIt algorithm name to lowercase hex), using
    /// the bundle's manifest algorithms, so an event never depends on a digest the bundle does not carry.
    package struct Item: Equatable, Sendable {
        package var path: String
        package var digests: [String: String]

        package init(path: String, digests: [String: String]) {
            self.path = path
            self.digests = digests
        }
    }

    /// Prefixed to the canonical bytes before signing.
    package static let signingDomain = Array("amana-custody-event-v1\n".utf8)
    /// The most events a log may hold (about 40 MB of events at ~400 bytes each).
    package static let maximumLineBytes = 64 * 1024

    package var seq: Int
    package var time: String
    package var actor: Actor
    package var action: Action
    package var items: [Item]
    /// Free-form facts as strings: acquisition facts, the seal number, the recipient of a transfer, a verdict.
    package var details: [String: String]
    /// Lowercase hex SHA-256 of the previous line (see ``CustodyLog/genesis(bundleID:)`` for the first).
    package var prev: String
    /// Base64 Ed25519 signature, empty until signed.
    package var sig: String

    package init(seq: Int, time: String, actor: Actor, action: Action, items: [Item], details: [String: String],
                prev: String, sig: String = "") {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.action = action
        self.items = items
        self.details = details
        self.prev = prev
        self.sig = sig
    }

    /// The event as a JSON value; without `sig` when `signed` is false.
    func json(signed: Bool) -> JSONValue {
        var actorMembers: [String: JSONValue] = ["keyId": .string(actor.keyID), "publicKey": .string(actor.publicKey)]
        if let name = actor.name { actorMembers["name"] = .string(name) }
        if let organization = actor.organization { actorMembers["organization"] = .string(organization) }
        if let role = actor.role { actorMembers["role"] = .string(role) }
        var members: [String: JSONValue] = [
            "seq": .integer(Int64(seq)),
            "time": .string(time),
            "actor": .object(actorMembers),
            "action": .string(action.rawValue),
            "items": .array(items.map { .object(["path": .string($0.path), "digests": .object($0.digests.mapValues { .string($0) })]) }),
            "details": .object(details.mapValues { .string($0) }),
            "prev": .string(prev),
        ]
        if signed { members["sig"] = .string(sig) }
        return .object(members)
    }

    /// The bytes the signature covers: the domain prefix, then the canonical JSON without `sig`.
    package var signingInput: [UInt8] {
        CustodyEvent.signingDomain + CanonicalJSON.serialize(json(signed: false))
    }

    /// The canonical line, without its line feed.
    package var line: [UInt8] { CanonicalJSON.serialize(json(signed: true)) }

    /// Signs the event with `key`, which must be the actor's.
    package mutating func sign(with key: SecretKey) throws {
        precondition(key.keyID.description == actor.keyID, "the actor must sign their own event")
        sig = Base64.encode(try key.signDetached(signingInput))
    }

    /// Parses one line strictly: canonical JSON, exactly the known fields, sensible values.
    package init(line: [UInt8]) throws {
        func bad(_ why: String) -> AmanaError { AmanaError(.inputInvalid, "malformed custody event: \(why)") }
        guard line.count <= CustodyEvent.maximumLineBytes else { throw bad("longer than \(CustodyEvent.maximumLineBytes) bytes") }
        let value = try CanonicalJSON.parseCanonical(line, maxDepth: 5)
        guard case .object(let members) = value else { throw bad("not a JSON object") }
        let known: Set<String> = ["seq", "time", "actor", "action", "items", "details", "prev", "sig"]
        if let extra = members.keys.first(where: { !known.contains($0) }) { throw bad("unknown field '\(extra)'") }
        guard let seq = members["seq"]?.integerValue, seq >= 1 else { throw bad("'seq' must be a positive integer") }
        guard let time = members["time"]?.stringValue, UTCTime.parse(time) != nil else { throw bad("'time' must be a utc-time, YYYY-MM-DDTHH:MM:SSZ") }
        guard let actionName = members["action"]?.stringValue, let action = Action(rawValue: actionName) else {
            throw bad("unknown 'action'")
        }
        guard case .object(let actorMembers)? = members["actor"],
              let keyID = actorMembers["keyId"]?.stringValue, let publicKey = actorMembers["publicKey"]?.stringValue
        else { throw bad("'actor' needs 'keyId' and 'publicKey'") }
        let actorKnown: Set<String> = ["keyId", "publicKey", "name", "organization", "role"]
        if let extra = actorMembers.keys.first(where: { !actorKnown.contains($0) }) { throw bad("unknown actor field '\(extra)'") }
        func optionalString(_ key: String) throws -> String? {
            guard let value = actorMembers[key] else { return nil }
            guard let text = value.stringValue else { throw bad("actor '\(key)' must be a string") }
            return text
        }
        let actor = Actor(keyID: keyID, publicKey: publicKey, name: try optionalString("name"),
                          organization: try optionalString("organization"), role: try optionalString("role"))
        guard case .array(let itemValues)? = members["items"] else { throw bad("'items' must be an array") }
        var items = [Item]()
        for itemValue in itemValues {
            guard case .object(let itemMembers) = itemValue, itemMembers.count == 2,
                  let path = itemMembers["path"]?.stringValue, case .object(let digestValues)? = itemMembers["digests"],
                  !digestValues.isEmpty
            else { throw bad("each item must be {\"digests\", \"path\"}") }
            var digests = [String: String]()
            for (name, value) in digestValues {
                guard let algorithm = DigestAlgorithm(rawValue: name), !algorithm.isBroken, let hex = value.stringValue,
                      let raw = Hex.decode(hex), raw.count == algorithm.byteCount, hex == hex.lowercased()
                else { throw bad("an item digest must be a lowercase hex digest of a strong BagIt algorithm") }
                digests[name] = hex
            }
            items.append(Item(path: path, digests: digests))
        }
        guard case .object(let detailValues)? = members["details"] else { throw bad("'details' must be an object") }
        var details = [String: String]()
        for (key, detail) in detailValues {
            guard let text = detail.stringValue else { throw bad("every detail must be a string") }
            details[key] = text
        }
        guard let prev = members["prev"]?.stringValue, let prevRaw = Hex.decode(prev), prevRaw.count == 32,
              prev == prev.lowercased()
        else { throw bad("'prev' must be a lowercase SHA-256 hex digest") }
        guard let sig = members["sig"]?.stringValue, Base64.decode(sig)?.count == 64 else {
            throw bad("'sig' must be a base64 Ed25519 signature")
        }
        self.init(seq: Int(seq), time: time, actor: actor, action: action, items: items, details: details,
                  prev: prev, sig: sig)
    }
}
