import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// `amana seal --store` through the real binary (spec/store.md section 8), and what `amana verify` makes of a store
/// bundle that someone with keys of their own edited and sealed again (custody-log.md section 9).
///
/// The attacker here, Mallory, holds a key the victim trusts as an ordinary signer: her seals verify. What she cannot
/// do is make the store's checkpoint cover an event she changed, and that is what these tests hold verify to.
final class StoreSealCLITests: XCTestCase {
    private var fixture: CLIFixture!
    private var store: String { fixture.folder.file("store") }
    private var mallory: SecretKey!
    private var malloryPub: String { fixture.folder.file("mallory.pub") }

    override func setUpWithError() throws {
        fixture = try CLIFixture()
        XCTAssertEqual(try amana(["store", "init", store, "--key", fixture.key]).status, 0)
        let sample = TestEnvironment.sampleMedia.path
        for _ in 0..<2 {  // the second run records every file as a duplicate acquisition
            let result = try amana(["ingest", sample, "--store", store, "--case", "CASE-1", "--collector", "Lina",
                                    "--key", fixture.key, "--location", "field office"])
            XCTAssertEqual(result.status, 0, "\(result)")
        }
        mallory = try SecretKey.generate(name: "Mallory", organization: "Elsewhere")
        try Data(mallory.publicKey.minisignFile().utf8).write(to: URL(fileURLWithPath: malloryPub))
    }

    private func sealFromStore(_ name: String = "store.tar", extra: [String] = []) throws -> String {
        let output = fixture.folder.file(name)
        let result = try amana(["seal", "--store", store, "--case", "CASE-1", "--key", fixture.key, "--output", output] + extra)
        XCTAssertEqual(result.status, 0, "\(result)")
        return output
    }

    private func ledgerLines() throws -> [[UInt8]] {
        try CustodyLog(bytes: readBytes(store + "/ledger/events.jsonl")).lines
    }

    func testSealFromStoreCarriesTheLedgerEventsAndVerifiesWithTheStoreKeyTrusted() throws {
        let bundle = try sealFromStore()
        let (status, report) = try fixture.verifyJSON(bundle)
        XCTAssertEqual(status, 0, "\(report.findings.filter { $0.status != "passed" })")
        XCTAssertEqual(report.verdict, "TOTAL-PASSED")
        XCTAssertTrue(report.codes("passed").contains("storeproof.proven"), "\(report.codes("passed"))")

        // The log begins with every acquisition of the case, byte for byte as the ledger holds them.
        let entries = try BundleEntries(tar: bundle)
        let log = try CustodyLog(bytes: entries["amana/custody.jsonl"]).lines
        let acquisitions = try ledgerLines().filter {
            let action = try CustodyEvent(line: $0).action
            return action == .ingested || action == .duplicate
        }
        XCTAssertEqual(acquisitions.count, 10, "five sample files, ingested twice")
        XCTAssertEqual(Array(log.prefix(acquisitions.count)), acquisitions)
        XCTAssertEqual(try CustodyEvent(line: log[acquisitions.count]).action, .sealed)
        XCTAssertEqual(log.count, acquisitions.count + 1)
        let proofs = try StoreProofs(bytes: entries[StoreProofs.path])
        XCTAssertEqual(proofs.proofs.count, acquisitions.count)
        XCTAssertEqual(proofs.caseID, "CASE-1")
        XCTAssertTrue(String(decoding: entries["tagmanifest-sha256.txt"], as: UTF8.self).contains("  amana/store-proofs.json\n"))
        // Named after the source path of the first acquisition.
        XCTAssertTrue(entries.contains("data/checkpoint-photo.png"))
        XCTAssertTrue(entries.contains("data/day-2/street-photo.png"))
        XCTAssertTrue(entries.contains("data/شهادة-statement.txt"))

        // The store records the seal: a sealed event naming the bundle, a row in the catalog's seals table.
        let last = try CustodyEvent(line: try ledgerLines().last!)
        XCTAssertEqual(last.action, .sealed)
        XCTAssertEqual(last.details["bundle"], entries.root)
        XCTAssertEqual(last.details["case"], "CASE-1")
        XCTAssertEqual(last.details["carried"]?.split(separator: ",").count, 10)
        let sqlite = try TestEnvironment.requireTool("sqlite3")
        let rows = try runTool(sqlite, [store + "/catalog.sqlite", "SELECT case_id, bundle_id FROM seals"])
        XCTAssertEqual(rows.stdout, "CASE-1|\(entries.root)\n")
        let audit = try amana(["store", "log", "--store", store])
        XCTAssertEqual(audit.status, 0, "\(audit)")
        // The row comes from the ledger: a catalog rebuilt from the ledger alone has it too.
        XCTAssertEqual(try amana(["store", "rebuild-catalog", "--store", store]).status, 0)
        XCTAssertEqual(try runTool(sqlite, [store + "/catalog.sqlite", "SELECT case_id, bundle_id FROM seals"]).stdout,
                       "CASE-1|\(entries.root)\n")
    }

    /// A later holder appends to a store bundle as to any other: the carried events and their proofs stay as they
    /// were, and the new events chain after the bundle's own.
    func testAnEventAppendedLaterKeepsTheProofs() throws {
        let bundle = try sealFromStore()
        let appended = fixture.folder.file("appended.tar")
        let result = try amana(["custody", "append", bundle, "--action", "note", "--note", "looked at it",
                                "--key", fixture.key, "--output", appended])
        XCTAssertEqual(result.status, 0, "\(result)")
        let (status, report) = try fixture.verifyJSON(appended)
        XCTAssertEqual(status, 0, "\(report.findings.filter { $0.status != "passed" })")
        XCTAssertTrue(report.codes("passed").contains("storeproof.proven"))
        XCTAssertEqual(try BundleEntries(tar: appended)[StoreProofs.path], try BundleEntries(tar: bundle)[StoreProofs.path])
    }

    func testItemSelectsStoredItemsAndUnknownOnesAreOneLineErrors() throws {
        let photo = MultiDigest.digests(of: try readBytes(TestEnvironment.sampleMedia.path + "/checkpoint-photo.png"), [.sha256])[.sha256]!.hex
        let bundle = try sealFromStore(extra: ["--item", "sha256:" + photo])
        let entries = try BundleEntries(tar: bundle)
        XCTAssertEqual(entries.entries.filter { $0.name.contains("/data/") && $0.type == .file }.count, 1)
        XCTAssertEqual(try fixture.verifyJSON(bundle).0, 0)

        for (arguments, status, message) in [
            (["--case", "NO-SUCH-CASE"], Int32(65), "amana: error: the store has no case 'NO-SUCH-CASE'"),
            (["--case", "CASE-1", "--item", String(repeating: "ab", count: 32)], 65, "is not an item of case 'CASE-1'"),
            (["--case", "CASE-1", "--item", "photo.png"], 64, "is not a SHA-256"),
            (["--case", "CASE-1", "--collector", "X"], 64, "cannot be given with --store"),
        ] {
            let output = fixture.folder.file("refused.tar")
            let result = try amana(["seal", "--store", store, "--key", fixture.key, "--output", output] + arguments)
            XCTAssertEqual(result.status, status, "\(arguments): \(result)")
            XCTAssertTrue(result.stderr.hasPrefix("amana: error: ") && result.stderr.contains(message), result.stderr)
            XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: output))
        }
    }

    /// amana does not vouch, with a new checkpoint, for a ledger it cannot read whole: one edited byte refuses the seal.
    func testADamagedLedgerIsRefusedBeforeAnythingIsWritten() throws {
        let ledger = store + "/ledger/events.jsonl"
        var text = String(decoding: try readBytes(ledger), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"collector\":\"Lina\"", with: "\"collector\":\"Lena\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: ledger))
        let checkpoints = try readBytes(store + "/ledger/checkpoints.jsonl")
        let output = fixture.folder.file("refused.tar")
        let result = try amana(["seal", "--store", store, "--case", "CASE-1", "--key", fixture.key, "--output", output])
        XCTAssertEqual(result.status, 65, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: the store's ledger is damaged at event 1"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
        XCTAssertEqual(try readBytes(store + "/ledger/checkpoints.jsonl"), checkpoints, "no checkpoint over a damaged ledger")
    }

    func testStoreKeyNotTrustedIsNeverPassed() throws {
        let bundle = try sealFromStore()
        let (status, report) = try fixture.verifyJSON(bundle, trust: [malloryPub])
        XCTAssertEqual(status, 2)
        XCTAssertEqual(report.verdict, "INDETERMINATE")
        XCTAssertTrue(report.codes("indeterminate").contains("storeproof.checkpoint.untrusted"), "\(report.findings)")
    }

    // MARK: the attacker

    /// Mallory edits the first carried acquisition (as `edit` says), signs it with her own key, and seals the bundle
    /// again with her key, which the victim trusts. Every seal and custody check then passes; the store proof must not.
    private func assertMalloryFails(_ expected: String, file: StaticString = #filePath, line: UInt = #line,
                                    _ edit: (inout [[UInt8]], inout StoreProofs) throws -> Void) throws {
        var entries = try BundleEntries(tar: try sealFromStore())
        var lines = try CustodyLog(bytes: entries["amana/custody.jsonl"]).lines
        var proofs = try StoreProofs(bytes: entries[StoreProofs.path])
        try edit(&lines, &proofs)
        // Her own sealed event after the carried lines, chained and numbered as an honest sealer would.
        let carried = proofs.proofs.count
        var sealed = try CustodyEvent(line: lines.last!)
        sealed.seq = carried + 1
        sealed.prev = CustodyLog.genesis(bundleID: entries.root, after: lines[carried - 1])
        sealed.actor = CustodyEvent.Actor(keyID: mallory.keyID.description, publicKey: mallory.publicKey.base64,
                                          name: "Mallory", organization: nil, role: nil)
        try sealed.sign(with: mallory)
        lines = Array(lines.prefix(carried)) + [sealed.line]
        entries["amana/custody.jsonl"] = CustodyLog(lines: lines).bytes
        entries[StoreProofs.path] = proofs.bytes
        try reseal(&entries, lines: lines)
        let output = fixture.folder.file("mallory.tar")
        try entries.write(to: output)

        let (status, report) = try fixture.verifyJSON(output, trust: [fixture.pub, malloryPub])
        XCTAssertEqual(status, 1, "\(report.findings)", file: file, line: line)
        XCTAssertEqual(report.verdict, "TOTAL-FAILED", file: file, line: line)
        XCTAssertTrue(report.failedCodes.contains(expected), "\(report.failedCodes)", file: file, line: line)
        let sealAndCustody = report.failedCodes.filter { $0.hasPrefix("seal.") || $0.hasPrefix("tagmanifest.") || $0.hasPrefix("custody.chain") }
        XCTAssertEqual(sealAndCustody, [], "Mallory's seal must verify: only the store proof may object", file: file, line: line)
    }

    /// Rewrites the tag manifests and seal 1 over the edited files, signed by Mallory.
    private func reseal(_ entries: inout BundleEntries, lines: [[UInt8]]) throws {
        let tagFiles = entries.entries.filter { $0.type == .file }.map { String($0.name.dropFirst(entries.root.count + 1)) }
            .filter { !$0.hasPrefix("data/") && !$0.hasPrefix("seals/") && !$0.hasPrefix("tagmanifest-") }.sorted()
        var statement = try SealStatement(parsing: entries["seals/0001.seal"])
        var tagManifests = [SealStatement.FileDigest]()
        for algorithm in [DigestAlgorithm.sha256, .sha512] {
            let text = tagFiles.map { "\(MultiDigest.digests(of: entries[$0], [algorithm])[algorithm]!.hex)  \($0)\n" }.joined()
            entries["tagmanifest-\(algorithm.bagItName).txt"] = Array(text.utf8)
            tagManifests.append(.init(algorithm: algorithm, hex: MultiDigest.digests(of: Array(text.utf8), [algorithm])[algorithm]!.hex))
        }
        statement.tagManifests = tagManifests
        statement.custodyLength = lines.count
        statement.custodyRoot = Hex.encode(CustodyLog(lines: lines).root(ofFirst: lines.count))
        statement.signerKeyID = mallory.keyID.description
        statement.signerPublicKey = mallory.publicKey.base64
        entries["seals/0001.seal"] = statement.serialized()
        entries["seals/0001.seal.minisig"] = Array(try mallory.sign(statement.serialized(), trustedComment: "timestamp:0").minisignFile().utf8)
    }

    private func resigned(_ line: [UInt8], _ change: (inout CustodyEvent) -> Void) throws -> [UInt8] {
        var event = try CustodyEvent(line: line)
        change(&event)
        event.actor = CustodyEvent.Actor(keyID: mallory.keyID.description, publicKey: mallory.publicKey.base64,
                                         name: "Mallory", organization: nil, role: nil)
        try event.sign(with: mallory)
        return event.line
    }

    func testMalloryCannotChangeTheCollector() throws {
        try assertMalloryFails("storeproof.inclusion.invalid") { lines, _ in
            lines[0] = try resigned(lines[0]) { $0.details["collector"] = "Mallory" }
        }
    }

    func testMalloryCannotChangeTheAcquisitionTime() throws {
        try assertMalloryFails("storeproof.inclusion.invalid") { lines, _ in
            lines[0] = try resigned(lines[0]) { $0.time = "2020-01-01T00:00:00Z" }
        }
    }

    func testMalloryCannotSignTheCheckpointInTheStoreKeysName() throws {
        try assertMalloryFails("storeproof.checkpoint.signature") { _, proofs in
            try proofs.checkpoint.sign(with: mallory)
        }
    }

    func testMalloryCannotDropAnItemsAcquisitions() throws {
        try assertMalloryFails("storeproof.missing") { lines, proofs in
            // Every acquisition of the first carried event's content goes, with its proofs.
            let sha256 = try CustodyEvent(line: lines[0]).items[0].digests["sha256"]!
            let keep = try lines.indices.dropLast().filter { try CustodyEvent(line: lines[$0]).items.first?.digests["sha256"] != sha256 }
            proofs.proofs = keep.map { proofs.proofs[$0] }
            lines = keep.map { lines[$0] } + [lines.last!]
        }
    }

    func testMalloryCannotMoveAnAcquisitionFromAnotherCase() throws {
        let photo = TestEnvironment.sampleMedia.path + "/checkpoint-photo.png"
        let result = try amana(["ingest", photo, "--store", store, "--case", "CASE-2", "--collector", "Someone",
                                "--key", fixture.key])
        XCTAssertEqual(result.status, 0, "\(result)")
        let ledger = try ledgerLines()
        let leafHashes = ledger.map(MerkleTree.leafHash)
        let otherCase = try ledger.indices.first { try AcquisitionRecord(seq: $0 + 1, event: CustodyEvent(line: ledger[$0]))?.caseID == "CASE-2" }!
        let sha256 = try CustodyEvent(line: ledger[otherCase]).items[0].digests["sha256"]!
        try assertMalloryFails("storeproof.case.mismatch") { lines, proofs in
            // The same content's CASE-1 acquisition replaced by its CASE-2 one, with a proof that verifies.
            let index = try lines.indices.first { try CustodyEvent(line: lines[$0]).items.first?.digests["sha256"] == sha256 }!
            lines[index] = ledger[otherCase]
            proofs.proofs[index] = MerkleTree.inclusionProof(index: otherCase, leafHashes: Array(leafHashes.prefix(proofs.checkpoint.size)))
        }
    }
}
