import Foundation

/// Judges what a bundle sealed from an evidence store carries (custody-log.md section 9): its custody log's first
/// lines are the store's own acquisition events, and `amana/store-proofs.json` proves each one is in the store's
/// ledger, under a checkpoint signed by a trusted key.
///
/// Think as the attacker: someone with keys of their own, even a key the verifier trusts for sealing, who edits the
/// bundle and seals it again. A seal is then no help; only what the store signed is. So every carried event is held to
/// the store checkpoint by its leaf hash (an edited event, or one re-signed by another key, is another leaf), to the
/// bundle's case (an acquisition moved from another case), and to the payload (an acquisition of other content); and
/// every payload file must have a carried acquisition (one dropped with its proof).
struct StoreProofRule {
    /// The proofs file as parsed, or nil when the bundle has none or it is malformed (then no line is carried and the
    /// custody rule judges every line as an ordinary event, which a store bundle's first lines are not).
    let proofs: StoreProofs?
    /// `storeproof.malformed`, when the file is there but cannot be used.
    let loadFindings: [Finding]

    /// How many of the custody log's first lines are carried store events.
    var carriedCount: Int { proofs?.count ?? 0 }

    init(inventory: BagInventory, lineCount: Int) {
        let path = StoreProofs.path
        guard let file = inventory.files[path] else {
            proofs = nil
            loadFindings = []
            return
        }
        guard let bytes = file.contents else {
            proofs = nil
            loadFindings = [.failed(StoreProofCode.malformed, subject: path, "\(path) is too large to read")]
            return
        }
        do {
            // No more proofs than the log has lines: a hostile file must not make the verifier hold more.
            proofs = try StoreProofs(bytes: bytes, maxEvents: lineCount)
            loadFindings = []
        } catch let error as AmanaError {
            proofs = nil
            loadFindings = [.failed(StoreProofCode.malformed, subject: path, error.reason)]
        } catch {
            proofs = nil
            loadFindings = [.failed(StoreProofCode.malformed, subject: path, "\(error)")]
        }
    }

    /// Judges the carried lines (the log's first ``carriedCount`` lines, where `ranges` place them in `bytes`, read in
    /// place rather than copied: a large case carries a hundred megabytes of events), each with its event when it
    /// parsed.
    func check(bytes: [UInt8], ranges: ArraySlice<Range<Int>>, events: [CustodyEvent?], inventory: BagInventory,
               trust: TrustSet, bundleCase: String?) -> [Finding] {
        guard let proofs else { return loadFindings }
        let path = StoreProofs.path
        var findings = [Finding]()
        var failures = 0
        func fail(_ finding: Finding) {
            findings.append(finding)
            failures += 1
        }

        // The checkpoint: signed by the key it names, and that key trusted by its raw bytes.
        let checkpoint = proofs.checkpoint
        var signer: TrustedKey?
        if !checkpoint.signatureValid {
            fail(.failed(StoreProofCode.checkpointSignature, subject: path,
                         "the store checkpoint's signature does not verify under the key it names (\(checkpoint.keyID)): it was altered or signed by another key"))
        } else if let key = try? PublicKey(base64: checkpoint.publicKey) {
            if let match = trust.key(raw: key.rawKey) {
                // A keyring's bounds apply to the checkpoint's claimed time, as to a seal's (keys.md section 10a).
                if let time = UTCTime.parse(checkpoint.time), let problem = match.validityProblem(at: time) {
                    let finding = Finding(StoreProofCode.checkpointValidity, problem.status, subject: path,
                                          message: "the store checkpoint by \(match.label): \(problem.reason)")
                    if problem.status == .failed { fail(finding) } else { findings.append(finding) }
                } else {
                    signer = match
                }
            } else if let impostor = trust.key(id: key.keyID) {
                fail(.failed(StoreProofCode.checkpointSubstituted, subject: path, expected: impostor.key.base64,
                             found: key.base64, "the store checkpoint uses the key id of trusted key \(impostor.label), but a different key"))
            } else {
                findings.append(.indeterminate(StoreProofCode.checkpointUntrusted, subject: path,
                                               "the store checkpoint is validly signed by key \(checkpoint.keyID), which is not among the trusted keys: nothing vouches that it is the store's"))
            }
        }

        // The case: the proofs file's, which every carried acquisition must name, is the bundle's.
        if proofs.caseID != bundleCase {
            fail(.failed(StoreProofCode.caseMismatch, subject: path, expected: bundleCase ?? "(none)", found: proofs.caseID,
                         "\(path) is for case \(proofs.caseID), but bag-info.txt names \(bundleCase.map { "case \($0)" } ?? "no case")"))
        }

        // The payload by content: which files each carried acquisition may name.
        var payloadBySHA256 = [String: [String]]()
        for (name, file) in inventory.files where BagInventory.isPayload(name) {
            if let digest = file.digests[.sha256] { payloadBySHA256[digest.hex, default: []].append(name) }
        }
        var proven = Set<String>()
        let root = Hex.decode(checkpoint.root) ?? []
        for (index, range) in ranges.enumerated() {
            let number = index + 1
            let subject = "\(CustodyLog.path) event \(number)"
            guard let event = events[index], let record = AcquisitionRecord(seq: event.seq, event: event) else {
                fail(.failed(StoreProofCode.malformed, subject: subject,
                             "event \(number) is carried as a store acquisition, but is not an ingested or duplicate event with its acquisition facts"))
                continue
            }
            if !MerkleTree.verifyInclusion(leafHash: MerkleTree.leafHash(Array(bytes[range])), index: event.seq - 1,
                                           treeSize: checkpoint.size, proof: proofs.proof(index), root: root) {
                fail(.failed(StoreProofCode.inclusionInvalid, subject: subject,
                             "event \(number) (store ledger event \(event.seq)) is not in the store's ledger under the carried checkpoint (\(checkpoint.size) events): it was edited after the store recorded it, or its proof is wrong"))
            }
            if record.caseID != proofs.caseID {
                fail(.failed(StoreProofCode.caseMismatch, subject: subject, expected: proofs.caseID, found: record.caseID,
                             "event \(number) records an acquisition for case \(record.caseID), not this bundle's case \(proofs.caseID)"))
            }
            let matches = (payloadBySHA256[record.sha256] ?? []).filter { name in
                guard let sha512 = inventory.files[name]?.digests[.sha512] else { return true }
                return sha512.hex == record.sha512
            }
            if matches.isEmpty {
                fail(.failed(StoreProofCode.itemMismatch, subject: subject, found: record.sha256,
                             "event \(number) records the acquisition of content (sha256 \(record.sha256)) that is not a payload file of this bundle"))
            }
            proven.formUnion(matches)
        }
        for name in inventory.files.keys.filter({ BagInventory.isPayload($0) && !proven.contains($0) }).sorted() {
            fail(.failed(StoreProofCode.missing, subject: name,
                         "\(name) has no carried acquisition event with a proof: the bundle was sealed from a store, and this file's acquisition was dropped"))
        }
        if failures == 0, let signer {
            findings.insert(.passed(StoreProofCode.proven, subject: path,
                                    "\(ranges.count) acquisition events of case \(proofs.caseID) are in the store ledger \(checkpoint.origin) under its checkpoint of \(checkpoint.size) events, signed by \(signer.label)"), at: 0)
        }
        return findings
    }
}
