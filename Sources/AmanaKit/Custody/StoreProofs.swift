/// `amana/store-proofs.json`: what a bundle sealed from an evidence store carries to prove, offline, that its first
/// custody events are the store's own ledger events (custody-log.md section 9).
///
/// The events themselves are the custody log's first lines, byte for byte as the ledger holds them; this file adds the
/// store checkpoint they are proven against and, for each of those lines in order, its RFC 9162 inclusion proof. The
/// leaf index is not stored here: it is the event's own signed `seq` minus one, so nobody can move a proof to another
/// place in the tree without editing a signed event.
package struct StoreProofs: Equatable, Sendable {
    package static let path = "amana/store-proofs.json"
    package static let mediaType = "application/vnd.amana.store-proofs+json;version=1"
    /// A store bundle carries one acquisition event per acquisition; more proofs than the custody log may hold events
    /// is refused before anything is hashed.
    static let maximumEvents = CustodyLog.maximumEvents

    /// The case every carried acquisition must belong to: the bundle's `Internal-Sender-Identifier`.
    package var caseID: String
    package var checkpoint: StoreCheckpoint
    /// One inclusion proof per carried event (custody log line 1, 2, ...), each a list of 32-byte hashes, deepest
    /// first.
    package var proofs: [[[UInt8]]]

    package init(caseID: String, checkpoint: StoreCheckpoint, proofs: [[[UInt8]]]) {
        self.caseID = caseID
        self.checkpoint = checkpoint
        self.proofs = proofs
    }

    /// Canonical JSON and a final LF.
    package var bytes: [UInt8] {
        let events = proofs.map { proof in JSONValue.object(["proof": .array(proof.map { .string(Hex.encode($0)) })]) }
        let value = JSONValue.object([
            "case": .string(caseID), "checkpoint": checkpoint.json(signed: true), "events": .array(events),
            "mediaType": .string(StoreProofs.mediaType),
        ])
        return CanonicalJSON.serialize(value) + [0x0A]
    }

    /// Parses the file strictly: canonical JSON and a final LF, exactly the members above, hashes of 32 bytes in
    /// lowercase hex. Anything else is a malformed file, never a guess.
    package init(bytes: [UInt8]) throws {
        func bad(_ why: String) -> AmanaError { AmanaError(.inputInvalid, "malformed \(StoreProofs.path): \(why)") }
        guard bytes.last == 0x0A else { throw bad("it does not end with a line feed") }
        let value: JSONValue
        do { value = try CanonicalJSON.parseCanonical(Array(bytes.dropLast()), maxDepth: 5) } catch {
            throw bad("it is not one canonical JSON object")
        }
        guard case .object(let members) = value, Set(members.keys) == ["case", "checkpoint", "events", "mediaType"] else {
            throw bad("it must have exactly the members case, checkpoint, events and mediaType")
        }
        guard members["mediaType"]?.stringValue == StoreProofs.mediaType else { throw bad("unknown mediaType") }
        guard let caseID = members["case"]?.stringValue, !caseID.isEmpty else { throw bad("case is not a string") }
        guard case .object(let checkpointMembers)? = members["checkpoint"],
              Set(checkpointMembers.keys) == ["keyId", "origin", "publicKey", "root", "sig", "size", "time"] else {
            throw bad("checkpoint must have exactly the members of a store checkpoint")
        }
        let checkpoint: StoreCheckpoint
        do { checkpoint = try StoreCheckpoint(line: CanonicalJSON.serialize(members["checkpoint"]!)) } catch {
            throw bad("checkpoint: a member has the wrong type")
        }
        guard UTCTime.parse(checkpoint.time) != nil else { throw bad("the checkpoint's time is not a utc-time") }
        guard let root = Hex.decode(checkpoint.root), root.count == MerkleTree.hashSize,
              Hex.encode(root) == checkpoint.root else {
            throw bad("the checkpoint's root is not 64 lowercase hex digits")
        }
        guard case .array(let events)? = members["events"], !events.isEmpty, events.count <= StoreProofs.maximumEvents else {
            throw bad("events must be a non-empty array")
        }
        var proofs = [[[UInt8]]]()
        proofs.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            guard case .object(let eventMembers) = event, Set(eventMembers.keys) == ["proof"],
                  case .array(let elements)? = eventMembers["proof"], elements.count <= 64 else {
                throw bad("events[\(index)] must be an object with one member, proof, an array of at most 64 hashes")
            }
            var proof = [[UInt8]]()
            for element in elements {
                guard let hex = element.stringValue, let hash = Hex.decode(hex), hash.count == MerkleTree.hashSize,
                      Hex.encode(hash) == hex else {
                    throw bad("events[\(index)].proof holds something other than 64 lowercase hex digits")
                }
                proof.append(hash)
            }
            proofs.append(proof)
        }
        self.init(caseID: caseID, checkpoint: checkpoint, proofs: proofs)
    }
}
