import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// Writers as separate processes, as stations are: this test bundle runs itself again with one test selected and
/// `AMANA_TEST_PG_WRITER` set, and that child appends to the database named in its environment.
///
/// One child is killed with SIGKILL while it holds the ledger's advisory lock, inside an append: the server ends its
/// transaction, nothing of its batch is committed, the lock is free again, and the other writers' chain goes on
/// without a gap.
final class PostgresWriterProcessTests: XCTestCase {
    /// The child's side: runs only in a process started by the tests below.
    func testWriterProcessChild() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let database = environment["AMANA_TEST_PG_WRITER"], let name = environment["AMANA_TEST_PG_WRITER_NAME"]
        else { throw XCTSkip("runs only as a writer process started by PostgresWriterProcessTests") }
        let config = try TestServices.postgres().config.with(database: database)
        let key = try SecretKey.generate(name: name, organization: nil)
        let ledger = try PostgresLedger(session: try PostgresSession(config: config), storeID: CatalogFixture.storeID)
        let batches = Int(environment["AMANA_TEST_PG_WRITER_BATCHES"] ?? "") ?? 0
        for number in 0..<batches {
            let label = "\(name)-\(number)"
            let record = CatalogFixture.record(label, caseID: name, path: "\(label).jpg", size: 10, outcome: .new,
                                               full: false)
            try ledger.append(batch: [CatalogFixture.acquisition(record)], key: key, role: name)
        }
        if let marker = environment["AMANA_TEST_PG_WRITER_HANG"] {
            let record = CatalogFixture.record("\(name)-killed", caseID: name, path: "killed.jpg", size: 10,
                                               outcome: .new, full: false)
            try ledger.append(batch: [CatalogFixture.acquisition(record)], key: key, role: name, beforeCommit: { _ in
                // Holding the lock, rows not yet inserted: say so, then wait to be killed.
                FileManager.default.createFile(atPath: marker, contents: Data("locked".utf8))
                while true { sleep(60) }
            })
        }
    }

    private func startWriter(database: String, name: String, batches: Int, hangMarker: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["AmanaKitTests.PostgresWriterProcessTests/testWriterProcessChild"]
        var environment = ProcessInfo.processInfo.environment
        environment["AMANA_TEST_PG_WRITER"] = database
        environment["AMANA_TEST_PG_WRITER_NAME"] = name
        environment["AMANA_TEST_PG_WRITER_BATCHES"] = String(batches)
        environment["AMANA_TEST_PG_WRITER_HANG"] = hangMarker
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        return process
    }

    func testFourWriterProcessesAndOneKilledHoldingTheLock() throws {
        let database = try TestServices.createDatabase(for: self)
        guard CommandLine.arguments[0].hasSuffix(".xctest") else {
            throw XCTSkip("needs the test bundle as an executable (swift test on Linux)")
        }
        // Migrate first, so the children do not all wait on the migration lock at start.
        let ledger = try PostgresLedger(session: try PostgresSession(config: database.config),
                                        storeID: CatalogFixture.storeID)
        let folder = TemporaryFolder("amana-writers")
        let marker = folder.file("locked")
        let victim = try startWriter(database: database.config.database, name: "victim", batches: 5, hangMarker: marker)
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: marker), victim.isRunning, Date() < deadline { usleep(20_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker), "the victim reached its hook holding the lock")
        let writers = try (0..<4).map { try startWriter(database: database.config.database, name: "writer\($0)", batches: 25) }
        usleep(300_000)
        XCTAssertEqual(try ledger.count(), 5, "the writers wait for the lock the victim holds")
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        for writer in writers {
            writer.waitUntilExit()
            XCTAssertEqual(writer.terminationStatus, 0, "a writer process failed")
        }
        XCTAssertEqual(try ledger.count(), 5 + 4 * 25)
        var expectedPrev = ledger.genesis
        var seq = 0
        var killed = 0
        try ledger.forEachLine { number, line in
            seq += 1
            let event = try CustodyEvent(line: line)
            XCTAssertEqual(number, seq)
            XCTAssertEqual(event.seq, seq)
            XCTAssertEqual(event.prev, expectedPrev)
            XCTAssertTrue(LedgerAudit.signatureValid(event))
            if event.details[AcquisitionRecord.Key.path] == "killed.jpg" { killed += 1 }
            expectedPrev = CustodyLog.chainValue(after: line)
        }
        XCTAssertEqual(killed, 0, "nothing of the killed append was committed")
        let snapshot = try PostgresCatalog(session: ledger.session).snapshot()
        XCTAssertEqual(snapshot["ledger_events"]?.count, 105)
        XCTAssertEqual(snapshot["objects"]?.count, 105)
    }
}
