/// Judges the store's ledger line by line, as `store log` shows it: each event parses, is numbered and chained in
/// order, and carries a valid signature by the key it names; each checkpoint is signed and matches the ledger's
/// prefix it claims.
///
/// Like the bundle's custody check, a failed check is a problem code on the line, never a stop: a damaged ledger still
/// shows every event that can be read.
package enum LedgerAudit {
    package struct Entry {
        package var seq: Int
        package var event: CustodyEvent?
        package var signatureValid: Bool
        /// Codes: `store.ledger.malformed`, `store.ledger.seq`, `store.ledger.chain`, `store.ledger.signature`.
        package var problems: [String]
    }

    package struct CheckpointStatus {
        package var checkpoint: StoreCheckpoint
        /// Codes: `store.checkpoint.signature`, `store.checkpoint.mismatch` (root or size not the ledger's).
        package var problems: [String]
    }

    /// Calls `each` for every line of the local ledger file in order, then returns the status of every checkpoint.
    package static func run(layout: StoreLayout, storeID: String, each: (Entry) -> Void) throws -> [CheckpointStatus] {
        try run(storeID: storeID, lines: { body in
            var seq = 0
            try StoreLedger.forEachLine(path: layout.ledgerPath) { line, _ in
                seq += 1
                try body(seq, line)
            }
        }, checkpoints: { try StoreLedger.checkpoints(layout: layout) }, each: each)
    }

    /// The same over any ledger back end: `lines` calls its body with every line in order, numbered from 1.
    package static func run(storeID: String, lines: (((Int, [UInt8]) throws -> Void) throws -> Void),
                            checkpoints: () throws -> [StoreCheckpoint], each: (Entry) -> Void) throws -> [CheckpointStatus] {
        // `each` is only called while `lines` runs, never kept.
        try withoutActuallyEscaping(each) { each in try audit(storeID: storeID, lines: lines, checkpoints: checkpoints, each: each) }
    }

    private static func audit(storeID: String, lines: (((Int, [UInt8]) throws -> Void) throws -> Void),
                              checkpoints: () throws -> [StoreCheckpoint],
                              each: @escaping (Entry) -> Void) throws -> [CheckpointStatus] {
        var expectedPrev = CustodyLog.genesis(bundleID: StoreCheckpoint.origin(storeID: storeID))
        var leafHashes = [[UInt8]]()
        try lines { seq, line in
            leafHashes.append(MerkleTree.leafHash(line))
            defer { expectedPrev = CustodyLog.chainValue(after: line) }
            guard let event = try? CustodyEvent(line: line) else {
                each(Entry(seq: seq, event: nil, signatureValid: false, problems: ["store.ledger.malformed"]))
                return
            }
            var problems = [String]()
            if event.seq != seq { problems.append("store.ledger.seq") }
            if event.prev != expectedPrev { problems.append("store.ledger.chain") }
            let valid = signatureValid(event)
            if !valid { problems.append("store.ledger.signature") }
            each(Entry(seq: seq, event: event, signatureValid: valid, problems: problems))
        }
        return try checkpoints().map { checkpoint in
            var problems = [String]()
            if !checkpoint.signatureValid { problems.append("store.checkpoint.signature") }
            if checkpoint.origin != StoreCheckpoint.origin(storeID: storeID) || checkpoint.size > leafHashes.count
                || Hex.encode(MerkleTree.root(leafHashes: leafHashes.prefix(checkpoint.size))) != checkpoint.root {
                problems.append("store.checkpoint.mismatch")
            }
            return CheckpointStatus(checkpoint: checkpoint, problems: problems)
        }
    }

    /// The event's signature verifies under the public key it carries, and that key has the ID the event names.
    package static func signatureValid(_ event: CustodyEvent) -> Bool {
        guard let key = try? PublicKey(base64: event.actor.publicKey), key.keyID.description == event.actor.keyID,
              let signature = Base64.decode(event.sig), signature.count == 64 else { return false }
        return key.isValidDetached(signature, message: event.signingInput)
    }
}
