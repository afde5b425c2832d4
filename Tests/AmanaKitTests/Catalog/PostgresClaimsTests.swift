import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// Upload uniqueness in the database: of stations claiming one content at once exactly one wins; a stale claim is
/// taken over once; the same content ingested by two writers at once is one object and two acquisitions.
final class PostgresClaimsTests: XCTestCase {
    private var database: TestDatabase!

    override func setUpWithError() throws {
        database = try TestServices.createDatabase(for: self)
    }

    override func tearDown() {
        database = nil
        super.tearDown()
    }

    private func openClaims() throws -> PostgresClaims {
        try PostgresClaims(session: try PostgresSession(config: database.config))
    }

    /// Runs `body(0)` and `body(1)` on two threads released at the same instant; returns their results.
    private func race<T: Sendable>(_ body: @escaping @Sendable (Int) throws -> T) -> [Result<T, Error>] {
        let results = Locked<[Int: Result<T, Error>]>([:])
        let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for side in 0..<2 {
            group.enter()
            Thread {
                defer { group.leave() }
                ready.signal()
                go.wait()
                let result = Result { try body(side) }
                results.withLock { $0[side] = result }
            }.start()
        }
        ready.wait()
        ready.wait()
        go.signal()
        go.signal()
        group.wait()
        return results.withLock { [$0[0]!, $0[1]!] }
    }

    func testOfTwoStationsClaimingAtOnceExactlyOneWins() throws {
        let config = database.config
        // Each side has its own connection, opened before the race.
        let sessions = [try PostgresSession(config: config), try PostgresSession(config: config)]
        let claims = Handoff(try sessions.map { try PostgresClaims(session: $0) })
        for round in 0..<25 {
            let sha256 = CatalogFixture.digests("race \(round)").sha256
            let outcomes = race { side in try claims.value[side].claim(sha256: sha256, station: "station-\(side)") }
            let values = try outcomes.map { try $0.get() }
            XCTAssertEqual(values.filter { $0 == .won }.count, 1, "round \(round): \(values)")
            let winner = values[0] == .won ? "station-0" : "station-1"
            XCTAssertTrue(values.contains(.lost(holder: winner)), "the loser is told who holds it")
            XCTAssertEqual(try claims.value[0].holder(sha256: sha256), winner)
        }
    }

    /// A claim won for content the catalog already holds says so: the holder committed and released before.
    func testAClaimForContentAlreadyStoredIsStored() throws {
        let session = try PostgresSession(config: database.config)
        let claims = try PostgresClaims(session: session)
        let ledger = try PostgresLedger(session: session, storeID: CatalogFixture.storeID)
        let sha256 = CatalogFixture.digests("kept").sha256
        XCTAssertEqual(try claims.claim(sha256: sha256, station: "a"), .won)
        let record = CatalogFixture.record("kept", caseID: "CASE-1", path: "kept.jpg", size: 1, outcome: .new,
                                           full: false)
        try ledger.append(batch: [CatalogFixture.acquisition(record)],
                          key: try SecretKey.generate(name: "A", organization: nil), role: nil)
        try claims.release(sha256: sha256, station: "a")
        XCTAssertEqual(try claims.claim(sha256: sha256, station: "b"), .stored)
        XCTAssertNil(try claims.holder(sha256: sha256), "a stored answer leaves no claim behind")
    }

    func testHeartbeatReleaseAndTakingOverAStaleClaim() throws {
        let claims = try openClaims()
        let sha256 = CatalogFixture.digests("content").sha256
        XCTAssertEqual(try claims.claim(sha256: sha256, station: "a"), .won)
        XCTAssertEqual(try claims.claim(sha256: sha256, station: "a"), .won, "a retry by the holder")
        XCTAssertEqual(try claims.claim(sha256: sha256, station: "b"), .lost(holder: "a"))
        XCTAssertTrue(try claims.heartbeat(sha256: sha256, station: "a"))
        XCTAssertFalse(try claims.heartbeat(sha256: sha256, station: "b"))
        XCTAssertFalse(try claims.takeOverIfStale(sha256: sha256, station: "b", olderThan: 60), "a fresh claim stays")
        // Station a stops beating for an hour.
        try claims.session.query("UPDATE claims SET heartbeat_at = now() - interval '1 hour'")
        XCTAssertFalse(try claims.takeOverIfStale(sha256: sha256, station: "b", olderThan: 7200))
        XCTAssertTrue(try claims.takeOverIfStale(sha256: sha256, station: "b", olderThan: 60))
        XCTAssertFalse(try claims.takeOverIfStale(sha256: sha256, station: "c", olderThan: 60), "taken over once")
        XCTAssertEqual(try claims.holder(sha256: sha256), "b")
        XCTAssertFalse(try claims.heartbeat(sha256: sha256, station: "a"), "a learns it lost the claim")
        try claims.release(sha256: sha256, station: "a")
        XCTAssertEqual(try claims.holder(sha256: sha256), "b", "only the holder releases")
        try claims.release(sha256: sha256, station: "b")
        XCTAssertNil(try claims.holder(sha256: sha256))
        XCTAssertEqual(try claims.claim(sha256: sha256, station: "a"), .won)
    }

    func testTwoStationsTakingOverTheSameStaleClaimAtOnceOneSucceeds() throws {
        let config = database.config
        let setup = try openClaims()
        let sessions = [try PostgresSession(config: config), try PostgresSession(config: config)]
        let claims = Handoff(try sessions.map { try PostgresClaims(session: $0) })
        for round in 0..<10 {
            let sha256 = CatalogFixture.digests("stale \(round)").sha256
            XCTAssertEqual(try setup.claim(sha256: sha256, station: "dead"), .won)
            try setup.session.query("UPDATE claims SET heartbeat_at = now() - interval '1 hour'")
            let results = race { side in
                try claims.value[side].takeOverIfStale(sha256: sha256, station: "s\(side)", olderThan: 60)
            }
            XCTAssertEqual(try results.map { try $0.get() }.filter { $0 }.count, 1, "round \(round)")
        }
    }

    /// The whole protocol with the ledger: both writers claim; the winner appends `ingested`; the loser waits for
    /// the object in the catalog and appends `duplicate`. One objects row, two acquisitions, for every round.
    func testTheSameContentIngestedByTwoWritersAtOnceIsOneObjectAndTwoAcquisitions() throws {
        let config = database.config
        let key = try SecretKey.generate(name: "Station Key", organization: nil)
        let writers = Handoff(try (0..<2).map { _ in
            let session = try PostgresSession(config: config)
            return (claims: try PostgresClaims(session: session),
                    ledger: try PostgresLedger(session: session, storeID: CatalogFixture.storeID),
                    catalog: try PostgresCatalog(session: session))
        })
        let rounds = 8
        for round in 0..<rounds {
            let label = "shared \(round)"
            let sha256 = CatalogFixture.digests(label).sha256
            let results = race { side -> AcquisitionRecord.Outcome in
                let writer = writers.value[side]
                let station = "station-\(side)"
                var outcome = AcquisitionRecord.Outcome.new
                switch try writer.claims.claim(sha256: sha256, station: station) {
                case .won:
                    outcome = .new
                case .stored:
                    // The other station recorded it and released its claim before this one claimed.
                    outcome = .duplicate
                case .lost:
                    outcome = .duplicate
                    let deadline = Date().addingTimeInterval(20)
                    while try writer.catalog.item(sha256: sha256) == nil {
                        guard Date() < deadline else { throw AmanaError(.outputFailed, "the winner never recorded it") }
                        usleep(2_000)
                    }
                }
                let record = CatalogFixture.record(label, caseID: "CASE-\(side)", path: "\(station)/file.jpg",
                                                   size: 1234, outcome: outcome, full: false)
                try writer.ledger.append(batch: [CatalogFixture.acquisition(record)], key: key, role: station)
                if outcome == .new { try writer.claims.release(sha256: sha256, station: station) }
                return outcome
            }
            let outcomes: [AcquisitionRecord.Outcome] = try results.map { try $0.get() }
            XCTAssertEqual(Set(outcomes), Set([AcquisitionRecord.Outcome.new, .duplicate]), "round \(round)")
        }
        let catalog = writers.value[0].catalog
        let snapshot = try catalog.snapshot()
        XCTAssertEqual(snapshot["objects"]?.count, rounds, "each content stored once")
        XCTAssertEqual(snapshot["acquisitions"]?.count, 2 * rounds, "and recorded twice")
        for round in 0..<rounds {
            let acquisitions = try catalog.acquisitions(sha256: CatalogFixture.digests("shared \(round)").sha256)
            XCTAssertEqual(acquisitions.map(\.outcome), [.new, .duplicate], "the new one is first in the ledger")
        }
        XCTAssertEqual(try writers.value[0].ledger.count(), 2 * rounds)
        XCTAssertEqual(try catalog.session.rows("SELECT count(*)::BIGINT FROM claims"), [[.integer(0)]])
    }
}
