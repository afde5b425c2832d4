import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// The ledger in PostgreSQL: the same bytes as the local ledger, one transaction per append (rows, catalog rows and
/// the caller's hook together), refusal of a batch that does not chain, checkpoints, and four writers at once.
final class PostgresLedgerTests: XCTestCase {
    private var database: TestDatabase!
    private var key: SecretKey!

    override func setUpWithError() throws {
        database = try TestServices.createDatabase(for: self)
        key = try SecretKey.generate(name: "Field Documenter", organization: "Test Archive")
    }

    override func tearDown() {
        database = nil
        super.tearDown()
    }

    private func openLedger() throws -> PostgresLedger {
        try PostgresLedger(session: try PostgresSession(config: database.config), storeID: CatalogFixture.storeID)
    }

    /// A few acquisitions, a note and a seal.
    private func batch(_ label: String, count: Int = 2) -> [PostgresLedger.Pending] {
        var out = [PostgresLedger.Pending]()
        for index in 0..<count {
            let record = CatalogFixture.record("\(label)-\(index)", caseID: "CASE-\(label)", path: "\(label)/\(index).jpg",
                                               size: UInt64(100 + index), outcome: .new, full: index % 2 == 0)
            out.append(CatalogFixture.acquisition(record))
        }
        out.append(PostgresLedger.Pending(action: .note, items: [], details: ["text": label]))
        return out
    }

    /// Checks the whole ledger as `store log` would: numbered from 1 without gaps, chained from the store's
    /// genesis, every signature valid. Returns the lines.
    @discardableResult
    private func verifyChain(_ ledger: PostgresLedger, file: StaticString = #filePath, line: UInt = #line) throws -> [[UInt8]] {
        var expectedPrev = ledger.genesis
        var lines = [[UInt8]]()
        try ledger.forEachLine(pageSize: 7) { seq, bytes in
            let event = try CustodyEvent(line: bytes)
            XCTAssertEqual(seq, lines.count + 1, "gapless", file: file, line: line)
            XCTAssertEqual(event.seq, seq, file: file, line: line)
            XCTAssertEqual(event.prev, expectedPrev, "event \(seq) chains", file: file, line: line)
            XCTAssertTrue(LedgerAudit.signatureValid(event), "event \(seq) is signed", file: file, line: line)
            expectedPrev = CustodyLog.chainValue(after: bytes)
            lines.append(bytes)
        }
        return lines
    }

    func testTheLinesAreByteForByteWhatTheLocalLedgerWritesAndHashTheSame() throws {
        let ledger = try openLedger()
        let time = Date(timeIntervalSince1970: 1_780_000_000)
        let first = batch("a"), second = batch("b", count: 3)
        try ledger.append(batch: first, key: key, role: "investigator", time: time)
        try ledger.append(batch: second, key: key, role: "investigator", time: time)
        XCTAssertEqual(try ledger.count(), 7)

        let folder = TemporaryFolder("amana-ledger")
        let layout = StoreLayout(root: folder.path)
        try FileManager.default.createDirectory(atPath: folder.file("ledger"), withIntermediateDirectories: true)
        let local = try StoreLedger(layout: layout, storeID: CatalogFixture.storeID, repair: true)
        for pending in [first, second] {
            try local.append(batch: pending.map { StoreLedger.Pending(action: $0.action, items: $0.items, details: $0.details) },
                             key: key, role: "investigator", time: time)
        }
        var localLines = [[UInt8]]()
        try StoreLedger.forEachLine(path: layout.ledgerPath) { line, _ in localLines.append(line) }
        XCTAssertEqual(try verifyChain(ledger), localLines, "the same signed bytes as ledger/events.jsonl")
        XCTAssertEqual(try ledger.leafHashes(), localLines.map(MerkleTree.leafHash), "the server's leaf hashes")
        XCTAssertEqual(try ledger.root(), local.root)
        XCTAssertEqual(try ledger.leafHashes(size: 3).count, 3)

        // The catalog rows were written with the ledger rows: the same as a SQLite catalog indexing those lines.
        let sqlite = try SQLiteCatalog(path: folder.file("catalog.sqlite"))
        try StoreLedger.events(layout: layout) { seq, event, line in try sqlite.index(seq: seq, event: event, line: line) }
        XCTAssertEqual(try PostgresCatalog(session: ledger.session).snapshot(), try sqlite.snapshot())
        try sqlite.close()
    }

    func testCheckpointsAreSignedOverTheRootAndOnePerSize() throws {
        let ledger = try openLedger()
        let empty = try ledger.checkpoint(key: key)
        XCTAssertEqual(empty.size, 0)
        try ledger.append(batch: batch("a"), key: key, role: nil)
        let checkpoint = try ledger.checkpoint(key: key, time: Date(timeIntervalSince1970: 1_780_000_000))
        XCTAssertTrue(checkpoint.signatureValid)
        XCTAssertEqual(checkpoint.size, 3)
        XCTAssertEqual(checkpoint.root, Hex.encode(try ledger.root()))
        XCTAssertEqual(checkpoint.origin, StoreCheckpoint.origin(storeID: CatalogFixture.storeID))
        // Another station checkpointing the same size gets the same checkpoint, not a second one.
        let other = try openLedger()
        XCTAssertEqual(try other.checkpoint(key: try SecretKey.generate(name: "Other", organization: nil)), checkpoint)
        XCTAssertEqual(try ledger.checkpoints(), [empty, checkpoint])
    }

    func testAFailingHookOrBuildCommitsNothing() throws {
        let ledger = try openLedger()
        try ledger.append(batch: batch("a"), key: key, role: nil)
        let catalog = try PostgresCatalog(session: ledger.session)
        let before = try catalog.snapshot()
        var hookLines = [[UInt8]]()
        XCTAssertThrowsError(try ledger.append(batch: batch("b"), key: key, role: nil, beforeCommit: { lines in
            hookLines = lines
            throw AmanaError(.outputFailed, "the object store refused the batch")
        })) { error in
            XCTAssertEqual((error as? AmanaError)?.reason, "the object store refused the batch")
        }
        XCTAssertEqual(hookLines.count, 3, "the hook saw the final lines")
        XCTAssertEqual(try CustodyEvent(line: hookLines[0]).seq, 4)
        XCTAssertEqual(try ledger.count(), 3)
        XCTAssertEqual(try catalog.snapshot(), before, "no catalog row of the failed batch")
        XCTAssertThrowsError(try ledger.append(build: { _ in throw AmanaError(.inputInvalid, "no") }))
        XCTAssertEqual(try ledger.count(), 3)
        // The same session goes on working after the rollbacks.
        try ledger.append(batch: batch("c"), key: key, role: nil)
        XCTAssertEqual(try verifyChain(ledger).count, 6)
        XCTAssertEqual(try catalog.indexedThrough(), 6)
    }

    func testABatchThatDoesNotFollowTheHeadIsRefused() throws {
        let ledger = try openLedger()
        try ledger.append(batch: batch("a"), key: key, role: nil)
        let storeID = CatalogFixture.storeID
        // Signed as if the ledger were empty: wrong numbers and chain.
        XCTAssertThrowsError(try ledger.append(build: { _ in
            try PostgresLedger.sign(self.batch("b"), after: (0, nil), storeID: storeID, key: self.key, role: nil)
        }))
        // Numbered right but chained to nothing.
        XCTAssertThrowsError(try ledger.append(build: { head in
            try PostgresLedger.sign(self.batch("b"), after: (head.count, Array("forged".utf8)), storeID: storeID,
                                    key: self.key, role: nil)
        }))
        // A valid batch with one byte of a signature changed.
        XCTAssertThrowsError(try ledger.append(build: { head in
            var lines = try PostgresLedger.sign(self.batch("b"), after: head, storeID: storeID, key: self.key, role: nil)
            var event = try CustodyEvent(line: lines[0])
            event.details["text"] = "edited after signing"
            lines[0] = event.line
            return lines
        }))
        XCTAssertEqual(try ledger.count(), 3)
        XCTAssertEqual(try verifyChain(ledger).count, 3)
    }

    /// A station that holds the lock and hangs (its connection open) makes the others fail with a clear error after
    /// the lock timeout, not wait for ever; once it lets go, appends go on.
    func testAHungLockHolderMakesAppendsFailClearlyAfterTheTimeout() throws {
        let ledger = try openLedger()
        try ledger.append(batch: batch("a"), key: key, role: nil)
        let holder = try PostgresSession(config: database.config)
        defer { try? holder.close() }
        try holder.query("SELECT pg_advisory_lock($1)", values: [.integer(ledger.lockKey)])
        ledger.lockTimeoutSeconds = 1
        let started = Date()
        XCTAssertThrowsError(try ledger.append(batch: batch("b"), key: key, role: nil)) { error in
            XCTAssertEqual((error as? AmanaError)?.reason,
                           "another station has held the store's ledger lock for 1 s: nothing was appended")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(try ledger.count(), 3)
        try holder.query("SELECT pg_advisory_unlock($1)", values: [.integer(ledger.lockKey)])
        try ledger.append(batch: batch("b"), key: key, role: nil)
        XCTAssertEqual(try verifyChain(ledger).count, 6)
    }

    /// Four writers, each with its own connection, append 50 batches each at once. Afterwards the ledger is one
    /// gapless chain of valid signatures and the catalog holds every event once.
    func testFourConcurrentWritersMakeOneGaplessSignedChain() throws {
        let config = database.config
        let key = self.key!
        let writers = 4, batches = 50
        let errors = Locked<[String]>([])
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for writer in 0..<writers {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                start.wait()
                do {
                    let ledger = try PostgresLedger(session: try PostgresSession(config: config),
                                                    storeID: CatalogFixture.storeID)
                    for number in 0..<batches {
                        let label = "w\(writer)-b\(number)"
                        let pending = [
                            CatalogFixture.acquisition(CatalogFixture.record(label, caseID: "CASE-\(writer)",
                                                                             path: "\(label).jpg", size: 10,
                                                                             outcome: .new, full: false)),
                            PostgresLedger.Pending(action: .note, items: [], details: ["text": label]),
                        ]
                        try ledger.append(batch: pending, key: key, role: "writer \(writer)")
                    }
                    try ledger.session.close()
                } catch {
                    errors.withLock { $0.append("writer \(writer): \(error)") }
                }
            }
            thread.start()
        }
        for _ in 0..<writers { start.signal() }
        group.wait()
        XCTAssertEqual(errors.value, [])

        let ledger = try openLedger()
        let total = writers * batches * 2
        XCTAssertEqual(try ledger.count(), total)
        let lines = try verifyChain(ledger)
        XCTAssertEqual(lines.count, total)
        let roles = Set(try lines.map { try CustodyEvent(line: $0).actor.role ?? "" })
        XCTAssertEqual(roles.count, writers, "every writer appended")
        let catalog = try PostgresCatalog(session: ledger.session)
        let snapshot = try catalog.snapshot()
        XCTAssertEqual(snapshot["ledger_events"]?.count, total, "every event indexed once")
        XCTAssertEqual(Set(snapshot["ledger_events"]?.map { $0[5] } ?? []).count, total, "no event indexed twice")
        XCTAssertEqual(snapshot["objects"]?.count, writers * batches)
        XCTAssertEqual(snapshot["acquisitions"]?.count, writers * batches)
        XCTAssertEqual(try catalog.indexedThrough(), total)
    }
}
