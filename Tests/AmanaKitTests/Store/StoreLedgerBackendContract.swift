import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// What every ``StoreLedgerBackend`` must do, run on a real, empty ledger of each back end (the local file, and the
/// PostgreSQL tables): numbering and chaining from its own head, the `beforeCommit` hook before anything
/// is durable, nothing appended when the hook refuses, the catalog indexed by the back end itself, checkpoints whose
/// root is the leaf hashes', and lines that audit clean.
enum StoreLedgerBackendContract {
    static func run(_ ledger: StoreLedgerBackend, catalog: Catalog, key: SecretKey, file: StaticString = #filePath,
                    line: UInt = #line) throws {
        func pending(_ note: String) -> StoreLedger.Pending {
            StoreLedger.Pending(action: .verified, items: [], details: ["scope": "store", "note": note])
        }
        XCTAssertEqual(try ledger.head(), StoreLedgerHead(count: 0, lastLine: nil), file: file, line: line)
        let checkpointsBefore = try ledger.checkpoints().count
        var hooked = [[UInt8]]()
        let first = try ledger.append([pending("a")], key: key, role: nil, time: Date(), beforeCommit: { hooked += $0 })
        var countSeenByHook = -1
        let batch = try ledger.append([pending("b"), pending("c")], key: key, role: "archivist", time: Date(),
                                      beforeCommit: { lines in
                                          countSeenByHook = try ledger.head().count
                                          hooked += lines
                                      })
        XCTAssertEqual(countSeenByHook, 1, "nothing of the batch is in the ledger while the hook runs", file: file, line: line)
        XCTAssertEqual((first + batch).map(\.event.seq), [1, 2, 3], file: file, line: line)
        XCTAssertEqual(hooked, (first + batch).map(\.line), file: file, line: line)
        XCTAssertEqual(first[0].event.prev, CustodyLog.genesis(bundleID: StoreCheckpoint.origin(storeID: ledger.storeID)),
                       file: file, line: line)
        XCTAssertEqual(batch[0].event.prev, CustodyLog.chainValue(after: first[0].line), file: file, line: line)
        XCTAssertEqual(batch[1].event.prev, CustodyLog.chainValue(after: batch[0].line), file: file, line: line)
        XCTAssertEqual(batch.map(\.event.actor.role), ["archivist", "archivist"], file: file, line: line)
        XCTAssertEqual(try ledger.head(), StoreLedgerHead(count: 3, lastLine: batch[1].line), file: file, line: line)
        XCTAssertEqual(try catalog.indexedThrough(), 3, "the back end indexed what it appended", file: file, line: line)

        struct Refused: Error {}
        XCTAssertThrowsError(try ledger.append([pending("d")], key: key, role: nil, time: Date(),
                                               beforeCommit: { _ in throw Refused() }), file: file, line: line) {
            XCTAssertTrue($0 is Refused, "the hook's error, unchanged: \($0)", file: file, line: line)
        }
        XCTAssertEqual(try ledger.head().count, 3, "a refused hook appends nothing", file: file, line: line)
        XCTAssertEqual(try catalog.indexedThrough(), 3, file: file, line: line)
        XCTAssertEqual(try ledger.append([], key: key, role: nil, time: Date(), beforeCommit: { _ in XCTFail("hooked nothing") }).count,
                       0, file: file, line: line)

        var lines = [[UInt8]]()
        try ledger.forEachLine { seq, text in
            XCTAssertEqual(seq, lines.count + 1, file: file, line: line)
            lines.append(text)
        }
        XCTAssertEqual(lines, (first + batch).map(\.line), file: file, line: line)

        let checkpoint = try ledger.checkpoint(key: key, time: Date())
        XCTAssertEqual(checkpoint.size, 3, file: file, line: line)
        XCTAssertTrue(checkpoint.signatureValid, file: file, line: line)
        XCTAssertEqual(checkpoint.root, Hex.encode(MerkleTree.root(leafHashes: lines.map(MerkleTree.leafHash))),
                       file: file, line: line)
        XCTAssertEqual(try ledger.leafHashes(size: 3), lines.map(MerkleTree.leafHash), file: file, line: line)
        XCTAssertEqual(try ledger.leafHashes(size: 1), [MerkleTree.leafHash(first[0].line)], file: file, line: line)
        XCTAssertEqual(try ledger.checkpoints().count, checkpointsBefore + 1, file: file, line: line)
        XCTAssertEqual(try ledger.checkpoints().last, checkpoint, file: file, line: line)

        var problems = [[String]]()
        let statuses = try LedgerAudit.run(storeID: ledger.storeID, lines: { try ledger.forEachLine($0) },
                                           checkpoints: { try ledger.checkpoints() }) { problems.append($0.problems) }
        XCTAssertEqual(problems, [[], [], []], file: file, line: line)
        XCTAssertEqual(statuses.last?.problems, [], file: file, line: line)
    }
}
