import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// Real `amana ingest` processes (the built debug binary) writing at once into one organisation store whose catalog
/// and ledger are in PostgreSQL (``PostgresStoreBackEnd``). Each process is a station with its own station folder.
///
/// Until the S3 object store is plugged in, the objects are a local folder shared by the stations, through the
/// test-only hook `AMANA_TEST_ORG_OBJECTS_FOLDER` (honoured only with `AMANA_TEST_HOOKS=1`,
/// ``StoreTestingHooks/sharedObjectsFolder(environment:)``): the uniqueness under test lives in the database's
/// claims, not in the folder.
final class OrganisationStoreProcessTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var keyPath: String!

    override func setUpWithError() throws {
        folder = TemporaryFolder("amana-org")
        keyPath = folder.file("station")
        let made = try amana(["keygen", "--output", keyPath, "--name", "Station Keeper", "--unencrypted"])
        XCTAssertEqual(made.status, 0, "\(made)")
        keyPath += ".key"
    }

    override func tearDown() {
        folder = nil
        super.tearDown()
    }

    /// An organisation store on a new database: its first checkpoint in the database, and `stations` station
    /// folders whose store.json names it. Returns the database and the shared objects folder.
    private func makeStore(_ label: String, stations: Int) throws
        -> (database: TestDatabase, storeID: String, shared: String, dirs: [String]) {
        let database = try TestServices.createDatabase(for: self)
        let key = try SecretKey(minisignFile: try readBytes(keyPath)) { throw AmanaError(.usage, "unencrypted") }
        let storeID = UUID().uuidString.lowercased()
        let ledger = try PostgresLedger(session: try PostgresSession(config: database.config), storeID: storeID)
        try ledger.checkpoint(key: key)
        try ledger.session.close()
        let c = database.config
        let organisation = try OrganisationBackEnd.parse(
            catalog: "postgres://\(c.user)@\(c.host):\(c.port)/\(c.database)", objects: "s3://amana-test/\(label)",
            endpoint: "http://127.0.0.1:9", region: "us-east-1", credentialsFile: nil, retention: nil, retainDays: nil)
        let config = StoreConfig(storeID: storeID, created: UTCTime.format(Date()), keeperKeyID: key.keyID.description,
                                 keeperPublicKey: key.publicKey.base64, backEnd: .organisation(organisation))
        let shared = folder.file("\(label)-objects")
        for path in [shared, shared + "/objects", shared + "/objects/sha256", shared + "/tmp"] {
            XCTAssertEqual(mkdir(path, 0o700), 0)
        }
        var dirs = [String]()
        for station in 0..<stations {
            let dir = folder.file("\(label)-station-\(station)")
            XCTAssertEqual(mkdir(dir, 0o700), 0)
            try AtomicOutput.write(config.bytes, to: dir + "/store.json", mode: 0o600)
            dirs.append(dir)
        }
        return (database, storeID, shared, dirs)
    }

    private var hookEnvironment: [String: String] { ["AMANA_TEST_HOOKS": "1"] }

    private func ingest(_ source: String, station: String, shared: String, caseID: String,
                        environment: [String: String] = [:]) throws -> RunResult {
        try amana(["ingest", source, "--store", station, "--case", caseID, "--collector", "Station",
                   "--key", keyPath, "--json"],
                  environment: hookEnvironment.merging(["AMANA_TEST_ORG_OBJECTS_FOLDER": shared]) { $1 }
                      .merging(environment) { $1 })
    }

    /// Deterministic content: `label` repeated to `size` bytes.
    private func content(_ label: String, size: Int) -> [UInt8] {
        let unit = Array((label + "\n").utf8)
        return (0..<size).map { unit[$0 % unit.count] }
    }

    /// The store as the database and the shared folder hold it afterwards, checked whole: the ledger gapless and
    /// auditing clean (signatures, chain, checkpoints), one `new` event per content and the rest duplicates, every
    /// catalog object present in the folder with its digest, and every object in the folder in the catalog.
    private func checkStore(_ database: TestDatabase, storeID: String, shared: String,
                            acquisitions: Int, contents: Set<String>, file: StaticString = #filePath,
                            line: UInt = #line) throws {
        let session = try PostgresSession(config: database.config)
        defer { try? session.close() }
        let ledger = try PostgresLedger(session: session, storeID: storeID)
        var seqs = [Int]()
        var news = [String: Int](), duplicates = [String: Int]()
        try ledger.forEachLine { seq, line in
            seqs.append(seq)
            guard let event = try? CustodyEvent(line: line), let record = AcquisitionRecord(seq: seq, event: event)
            else { return }
            if record.outcome == .new { news[record.sha256, default: 0] += 1 } else { duplicates[record.sha256, default: 0] += 1 }
        }
        XCTAssertEqual(seqs, Array(1...max(1, seqs.count)), "gapless", file: file, line: line)
        XCTAssertEqual(Set(news.keys), contents, "every content recorded as new", file: file, line: line)
        XCTAssertEqual(news.values.filter { $0 != 1 }.count, 0, "one new event per content: \(news)", file: file, line: line)
        XCTAssertEqual(news.values.reduce(0, +) + duplicates.values.reduce(0, +), acquisitions, "every source recorded once",
                       file: file, line: line)
        var problems = [[String]]()
        let statuses = try LedgerAudit.run(storeID: storeID, lines: { try ledger.forEachLine($0) },
                                           checkpoints: { try ledger.checkpoints() }) { problems.append($0.problems) }
        XCTAssertEqual(problems.filter { !$0.isEmpty }, [], "the ledger verifies", file: file, line: line)
        XCTAssertEqual(statuses.filter { !$0.problems.isEmpty }.count, 0, "every checkpoint verifies", file: file, line: line)
        let catalog = try PostgresCatalog(session: session)
        XCTAssertEqual(try catalog.indexedThrough(), seqs.count, "indexed in the append's transaction", file: file, line: line)
        let items = try catalog.items(caseID: nil)
        XCTAssertEqual(Set(items.map(\.sha256)), contents, "the catalog's objects", file: file, line: line)
        XCTAssertEqual(try session.query("SELECT 1 FROM claims").count, 0, "every claim released", file: file, line: line)
        // The folder's objects, each named by its content: exactly the catalog's.
        var stored = Set<String>()
        let objects = LocalObjectStore(layout: StoreLayout(root: shared))
        try objects.forEachObject { stored.insert($0) }
        XCTAssertEqual(stored, contents, "every object has its row and every row its object", file: file, line: line)
        for item in items {
            let rehashed = try objects.rehash(StoredObjectRef(item))
            XCTAssertEqual(rehashed.sha256, item.sha256, file: file, line: line)
            XCTAssertEqual(rehashed.sha512, item.sha512, file: file, line: line)
        }
    }

    /// Four ingest processes, four folders of 30 files sharing 20 identical ones, started at once into one store,
    /// three times over (each on a fresh store): every content stored once, recorded as one `new` and the rest
    /// `duplicate`; the ledger one gapless signed chain; the catalog and the objects agreeing.
    func testFourIngestProcessesWithOverlappingInputsStoreEachContentOnce() throws {
        for round in 1...3 {
            let (database, storeID, shared, dirs) = try makeStore("round\(round)", stations: 4)
            var contents = Set<String>()
            var inputs = [String]()
            for station in 0..<4 {
                let input = folder.file("round\(round)-input-\(station)")
                for number in 0..<20 {
                    // Sizes apart, some large enough that copies overlap in time; named to come first in every
                    // folder, so the four processes reach the same content at about the same time.
                    let bytes = content("shared \(round) \(number)", size: 1_000 + number * 40_000)
                    try folder.write("round\(round)-input-\(station)/0-shared-\(number + 10).bin", bytes)
                    if station == 0 { contents.insert(MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex) }
                }
                for number in 0..<10 {
                    let bytes = content("own \(round) \(station) \(number)", size: 2_000 + number * 30_000)
                    try folder.write("round\(round)-input-\(station)/1-own-\(number + 10).bin", bytes)
                    contents.insert(MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex)
                }
                inputs.append(input)
            }
            let results = Locked([Outcome?](repeating: nil, count: 4))
            let keyPath = self.keyPath!, sources = inputs
            DispatchQueue.concurrentPerform(iterations: 4) { station in
                let result = try? amana(["ingest", sources[station], "--store", dirs[station], "--case", "CASE-\(station)",
                                         "--collector", "Station \(station)", "--key", keyPath, "--json"],
                                        environment: ["AMANA_TEST_HOOKS": "1", "AMANA_TEST_ORG_OBJECTS_FOLDER": shared])
                results.withLock { $0[station] = result.map(Outcome.init) }
            }
            for (station, result) in results.value.enumerated() {
                XCTAssertEqual(result?.status, 0, "round \(round) station \(station): \(String(describing: result))")
            }
            XCTAssertEqual(contents.count, 60)
            try checkStore(database, storeID: storeID, shared: shared, acquisitions: 120, contents: contents)
        }
    }

    /// The test hook is refused outside the tests: without `AMANA_TEST_HOOKS=1` the variable is an error, so a stray
    /// one never sends a real store's evidence to a local folder.
    func testTheSharedObjectsHookIsRefusedWithoutTheTestFlag() throws {
        let (database, _, shared, dirs) = try makeStore("hook", stations: 1)
        try folder.write("hook-input/a.bin", content("a", size: 100))
        let refused = try amana(["ingest", folder.file("hook-input"), "--store", dirs[0], "--case", "C",
                                 "--collector", "X", "--key", keyPath],
                                environment: ["AMANA_TEST_ORG_OBJECTS_FOLDER": shared, "AMANA_TEST_HOOKS": ""])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertEqual(refused.stderr.split(separator: "\n").first.map(String.init),
                       "amana: error: AMANA_TEST_ORG_OBJECTS_FOLDER is a test hook and is refused outside the tests")
    }

    /// The claim staleness hook is refused outside the tests, and takes only a sane number of seconds.
    func testTheClaimStalenessHookIsRefusedWithoutTheTestFlag() throws {
        XCTAssertNil(try StoreTestingHooks.claimStaleSeconds(environment: [:]))
        XCTAssertEqual(try StoreTestingHooks.claimStaleSeconds(
            environment: ["AMANA_TEST_HOOKS": "1", "AMANA_TEST_CLAIM_STALE_SECONDS": "3"]), 3)
        for environment in [["AMANA_TEST_CLAIM_STALE_SECONDS": "3"],
                            ["AMANA_TEST_HOOKS": "0", "AMANA_TEST_CLAIM_STALE_SECONDS": "3"],
                            ["AMANA_TEST_HOOKS": "1", "AMANA_TEST_CLAIM_STALE_SECONDS": "0"],
                            ["AMANA_TEST_HOOKS": "1", "AMANA_TEST_CLAIM_STALE_SECONDS": "soon"]] {
            XCTAssertThrowsError(try StoreTestingHooks.claimStaleSeconds(environment: environment), "\(environment)") {
                XCTAssertEqual(($0 as? AmanaError)?.code, .usage)
            }
        }
    }

    /// PostgreSQL restarted while an ingest runs: the ingest stops with one clear `amana: error:` line, nothing is
    /// recorded that is not stored, and a rerun completes the job.
    func testAPostgresRestartMidIngestIsOneClearErrorAndARerunCompletes() throws {
        _ = try TestServices.postgres()
        let (database, storeID, shared, dirs) = try makeStore("restart", stations: 1)
        var contents = Set<String>()
        for number in 0..<150 {
            let bytes = content("restart \(number)", size: 300_000 + number)
            try folder.write("restart-input/file-\(number).bin", bytes)
            contents.insert(MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex)
        }
        let shared2 = shared
        let station = dirs[0], input = folder.file("restart-input"), keyPath = self.keyPath!
        let outcome = Locked<Outcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let result = try? amana(["ingest", input, "--store", station, "--case", "C", "--collector", "X",
                                     "--key", keyPath],
                                    environment: ["AMANA_TEST_HOOKS": "1", "AMANA_TEST_ORG_OBJECTS_FOLDER": shared2])
            outcome.set(result.map(Outcome.init))
            done.signal()
        }
        // Restart once some events are in, long before the 150 files are.
        let watcher = try PostgresSession(config: database.config)
        var seen = 0
        let deadline = Date().addingTimeInterval(120)
        while seen < 5 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            seen = Int((try? watcher.query("SELECT count(*)::BIGINT FROM store_ledger").first?.decode(Int64.self)) ?? 0)
        }
        try? watcher.close()
        XCTAssertGreaterThanOrEqual(seen, 5, "the ingest got going")
        try TestServices.restartPostgres()
        done.wait()
        let result = try XCTUnwrap(outcome.value)
        XCTAssertEqual(result.status, 69, "the ingest ran into the restart, a service unavailable (EX_UNAVAILABLE): \(result)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("amana: error: ") }
        print("the interrupted ingest said: \(result.stderr)")
        XCTAssertEqual(errors.count, 1, result.stderr)
        // The server went away: said as such (the connection closed, or no connection while it restarts).
        XCTAssertTrue(errors.first.map {
            $0.hasPrefix("amana: error: the catalog's postgresql server at ") && $0.hasSuffix(" closed the connection")
                || $0.hasPrefix("amana: error: cannot connect to the catalog's postgresql server at ")
        } ?? false, result.stderr)
        XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)

        // Nothing recorded that is not stored.
        let session = try PostgresSession(config: database.config)
        let catalog = try PostgresCatalog(session: session)
        let recorded = try catalog.items(caseID: nil)
        XCTAssertLessThan(recorded.count, 150, "stopped part-way")
        let objects = LocalObjectStore(layout: StoreLayout(root: shared))
        for item in recorded {
            XCTAssertEqual(try objects.rehash(StoredObjectRef(item)).sha256, item.sha256)
        }
        try session.close()

        // The interrupted station's claims stay behind, unrefreshed: the rerun (another station) takes them over once
        // stale, after 3 s under the test hook instead of the 60 s of a real station.
        let orphaned = try PostgresSession(config: database.config)
        let leftClaims = try orphaned.query("SELECT count(*)::BIGINT FROM claims").first?.decode(Int64.self) ?? 0
        try orphaned.close()
        print("claims left by the interrupted ingest: \(leftClaims)")
        let rerun = try ingest(input, station: station, shared: shared, caseID: "C",
                               environment: ["AMANA_TEST_CLAIM_STALE_SECONDS": "3"])
        XCTAssertEqual(rerun.status, 0, "\(rerun)")
        try checkStore(database, storeID: storeID, shared: shared,
                       acquisitions: try acquisitionCount(database), contents: contents)
        // Every file recorded at least once; the second run's duplicates of the first's are duplicates.
    }

    /// A finished process, as the threads that ran it hand it back.
    private struct Outcome: Sendable, CustomStringConvertible {
        let status: Int32
        let stdout: String
        let stderr: String
        init(_ run: RunResult) { (status, stdout, stderr) = (run.status, run.stdout, run.stderr) }
        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    private func acquisitionCount(_ database: TestDatabase) throws -> Int {
        let session = try PostgresSession(config: database.config)
        defer { try? session.close() }
        return Int(try session.query("SELECT count(*)::BIGINT FROM acquisitions").first?.decode(Int64.self) ?? 0)
    }
}
