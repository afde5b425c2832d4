/// `amana/store-proofs.json`: what a bundle sealed from an evidence store carries to prove, offline, that its first
/// custody events are the store's own ledger events (custody-log.md section 9).
///
/// The events themselves are the custody log's first lines, byte for byte as the ledger holds them; this file adds the
/// store checkpoint they are proven against and, for each of those lines in order, its RFC 9162 inclusion proof. The
/// leaf index is not stored here: it is the event's own signed `seq` minus one, so nobody can move a proof to another
/// place in the tree without editing a signed event.
///
/// A large case carries a proof per acquisition, over a hundred megabytes for 100,000 events, and a hostile bundle can
/// carry as much as a tag file may hold. So the proofs are scanned in place, in the one spelling canonical JSON allows,
/// and kept as one flat run of hashes (32 bytes each), never as a tree of JSON values.
package struct StoreProofs: Equatable, Sendable {
    package static let path = "amana/store-proofs.json"
    package static let mediaType = "application/vnd.amana.store-proofs+json;version=1"
    /// A proof is at most this long (a tree of 2^64 leaves).
    static let maximumProofLength = 64

    /// The case every carried acquisition must belong to: the bundle's `Internal-Sender-Identifier`.
    package var caseID: String
    package var checkpoint: StoreCheckpoint
    /// Every proof's hashes one after another, 32 bytes each.
    private var hashes: [UInt8]
    /// Where each event's proof ends in ``hashes``, counted in hashes.
    private var ends: [Int]

    package init(caseID: String, checkpoint: StoreCheckpoint, proofs: [[[UInt8]]]) {
        self.caseID = caseID
        self.checkpoint = checkpoint
        hashes = []
        ends = []
        self.proofs = proofs
    }

    /// How many events are carried: one proof each.
    package var count: Int { ends.count }

    /// The inclusion proof of carried event `index` (0 for the log's first line), deepest hash first.
    package func proof(_ index: Int) -> [[UInt8]] {
        let start = index == 0 ? 0 : ends[index - 1]
        return (start..<ends[index]).map { Array(hashes[($0 * MerkleTree.hashSize)..<(($0 + 1) * MerkleTree.hashSize)]) }
    }

    /// Every proof, in order (for writers and tests; readers take one at a time with ``proof(_:)``).
    package var proofs: [[[UInt8]]] {
        get { (0..<count).map(proof) }
        set {
            hashes = newValue.flatMap { $0.flatMap { $0 } }
            ends = []
            var end = 0
            for proof in newValue {
                end += proof.count
                ends.append(end)
            }
        }
    }

    /// Canonical JSON (RFC 8785: members in order `case`, `checkpoint`, `events`, `mediaType`) and a final LF.
    package var bytes: [UInt8] {
        var out = Array("{\"case\":".utf8) + CanonicalJSON.serialize(.string(caseID))
        out += Array(",\"checkpoint\":".utf8) + CanonicalJSON.serialize(checkpoint.json(signed: true))
        out += Array(",\"events\":[".utf8)
        for index in 0..<count {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += Array("{\"proof\":[".utf8)
            out += proof(index).map { "\"" + Hex.encode($0) + "\"" }.joined(separator: ",").utf8
            out += Array("]}".utf8)
        }
        out += Array("],\"mediaType\":".utf8) + CanonicalJSON.serialize(.string(StoreProofs.mediaType))
        out += Array("}\n".utf8)
        return out
    }

    /// Parses the file strictly: canonical JSON and a final LF, exactly the members above, hashes of 32 bytes in
    /// lowercase hex, at most `maxEvents` events. Anything else is a malformed file, never a guess. The events are
    /// scanned in place; the rest of the document goes through the canonical JSON parser.
    package init(bytes: [UInt8], maxEvents: Int = CustodyLog.maximumEvents) throws {
        func bad(_ why: String) -> AmanaError { AmanaError(.inputInvalid, "malformed \(StoreProofs.path): \(why)") }
        guard bytes.last == 0x0A else { throw bad("it does not end with a line feed") }
        let body = bytes.dropLast()
        let notCanonical = bad("it is not the canonical JSON of an object with exactly the members case, checkpoint, events and mediaType")
        var at = body.startIndex
        func expect(_ literal: String) throws {
            for byte in literal.utf8 {
                guard at < body.endIndex, body[at] == byte else { throw notCanonical }
                at += 1
            }
        }
        /// Skips one JSON string (its escapes are judged later, by the canonical parser).
        func skipString() throws {
            try expect("\"")
            while at < body.endIndex {
                let byte = body[at]
                at += 1
                if byte == UInt8(ascii: "\\") { at += 1 } else if byte == UInt8(ascii: "\"") { return }
            }
            throw notCanonical
        }
        try expect("{\"case\":")
        try skipString()
        try expect(",\"checkpoint\":{")
        // The checkpoint holds strings and one integer, no nested values.
        while at < body.endIndex, body[at] != UInt8(ascii: "}") {
            if body[at] == UInt8(ascii: "\"") { try skipString() } else { at += 1 }
        }
        try expect("}")
        try expect(",\"events\":[")
        let eventsStart = at
        var hashes = [UInt8]()
        var ends = [Int]()
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        while at < body.endIndex, body[at] != UInt8(ascii: "]") {
            if !ends.isEmpty { try expect(",") }
            try expect("{\"proof\":[")
            var length = 0
            while at < body.endIndex, body[at] != UInt8(ascii: "]") {
                if length > 0 { try expect(",") }
                try expect("\"")
                guard body.endIndex - at > 2 * MerkleTree.hashSize else { throw notCanonical }
                for offset in stride(from: 0, to: 2 * MerkleTree.hashSize, by: 2) {
                    guard let high = hexValue(body[at + offset]), let low = hexValue(body[at + offset + 1]) else {
                        throw bad("events[\(ends.count)].proof holds something other than 64 lowercase hex digits")
                    }
                    hashes.append(high << 4 | low)
                }
                at += 2 * MerkleTree.hashSize
                try expect("\"")
                length += 1
                guard length <= StoreProofs.maximumProofLength else {
                    throw bad("events[\(ends.count)].proof is longer than \(StoreProofs.maximumProofLength) hashes")
                }
            }
            try expect("]}")
            ends.append(hashes.count / MerkleTree.hashSize)
            guard ends.count <= maxEvents else {
                throw bad("it proves more events than the custody log's \(maxEvents) lines")
            }
        }
        guard !ends.isEmpty else { throw bad("events must be a non-empty array") }
        let eventsEnd = at
        try expect("],\"mediaType\":")

        // Everything but the events, with an empty events array, through the canonical parser.
        let rest = Array(body[body.startIndex..<eventsStart]) + Array(body[eventsEnd...])
        let value: JSONValue
        do { value = try CanonicalJSON.parseCanonical(rest, maxDepth: 3) } catch { throw notCanonical }
        guard case .object(let members) = value, Set(members.keys) == ["case", "checkpoint", "events", "mediaType"],
              members["events"] == .array([]) else { throw notCanonical }
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
        self.caseID = caseID
        self.checkpoint = checkpoint
        self.hashes = hashes
        self.ends = ends
    }
}
