import Foundation
import XCTest
@testable import AmanaKit

/// The rules that rebuild the one chain from ledger batches (spec/store.md 11.3), on batches made in memory: no
/// server is needed, so these run everywhere. The archive is never asked for anything here.
final class S3LedgerChainTests: XCTestCase {
    private let storeID = "0f5e3c1a-5b2d-4a47-9d1e-6f1b7a9c2e10"
    private var key: SecretKey!
    private var client: S3Client!
    private var archive: S3LedgerArchive!

    override func setUpWithError() throws {
        key = try SecretKey.generate(name: "Station Keeper", organization: nil)
        let location = try S3Location.parse("s3://amana-unused/x", endpoint: "http://127.0.0.1:9", region: "us-east-1")
        client = S3Client(location: location, credentials: S3Credentials(accessKeyID: "unused", secretAccessKey: "unused"))
        archive = S3LedgerArchive(client: client, policy: .bucketDefault)
    }

    override func tearDownWithError() throws {
        try client.shutdownBlocking()
    }

    private func notes(_ labels: [String], after head: (count: Int, lastLine: [UInt8]?), key: SecretKey? = nil) throws
        -> [[UInt8]] {
        try PostgresLedger.sign(labels.map { PostgresLedger.Pending(action: .note, items: [], details: ["text": $0]) },
                                after: head, storeID: storeID, key: key ?? self.key, role: nil)
    }

    private func batch(_ lines: [[UInt8]], firstSeq: Int, name: String) throws -> S3LedgerChain.Batch {
        let bytes = S3LedgerArchive.batchBytes(lines)
        return try S3LedgerChain.Batch(key: name, versionID: "v-" + name, firstSeq: firstSeq,
                                       lastSeq: firstSeq + lines.count - 1, sha256: S3LedgerArchive.sha256(bytes),
                                       bytes: bytes)
    }

    private func checkpoint(_ lines: [[UInt8]], origin: String? = nil) throws -> StoreCheckpoint {
        var checkpoint = StoreCheckpoint(origin: origin ?? StoreCheckpoint.origin(storeID: storeID), size: lines.count,
                                         root: Hex.encode(MerkleTree.root(leafHashes: lines.map(MerkleTree.leafHash))),
                                         time: UTCTime.format(Date()), keyID: key.keyID.description,
                                         publicKey: key.publicKey.base64)
        try checkpoint.sign(with: key)
        return checkpoint
    }

    private func chain(_ batches: [S3LedgerChain.Batch], _ checkpoints: [(String, StoreCheckpoint)] = [],
                       preferring: (Int) -> [UInt8]? = { _ in nil }) throws -> S3LedgerChain {
        try S3LedgerChain(archive: archive, storeID: storeID, batches: batches,
                          checkpoints: checkpoints.map { (key: $0.0, checkpoint: $0.1) }, findings: [],
                          preferring: preferring)
    }

    private func codes(_ chain: S3LedgerChain) -> [String] {
        chain.findings.map { "\($0.code.rawValue) \($0.key ?? "-")" }
    }

    func testAGapEndsTheChainAndIsReported() throws {
        let first = try notes(["a", "b"], after: (0, nil))
        let later = try notes(["e", "f"], after: (4, first[1]))
        let result = try chain([try batch(first, firstSeq: 1, name: "one"), try batch(later, firstSeq: 5, name: "five")],
                               [("cp", try checkpoint(first))])
        XCTAssertEqual(result.count, 2)
        XCTAssertEqual(codes(result), ["store.ledger.s3.orphan five", "store.ledger.s3.gap -"])
        XCTAssertTrue(result.findings[1].message.contains("start again at event 5"), result.findings[1].message)
    }

    func testACheckpointDecidesAForkAndOnlyCheckpointsOverTheChainAreKept() throws {
        let first = try notes(["a", "b"], after: (0, nil))
        let left = try notes(["left"], after: (2, first[1]))
        let right = try notes(["right", "more"], after: (2, first[1]))
        let confirmed = try checkpoint(first + left)
        var forged = confirmed
        forged.root = String(repeating: "0", count: 64)
        let foreign = try checkpoint(first, origin: "amana-store:another")
        let beyond = try checkpoint(first + left + left)
        let result = try chain([try batch(first, firstSeq: 1, name: "one"), try batch(left, firstSeq: 3, name: "left"),
                                try batch(right, firstSeq: 3, name: "right")],
                               [("a", confirmed), ("b", forged), ("c", foreign), ("d", beyond)])
        XCTAssertEqual(result.leaves, (first + left).map(MerkleTree.leafHash), "the checkpoint's branch")
        XCTAssertEqual(result.checkpoints, [confirmed])
        // A signed checkpoint over more events than the chain holds also says that events are missing: a gap.
        XCTAssertEqual(codes(result).sorted(), ["store.checkpoint.s3.mismatch b", "store.checkpoint.s3.mismatch c",
                                                "store.checkpoint.s3.mismatch d", "store.ledger.s3.gap -",
                                                "store.ledger.s3.orphan right"])
        // With a database, its line decides, whatever the checkpoints say.
        let preferred = try chain([try batch(first, firstSeq: 1, name: "one"), try batch(left, firstSeq: 3, name: "left"),
                                   try batch(right, firstSeq: 3, name: "right")]) { $0 == 3 ? right[0] : nil }
        XCTAssertEqual(preferred.leaves, (first + right).map(MerkleTree.leafHash))
        XCTAssertEqual(codes(preferred), ["store.ledger.s3.orphan left", "store.ledger.s3.unconfirmed -"])
    }

    func testALaterBatchDecidesAFork() throws {
        let first = try notes(["a"], after: (0, nil))
        let left = try notes(["left"], after: (1, first[0]))
        let right = try notes(["right"], after: (1, first[0]), key: try SecretKey.generate(name: "Other", organization: nil))
        let next = try notes(["next"], after: (2, left[0]))
        let result = try chain([try batch(first, firstSeq: 1, name: "one"), try batch(right, firstSeq: 2, name: "right"),
                                try batch(left, firstSeq: 2, name: "left"), try batch(next, firstSeq: 3, name: "next")])
        XCTAssertEqual(result.leaves, (first + left + next).map(MerkleTree.leafHash))
        XCTAssertEqual(codes(result), ["store.ledger.s3.orphan right", "store.ledger.s3.unconfirmed -"])
    }

    func testABatchThatIsNotWellFormedIsRefused() throws {
        let lines = try notes(["a", "b", "c"], after: (0, nil))
        let bytes = S3LedgerArchive.batchBytes(lines)
        func refused(_ bytes: [UInt8], firstSeq: Int = 1, lastSeq: Int = 3, _ why: String) {
            XCTAssertThrowsError(try S3LedgerChain.Batch(key: "k", versionID: "v", firstSeq: firstSeq, lastSeq: lastSeq,
                                                         sha256: S3LedgerArchive.sha256(bytes), bytes: bytes), why)
        }
        XCTAssertNoThrow(try S3LedgerChain.Batch(key: "k", versionID: "v", firstSeq: 1, lastSeq: 3,
                                                 sha256: S3LedgerArchive.sha256(bytes), bytes: bytes))
        refused(bytes, lastSeq: 4, "the name counts another number of lines")
        refused(bytes, firstSeq: 2, lastSeq: 4, "numbered otherwise than the name says")
        refused(Array(bytes.dropLast()), "no final line feed")
        refused(S3LedgerArchive.batchBytes([lines[0], [], lines[2]]), firstSeq: 1, lastSeq: 3, "an empty line")
        refused(S3LedgerArchive.batchBytes([lines[0], lines[2], lines[1]]), "out of order")
        let tampered = Array(String(decoding: lines[1], as: UTF8.self)
            .replacingOccurrences(of: "\"text\":\"b\"", with: "\"text\":\"B\"").utf8)
        XCTAssertNotEqual(tampered, lines[1])
        refused(S3LedgerArchive.batchBytes([lines[0], tampered, lines[2]]), "a signature that does not verify")
        let unchained = try notes(["b"], after: (1, lines[2]))
        refused(S3LedgerArchive.batchBytes([lines[0], unchained[0]]), lastSeq: 2, "does not chain within the batch")
    }

    func testNames() {
        let hex = String(repeating: "ab", count: 32)
        XCTAssertEqual(S3LedgerArchive.batchName(firstSeq: 4, lastSeq: 17, sha256: hex), "000000000004-000000000017-\(hex).jsonl")
        XCTAssertEqual(S3LedgerArchive.checkpointName(size: 0, sha256: hex), "000000000000-\(hex).json")
        XCTAssertEqual(S3LedgerArchive.parseBatchName("000000000004-000000000017-\(hex).jsonl")?.lastSeq, 17)
        XCTAssertEqual(S3LedgerArchive.parseCheckpointName("000000000000-\(hex).json")?.size, 0)
        for bad in ["00000000004-000000000017-\(hex).jsonl", "000000000000-000000000001-\(hex).jsonl",
                    "000000000005-000000000004-\(hex).jsonl", "000000000004-000000000017-\(hex.uppercased()).jsonl",
                    "000000000004-000000000017-\(hex).json", "000000000004-000000000017-\(hex)-x.jsonl"] {
            XCTAssertNil(S3LedgerArchive.parseBatchName(bad), bad)
        }
        XCTAssertNil(S3LedgerArchive.parseCheckpointName("00000000000a-\(hex).json"))
    }
}
