@testable import AmanaKit
import XCTest

/// The store proof rule on its own (custody-log.md section 9.3): a ledger of signed acquisition events built in memory,
/// a checkpoint by the store key, and each way of damaging what a bundle carries, with the exact finding.
final class StoreProofRuleTests: XCTestCase {
    private var alice: SecretKey!
    private var keeper: SecretKey!
    private let contents = [Array("exhibit one".utf8), Array("exhibit two".utf8), Array("not in the bundle".utf8)]
    private let origin = StoreCheckpoint.origin(storeID: "store-under-test")
    /// The ledger: acquisitions of contents 0 and 1 for CASE-1, of content 0 for CASE-2, of content 2 for CASE-1.
    private var ledger = [[UInt8]]()

    override func setUpWithError() throws {
        alice = try SecretKey.generate(name: "Alice", organization: "Field")
        keeper = try SecretKey.generate(name: "Keeper", organization: "Archive")
        let plan: [(Int, String)] = [(0, "CASE-1"), (1, "CASE-1"), (0, "CASE-2"), (2, "CASE-1")]
        for (content, caseID) in plan {
            let digests = MultiDigest.digests(of: contents[content], [.sha256, .sha512])
            let record = AcquisitionRecord(seq: ledger.count + 1, sha256: digests[.sha256]!.hex, sha512: digests[.sha512]!.hex,
                                           caseID: caseID, time: "", collector: "Alice", keyID: alice.keyID.description,
                                           outcome: .new,
                                           source: SourceRecord(path: "DCIM/\(content).txt", size: UInt64(contents[content].count),
                                                                mtime: "2026-01-01T00:00:00.000000000Z", ctime: "2026-01-01T00:00:00.000000000Z"))
            var event = CustodyEvent(seq: ledger.count + 1, time: "2026-01-02T00:00:00Z",
                                     actor: .init(keyID: alice.keyID.description, publicKey: alice.publicKey.base64, name: "Alice"),
                                     action: record.action, items: [record.ledgerItem], details: record.ledgerDetails,
                                     prev: ledger.last.map(CustodyLog.chainValue(after:)) ?? CustodyLog.genesis(bundleID: origin))
            try event.sign(with: alice)
            ledger.append(event.line)
        }
    }

    private var leafHashes: [[UInt8]] { ledger.map(MerkleTree.leafHash) }

    private func checkpoint(signedBy key: SecretKey? = nil, naming named: SecretKey? = nil) throws -> StoreCheckpoint {
        let signer = key ?? keeper!
        let name = named ?? signer
        var checkpoint = StoreCheckpoint(origin: origin, size: ledger.count, root: Hex.encode(MerkleTree.root(leafHashes: leafHashes)),
                                         time: "2026-01-03T00:00:00Z", keyID: name.keyID.description, publicKey: name.publicKey.base64)
        try checkpoint.sign(with: signer)
        return checkpoint
    }

    /// Runs the rule over `carried` (ledger indices), with `proofs` as given or the honest ones; the bundle holds
    /// contents 0 and 1 and is of CASE-1, unless told otherwise.
    private func findings(carried: [Int] = [0, 1], lines: [[UInt8]]? = nil, proofs: [[[UInt8]]]? = nil,
                          checkpoint: StoreCheckpoint? = nil, caseID: String = "CASE-1", bundleCase: String? = "CASE-1",
                          trusted: [SecretKey]? = nil, keeperRevokedAt: String? = nil,
                          proofsBytes: [UInt8]? = nil) throws -> [Finding] {
        let carriedLines = lines ?? carried.map { ledger[$0] }
        let file = StoreProofs(caseID: caseID, checkpoint: try checkpoint ?? self.checkpoint(),
                               proofs: proofs ?? carried.map { MerkleTree.inclusionProof(index: $0, leafHashes: leafHashes) })
        var inventory = BagInventory()
        let bytes = proofsBytes ?? file.bytes
        inventory.files[StoreProofs.path] = .init(size: UInt64(bytes.count), digests: [:], contents: bytes)
        for index in 0..<2 {
            inventory.files["data/\(index).txt"] = .init(size: UInt64(contents[index].count),
                                                         digests: MultiDigest.digests(of: contents[index], [.sha256, .sha512]))
        }
        let rule = StoreProofRule(inventory: inventory, lineCount: carriedLines.count + 1)
        let trust = try TrustSet((trusted ?? [alice, keeper]).map { key in
            var trusted = TrustedKey(key: key.publicKey, source: "\(key.keyID).pub")
            if key.keyID == keeper.keyID { trusted.revokedAt = keeperRevokedAt.flatMap(UTCTime.parse) }
            return trusted
        })
        let log = CustodyLog(lines: carriedLines).bytes
        let ranges = try CustodyLog.lineRanges(in: log)
        return rule.check(bytes: log, ranges: ranges.prefix(rule.carriedCount),
                          events: carriedLines.prefix(rule.carriedCount).map { try? CustodyEvent(line: $0) },
                          inventory: inventory, trust: trust, bundleCase: bundleCase)
    }

    private func codes(_ findings: [Finding]) -> [String: Finding.Status] {
        Dictionary(findings.map { ($0.code, $0.status) }, uniquingKeysWith: { first, _ in first })
    }

    func testHonestProofsPassNamingTheTrustedKeeper() throws {
        let result = try findings()
        XCTAssertEqual(codes(result), ["storeproof.proven": .passed])
        XCTAssertTrue(result[0].message.contains("Keeper"), result[0].message)
    }

    func testTheProofsFileRoundTripsAndIsParsedStrictly() throws {
        let file = StoreProofs(caseID: "CASE-1", checkpoint: try checkpoint(), proofs: [MerkleTree.inclusionProof(index: 1, leafHashes: leafHashes)])
        XCTAssertEqual(try StoreProofs(bytes: file.bytes), file)
        let text = String(decoding: file.bytes, as: UTF8.self)
        for bad in [text.replacingOccurrences(of: "\"case\":", with: "\"case\": "),     // not canonical
                    text.replacingOccurrences(of: "\"events\":", with: "\"extra\":1,\"events\":"),
                    String(text.dropLast()),                                             // no final LF
                    text.replacingOccurrences(of: "\"proof\":[\"", with: "\"proof\":[\"A"),  // not a hash
                    text.replacingOccurrences(of: "version=1", with: "version=2")] {
            XCTAssertThrowsError(try StoreProofs(bytes: Array(bad.utf8)), bad)
        }
        XCTAssertEqual(codes(try findings(proofsBytes: Array(text.dropLast().utf8))), ["storeproof.malformed": .failed])
        // Every spelling but the canonical one is refused, also inside the scanned events.
        for bad in [text.replacingOccurrences(of: "\"proof\":[", with: "\"proof\": ["),
                    text.replacingOccurrences(of: "]}]", with: "]} ]"),
                    text.replacingOccurrences(of: "\"proof\":[\"", with: "\"proof\":[\"\\u0030"),
                    text.replacingOccurrences(of: "{\"case\"", with: "{\"case\":\"x\",\"case\""),
                    text.replacingOccurrences(of: "\"events\":[", with: "\"events\":[{\"proof\":[]},")
                        .replacingOccurrences(of: "]}]", with: "]}],\"extra\":[")] {
            XCTAssertThrowsError(try StoreProofs(bytes: Array(bad.utf8)), bad)
        }
        // A case name holding the characters the scanner looks for still round-trips.
        let tricky = StoreProofs(caseID: "A},\"events\":[\"]", checkpoint: try checkpoint(), proofs: [[], [leafHashes[0]]])
        XCTAssertEqual(try StoreProofs(bytes: tricky.bytes), tricky)
        XCTAssertEqual(try StoreProofs(bytes: tricky.bytes).proof(1), [leafHashes[0]])
    }

    /// A proofs file claiming more events than the log has lines is refused while it is scanned, before it costs
    /// memory: a hostile bundle can hold a 256 MiB tag file.
    func testMoreProofsThanLogLinesAreRefusedWhileScanning() throws {
        let many = StoreProofs(caseID: "CASE-1", checkpoint: try checkpoint(),
                               proofs: Array(repeating: MerkleTree.inclusionProof(index: 0, leafHashes: leafHashes), count: 1000))
        XCTAssertThrowsError(try StoreProofs(bytes: many.bytes, maxEvents: 999)) { error in
            XCTAssertTrue("\(error)".contains("more events than the custody log's 999 lines"), "\(error)")
        }
        XCTAssertEqual(try StoreProofs(bytes: many.bytes, maxEvents: 1000).count, 1000)
        XCTAssertEqual(codes(try findings(proofsBytes: many.bytes)), ["storeproof.malformed": .failed])
    }

    func testAnEditedOrReSignedEventIsNotInTheTree() throws {
        var event = try CustodyEvent(line: ledger[0])
        event.details["collector"] = "Mallory"
        try event.sign(with: alice)  // even by its own actor
        XCTAssertEqual(codes(try findings(lines: [event.line, ledger[1]])), ["storeproof.inclusion.invalid": .failed])
    }

    func testAProofForAnotherPlaceOrOfTheWrongLengthFails() throws {
        let honest = [0, 1].map { MerkleTree.inclusionProof(index: $0, leafHashes: leafHashes) }
        XCTAssertEqual(codes(try findings(proofs: [honest[1], honest[0]])), ["storeproof.inclusion.invalid": .failed])
        XCTAssertEqual(codes(try findings(proofs: [Array(honest[0].dropLast()), honest[1]])), ["storeproof.inclusion.invalid": .failed])
        var flipped = honest
        flipped[1][0][0] ^= 1
        XCTAssertEqual(codes(try findings(proofs: flipped)), ["storeproof.inclusion.invalid": .failed])
    }

    func testCheckpointSignedByAnotherKeyOrAnImpostor() throws {
        let mallory = try SecretKey.generate(name: "Mallory", organization: nil)
        XCTAssertEqual(codes(try findings(checkpoint: try checkpoint(signedBy: mallory, naming: keeper))),
                       ["storeproof.checkpoint.signature": .failed])
        let twin = try SecretKey.generate(name: "Keeper", organization: "Archive", keyID: keeper.keyID)
        XCTAssertEqual(codes(try findings(checkpoint: try checkpoint(signedBy: twin))), ["storeproof.checkpoint.substituted": .failed])
        XCTAssertEqual(codes(try findings(trusted: [alice])), ["storeproof.checkpoint.untrusted": .indeterminate])
        // A checkpoint over a ledger Mallory made up, signed by her own key: she is not trusted, so it proves nothing.
        XCTAssertEqual(codes(try findings(checkpoint: try checkpoint(signedBy: mallory))), ["storeproof.checkpoint.untrusted": .indeterminate])
    }

    func testACheckpointClaimingATimeAfterItsKeyWasRevoked() throws {
        // The checkpoint claims 2026-01-03: revoked before that, it fails; revoked later, only a trusted time could
        // say which came first.
        XCTAssertEqual(codes(try findings(keeperRevokedAt: "2026-01-02T00:00:00Z")), ["storeproof.checkpoint.validity": .failed])
        XCTAssertEqual(codes(try findings(keeperRevokedAt: "2026-02-01T00:00:00Z")), ["storeproof.checkpoint.validity": .indeterminate])
    }

    func testAnAcquisitionMovedFromAnotherCase() throws {
        XCTAssertEqual(codes(try findings(carried: [2, 1])), ["storeproof.case.mismatch": .failed])
        XCTAssertEqual(codes(try findings(caseID: "CASE-2", bundleCase: "CASE-1")).keys.contains("storeproof.case.mismatch"), true)
    }

    func testContentNotInTheBundleAndADroppedAcquisition() throws {
        XCTAssertEqual(codes(try findings(carried: [0, 1, 3])), ["storeproof.item.mismatch": .failed])
        let dropped = try findings(carried: [0])
        XCTAssertEqual(codes(dropped), ["storeproof.missing": .failed])
        XCTAssertEqual(dropped.first?.subject, "data/1.txt")
    }

    func testALineThatIsNotAnAcquisition() throws {
        var note = try CustodyEvent(line: ledger[0])
        note.action = .note
        try note.sign(with: alice)
        let result = try findings(lines: [note.line, ledger[1]])
        XCTAssertEqual(codes(result)["storeproof.malformed"], .failed)
    }
}
