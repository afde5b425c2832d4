import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// An organisation store made as a user makes one, for tests that run real `amana` processes against it: station
/// folders made with `amana store init DIR --catalog postgres://... --objects s3://... --key K.key` against the test
/// PostgreSQL and radosgw (the first creates the store, the others join it), each test with its own database and
/// bucket. It also says what the servers hold afterwards, through channels other than Amana's own store code: the
/// database's tables, and boto3 (Tests/S3Peers/store_view.py) for the bucket.
final class OrganisationStoreFixture {
    let folder: TemporaryFolder
    let keyPath: String
    let database: TestDatabase
    let bucket: String
    let prefix: String
    let s3: TestS3
    /// The variables an `amana` process of a station gets: the S3 test user's keys in the standard AWS variables,
    /// the PostgreSQL password in `PGPASSWORD`, and the test-hook flag.
    let environment: [String: String]
    private(set) var stations = [String]()

    init(_ testCase: XCTestCase, folder: TemporaryFolder, keyPath: String, label: String) throws {
        self.folder = folder
        self.keyPath = keyPath
        s3 = try TestServices.s3()
        let postgres = try TestServices.postgres()
        database = try TestServices.createDatabase(for: testCase)
        bucket = try TestServices.makeBucket(for: testCase).bucket
        prefix = label
        var environment = s3.environment
        environment["AMANA_TEST_HOOKS"] = "1"
        if let password = postgres.password { environment["PGPASSWORD"] = password }
        self.environment = environment
    }

    /// One more station folder: `amana store init` with the back ends (the first call creates the store).
    @discardableResult
    func addStation(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let dir = folder.file("\(prefix)-station-\(stations.count)")
        let made = try amana(["store", "init", dir, "--catalog", database.url, "--objects", "s3://\(bucket)/\(prefix)",
                              "--endpoint", s3.endpoint, "--region", s3.region, "--key", keyPath,
                              "--retention", "governance", "--retain-days", "1"], environment: environment)
        XCTAssertEqual(made.status, 0, "store init: \(made)", file: file, line: line)
        stations.append(dir)
        return dir
    }

    func ingestArguments(_ sources: [String], station: String, caseID: String) -> [String] {
        ["ingest"] + sources + ["--store", station, "--case", caseID, "--collector", "Station", "--key", keyPath]
    }

    func ingest(_ sources: [String], station: String, caseID: String = "CASE",
                environment extra: [String: String] = [:]) throws -> RunResult {
        try amana(ingestArguments(sources, station: station, caseID: caseID),
                  environment: environment.merging(extra) { $1 })
    }

    /// `amana ARGUMENTS` started in the background (stdout and stderr to files), for a test that acts on it while it
    /// runs: kill it, or stop a server under it.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> RunningAmana {
        try RunningAmana(arguments, environment: environment.merging(extra) { $1 }, folder: folder)
    }

    // MARK: What the servers hold

    var config: PostgresConnectionConfig {
        get throws { try PostgresConnectionConfig(url: database.url, environment: environment) }
    }

    var storeID: String {
        get throws {
            let path = stations[0] + "/store.json"
            return try StoreConfig(bytes: try readBytes(path), path: path).storeID
        }
    }

    func objectKey(_ sha256: String) -> String { "\(prefix)/objects/sha256/\(sha256)" }

    /// The store as its database holds it: the catalog's objects, the ledger's sequence numbers and acquisition
    /// records in order, and the claims still held.
    struct DatabaseView {
        var items: [StoredItem]
        var seqs: [Int]
        var records: [AcquisitionRecord]
        var claims: Int
    }

    func catalog() throws -> DatabaseView {
        let session = try PostgresSession(config: try config)
        defer { try? session.close() }
        let ledger = try PostgresLedger(session: session, storeID: try storeID)
        var seqs = [Int](), records = [AcquisitionRecord]()
        try ledger.forEachLine { seq, line in
            seqs.append(seq)
            if let event = try? CustodyEvent(line: line), let record = AcquisitionRecord(seq: seq, event: event) {
                records.append(record)
            }
        }
        let items = try PostgresCatalog(session: session).items(caseID: nil)
        let claims = try session.query("SELECT count(*)::BIGINT FROM claims").first?.decode(Int64.self) ?? -1
        return DatabaseView(items: items, seqs: seqs, records: records, claims: Int(claims))
    }

    /// boto3's view of the bucket (Tests/S3Peers/store_view.py): versions and incomplete uploads under the store's
    /// prefix, and each given object read back by its version id and hashed.
    struct S3View: Decodable {
        struct Read: Decodable {
            let key: String
            let versionId: String
            let size: Int?
            let sha256: String?
            let error: String?
        }

        struct Upload: Decodable {
            let key: String
            let uploadId: String
        }

        let versions: [String: [String]]
        let deleteMarkers: [String]
        let uploads: [Upload]
        let reads: [Read]
    }

    func s3View(reading items: [StoredItem] = [], file: StaticString = #filePath, line: UInt = #line) throws -> S3View {
        let python = try S3Peer.requirePython()
        var arguments = [S3Peer.script("store_view.py"), bucket, prefix]
        for item in items { arguments += [objectKey(item.sha256), item.versionID ?? "(none)"] }
        let result = try runTool(python, arguments, environment: s3.environment)
        guard result.status == 0 else {
            XCTFail("store_view.py failed: \(result)", file: file, line: line)
            throw AmanaError(.internalFailure, "store_view.py failed")
        }
        return try JSONDecoder().decode(S3View.self, from: Data(result.stdout.utf8))
    }

    /// Everything the organisation tests demand of a store once its writers are done, checked against the servers:
    /// - the ledger gapless, one `new` event per content and a `duplicate` for every other acquisition;
    /// - the catalog's objects exactly `contents`, each with a version id, and no claim left;
    /// - boto3 sees exactly one version (no delete marker) under each object's key, the one the catalog names, and
    ///   no other object key; reading that version gives the recorded size and SHA-256; no incomplete upload is left;
    /// - `amana store log` (signatures, chain, checkpoints) and `amana store verify` (every object re-read by its
    ///   version id, re-hashed, its retention checked) both exit 0.
    func checkWhole(contents: [String: Int], acquisitions: Int, file: StaticString = #filePath,
                    line: UInt = #line) throws {
        let catalog = try catalog()
        XCTAssertEqual(catalog.seqs, Array(1...max(1, catalog.seqs.count)), "the ledger is gapless", file: file, line: line)
        let news = Dictionary(grouping: catalog.records.filter { $0.outcome == .new }, by: \.sha256).mapValues(\.count)
        XCTAssertEqual(news, contents.mapValues { _ in 1 }, "one new event per content", file: file, line: line)
        XCTAssertEqual(catalog.records.count, acquisitions, "every acquisition recorded once", file: file, line: line)
        XCTAssertEqual(catalog.records.filter { $0.outcome == .duplicate }.count, acquisitions - contents.count,
                       "the others are duplicates", file: file, line: line)
        XCTAssertEqual(Set(catalog.items.map(\.sha256)), Set(contents.keys), "the catalog's objects", file: file, line: line)
        XCTAssertEqual(catalog.claims, 0, "every claim released", file: file, line: line)

        let view = try s3View(reading: catalog.items, file: file, line: line)
        XCTAssertEqual(Set(view.versions.keys), Set(contents.keys.map(objectKey)),
                       "S3 holds exactly the catalog's objects", file: file, line: line)
        for item in catalog.items {
            XCTAssertNotNil(item.versionID, "\(item.sha256) has a version id", file: file, line: line)
            XCTAssertEqual(view.versions[objectKey(item.sha256)], item.versionID.map { [$0] },
                           "one version of \(item.sha256), the recorded one", file: file, line: line)
        }
        XCTAssertEqual(view.deleteMarkers, [], file: file, line: line)
        XCTAssertEqual(view.uploads.map(\.key), [], "no incomplete upload left", file: file, line: line)
        XCTAssertEqual(view.reads.count, catalog.items.count, file: file, line: line)
        for read in view.reads {
            let sha256 = String(read.key.split(separator: "/").last ?? "")
            XCTAssertNil(read.error, "\(read.key) version \(read.versionId): \(read.error ?? "")", file: file, line: line)
            XCTAssertEqual(read.sha256, sha256, "the stored bytes hash to their name", file: file, line: line)
            XCTAssertEqual(read.size, contents[sha256], "\(read.key) has the source's size", file: file, line: line)
        }

        for station in stations {
            let log = try amana(["store", "log", "--store", station], environment: environment)
            XCTAssertEqual(log.status, 0, "store log from \(station): \(log)", file: file, line: line)
            XCTAssertTrue(log.stdout.contains("\(catalog.seqs.count) events and "), log.stdout, file: file, line: line)
        }
        let verify = try amana(["store", "verify", "--store", stations[0]], environment: environment)
        XCTAssertEqual(verify.status, 0, "store verify: \(verify)", file: file, line: line)
        XCTAssertTrue(verify.stdout.contains("checked \(contents.count) objects"), verify.stdout, file: file, line: line)
    }
}

/// An `amana` process running in the background, its output going to files in a temporary folder.
final class RunningAmana {
    let process = Process()
    private let stdoutPath: String
    private let stderrPath: String

    init(_ arguments: [String], environment: [String: String], folder: TemporaryFolder) throws {
        let tag = UUID().uuidString.prefix(8)
        stdoutPath = folder.file("run-\(tag).out")
        stderrPath = folder.file("run-\(tag).err")
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: TestEnvironment.amanaBinary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    var pid: pid_t { process.processIdentifier }

    /// Waits until `path` exists (a test hook's pause file): false when the process ended first or time ran out.
    func waitFor(_ path: String, seconds: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if access(path, F_OK) == 0 { return true }
            if !process.isRunning { return access(path, F_OK) == 0 }
            usleep(10_000)
        }
        return false
    }

    func kill(_ signal: Int32 = SIGKILL) {
        _ = Glibc.kill(process.processIdentifier, signal)
    }

    /// What the process did, once it ended.
    struct Finished: CustomStringConvertible {
        let status: Int32
        let stdout: String
        let stderr: String
        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// Waits for the process to end and returns what it did.
    func finish() throws -> Finished {
        process.waitUntilExit()
        return Finished(status: process.terminationStatus,
                        stdout: String(decoding: try readBytes(stdoutPath), as: UTF8.self),
                        stderr: String(decoding: try readBytes(stderrPath), as: UTF8.self))
    }

    /// How it ended: killed by a signal, or exited.
    var killedBySignal: Bool { process.terminationReason == .uncaughtSignal }
}
