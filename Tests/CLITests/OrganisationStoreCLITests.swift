import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `amana store init --catalog --objects` and the store commands end to end, through the real binary, against the
/// test PostgreSQL and Ceph radosgw (scripts/services/): create, join, ingest from two stations, list, log, verify,
/// and init's refusals. Each test has its own database and bucket.
final class OrganisationStoreCLITests: XCTestCase {
    private var org: OrganisationCLIFixture!

    override func setUpWithError() throws {
        org = try OrganisationCLIFixture(self)
    }

    override func tearDown() {
        org = nil
        super.tearDown()
    }

    override class func tearDown() {
        OrganisationCLIFixture.dropBucket(of: self)
        super.tearDown()
    }

    private var fixture: CLIFixture { org.cli }
    private var database: TestDatabase { org.database }
    private var bucket: String { org.bucket }
    private var s3: TestS3 { org.s3 }
    private var environment: [String: String] { org.environment }

    private func initArguments(_ dir: String, database url: String? = nil, prefix: String? = nil,
                               bucket name: String? = nil) -> [String] {
        org.initArguments(dir, database: url, prefix: prefix, bucket: name)
    }

    private func run(_ arguments: [String]) throws -> RunResult { try org.run(arguments) }
    private func storeID(_ dir: String) throws -> String { try org.storeID(dir) }
    private func write(_ path: String, _ text: String) throws { try org.write(path, text) }

    /// Create, join, ingest overlapping files from both stations, then list, log and verify from either.
    func testInitCreatesAStoreASecondStationJoinsAndBothIngest() throws {
        let first = fixture.folder.file("station-a"), second = fixture.folder.file("station-b")
        let created = try run(initArguments(first))
        XCTAssertEqual(created.status, 0, "\(created)")
        XCTAssertTrue(created.stdout.hasPrefix("created organisation store "), created.stdout)
        let joined = try run(initArguments(second))
        XCTAssertEqual(joined.status, 0, "\(joined)")
        XCTAssertTrue(joined.stdout.hasPrefix("joined organisation store "), joined.stdout)
        let id = try storeID(first)
        XCTAssertEqual(try storeID(second), id)

        // The station's store.json: private, names the back ends, holds no secret.
        var info = stat()
        XCTAssertEqual(stat(first + "/store.json", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        let text = String(decoding: try readBytes(first + "/store.json"), as: UTF8.self)
        XCTAssertTrue(text.contains("\"kind\":\"organisation\""), text)
        XCTAssertFalse(text.contains(s3.secretKey), "no S3 secret in store.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: first + "/tmp"))

        // The identity in S3: one locked version of PREFIX/store.json, naming the same store.
        let listed = try TestServices.s3tool(["versions", bucket, "\(org.prefix)/store.json"], as: S3Tool.Versions.self)
        XCTAssertEqual(listed.versions.count, 1)
        let identity = try TestServices.s3tool(["get", bucket, "\(org.prefix)/store.json", listed.versions[0].versionId,
                                                fixture.folder.file("identity.json")], as: S3Tool.Get.self)
        XCTAssertEqual(identity.objectLockMode, "GOVERNANCE")
        XCTAssertEqual(try StoreConfig(bytes: try readBytes(fixture.folder.file("identity.json")), path: "s3").storeID, id)

        // Overlapping inputs from both stations: "shared.txt" is in both.
        let inputA = fixture.folder.file("input-a"), inputB = fixture.folder.file("input-b")
        for folder in [inputA, inputB] { XCTAssertEqual(mkdir(folder, 0o700), 0) }
        try write(inputA + "/shared.txt", "the same testimony\n")
        try write(inputA + "/only-a.txt", "station a's note\n")
        try write(inputB + "/shared.txt", "the same testimony\n")
        try write(inputB + "/only-b.txt", "station b's photo caption\n")
        for (input, station) in [(inputA, first), (inputB, second)] {
            let ingested = try run(["ingest", input, "--store", station, "--case", "CASE-ORG", "--collector", "Field",
                                    "--key", fixture.key])
            XCTAssertEqual(ingested.status, 0, "\(ingested)")
        }
        let objects = try TestServices.s3tool(["versions", bucket, "\(org.prefix)/objects/"], as: S3Tool.Versions.self)
        XCTAssertEqual(objects.versions.count, 3, "three contents, each stored once: \(objects.versions.map(\.key))")

        let list = try run(["store", "list", "--store", second])
        XCTAssertEqual(list.status, 0, "\(list)")
        for name in ["shared.txt", "only-a.txt", "only-b.txt"] {
            XCTAssertTrue(list.stdout.contains(name), "\(name) in: \(list.stdout)")
        }
        let log = try run(["store", "log", "--store", first])
        XCTAssertEqual(log.status, 0, "\(log)")
        XCTAssertTrue(log.stdout.hasPrefix("ledger of store \(id)\n"), log.stdout)
        XCTAssertTrue(log.stdout.contains("events and "), log.stdout)
        XCTAssertTrue(log.stdout.hasSuffix("checkpoints verify\n"), log.stdout)
        let verify = try run(["store", "verify", "--store", first, "--key", fixture.key])
        XCTAssertEqual(verify.status, 0, "\(verify)")
        XCTAssertEqual(verify.stderr, "", verify.stderr)
    }

    /// Two stations running init at the same moment on empty back ends end up in one store: one creates, the other
    /// joins, with one identity in S3 and one first checkpoint in the database.
    func testTwoConcurrentInitsMakeOneStore() throws {
        let dirs = [fixture.folder.file("one"), fixture.folder.file("two")]
        let results = Locked([RunResult?](repeating: nil, count: 2))
        let arguments = dirs.map { initArguments($0) }
        let environment = self.environment
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let result = try? amana(arguments[index], environment: environment)
            results.withLock { $0[index] = result }
        }
        let outputs = results.value.compactMap { $0 }
        XCTAssertEqual(outputs.count, 2)
        for output in outputs { XCTAssertEqual(output.status, 0, "\(output)") }
        XCTAssertEqual(outputs.filter { $0.stdout.hasPrefix("created ") }.count, 1, "\(outputs)")
        XCTAssertEqual(outputs.filter { $0.stdout.hasPrefix("joined ") }.count, 1, "\(outputs)")
        XCTAssertEqual(try storeID(dirs[0]), try storeID(dirs[1]))
        let listed = try TestServices.s3tool(["versions", bucket, "\(org.prefix)/store.json"], as: S3Tool.Versions.self)
        XCTAssertEqual(listed.versions.count, 1)
        let checkpoints = try TestServices.psql("SELECT COUNT(*) FROM store_checkpoints", database: database.name)
        XCTAssertEqual(checkpoints.trimmingCharacters(in: .whitespacesAndNewlines), "1")
    }

    /// A bucket without Object Lock is refused before anything is written: no station folder, nothing in the
    /// database, nothing in the bucket.
    func testInitRefusesABucketWithoutObjectLockBeforeWritingAnything() throws {
        let plain = try TestServices.makeBucket(for: self, objectLock: false).bucket
        let dir = fixture.folder.file("refused")
        let result = try run(initArguments(dir, bucket: plain))
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderr.split(separator: "\n").first.map(String.init),
                       "amana: error: the bucket s3://\(plain) does not have Object Lock enabled", result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir))
        let tables = try TestServices.psql("SELECT COUNT(*) FROM pg_tables WHERE tablename = 'store_checkpoints'",
                                           database: database.name)
        XCTAssertEqual(tables.trimmingCharacters(in: .whitespacesAndNewlines), "0")
        let listed = try TestServices.s3tool(["versions", plain], as: S3Tool.Versions.self)
        XCTAssertEqual(listed.versions.count, 0)
    }

    /// Back ends that name different stores, or one store and nothing, are refused in one line.
    func testInitRefusesBackEndsOfDifferentStores() throws {
        let first = fixture.folder.file("first")
        XCTAssertEqual(try run(initArguments(first)).status, 0)
        let id = try storeID(first)
        let input = fixture.folder.file("note.txt")
        try write(input, "a note\n")
        XCTAssertEqual(try run(["ingest", input, "--store", first, "--case", "C", "--collector", "X",
                                "--key", fixture.key]).status, 0)

        // The same database, another prefix: S3 there holds no store.
        let otherPrefix = try run(initArguments(fixture.folder.file("p2"), prefix: org.prefix + "-elsewhere"))
        XCTAssertEqual(otherPrefix.status, 65, "\(otherPrefix)")
        XCTAssertTrue(otherPrefix.stderr.hasPrefix("amana: error: the database \(database.url) holds store \(id) but s3://\(bucket)/\(org.prefix)-elsewhere holds no store.json"), otherPrefix.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.folder.file("p2")))

        // Another, empty database with the store's prefix, which holds objects: a lost or wrong database.
        let empty = try TestServices.createDatabase(for: self)
        let lost = try run(initArguments(fixture.folder.file("p3"), database: empty.url))
        XCTAssertEqual(lost.status, 65, "\(lost)")
        XCTAssertTrue(lost.stderr.hasPrefix("amana: error: s3://\(bucket)/\(org.prefix) holds store \(id) and its objects but the database"), lost.stderr)

        // A second store elsewhere, then its prefix with the first store's database.
        XCTAssertEqual(try run(initArguments(fixture.folder.file("second"), database: empty.url, prefix: org.prefix + "-two")).status, 0)
        let other = try storeID(fixture.folder.file("second"))
        let mixed = try run(initArguments(fixture.folder.file("p4"), prefix: org.prefix + "-two"))
        XCTAssertEqual(mixed.status, 65, "\(mixed)")
        XCTAssertTrue(mixed.stderr.hasPrefix("amana: error: the database \(database.url) holds store \(id) but s3://\(bucket)/\(org.prefix)-two/store.json names store \(other)"), mixed.stderr)
        for result in [otherPrefix, lost, mixed] {
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 2, "one error line and one hint: \(result.stderr)")
        }
    }

    /// An init that died between its two writes left the identity in S3 and nothing in the database: the next init
    /// finishes it, under that identity, and signs the first checkpoint.
    func testInitFinishesAnInitThatDiedAfterWritingTheIdentity() throws {
        let id = UUID().uuidString.lowercased()
        let identity = fixture.folder.file("identity.json")
        try write(identity, #"{"created":"2026-12-06T10:00:00Z","format":"amana-store-v1","keeper":{"keyId":"K","publicKey":"P"},"storeId":"\#(id)"}"# + "\n")
        _ = try TestServices.s3tool(["put", bucket, "\(org.prefix)/store.json", identity, "--retention", "GOVERNANCE", "1"],
                                    as: S3Tool.Put.self)
        let station = fixture.folder.file("station")
        let finished = try run(initArguments(station))
        XCTAssertEqual(finished.status, 0, "\(finished)")
        XCTAssertTrue(finished.stdout.hasPrefix("finished creating organisation store \(id) "), finished.stdout)
        XCTAssertEqual(try storeID(station), id)
        let origin = try TestServices.psql("SELECT convert_from(line, 'UTF8') FROM store_checkpoints", database: database.name)
        XCTAssertTrue(origin.contains("\"origin\":\"amana-store:\(id)\""), origin)
        let joined = try run(initArguments(fixture.folder.file("second")))
        XCTAssertTrue(joined.stdout.hasPrefix("joined organisation store \(id) "), "\(joined)")
    }

    /// A prefix whose first `store.json` is not a store identity (bytes that are not JSON, truncated JSON, JSON of
    /// another shape or format version, a station's file naming back ends) is refused in one error line and a hint,
    /// exit 65, with nothing written: no station folder, no table in the database, no other object in S3.
    func testInitRefusesAnIdentityThatIsNotAStoresAndWritesNothing() throws {
        let good = #"{"created":"2026-12-06T10:00:00Z","format":"amana-store-v1","keeper":{"keyId":"K","publicKey":"P"},"storeId":"s"}"#
        let station = #"{"backEnd":{"catalog":"postgres://amana@db.example:5433/evidence","kind":"organisation","#
            + #""objects":"s3://evidence-bucket/centre/a"},"# + good.dropFirst()
        let cases: [(name: String, bytes: [UInt8], why: String)] = [
            ("garbage", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF], "not JSON"),
            ("empty", [], "not JSON"),
            ("truncated", Array(good.utf8.prefix(60)), "not JSON"),
            ("array", Array(#"["amana-store-v1"]"#.utf8), "unknown format"),
            ("version", Array(good.replacingOccurrences(of: "store-v1", with: "store-v2").utf8), "unknown format"),
            ("shape", Array(#"{"format":"amana-store-v1","storeId":{"id":"s"}}"#.utf8), "a field is missing"),
        ] + [("station", Array(station.utf8), "")]
        var puts = [[String]]()
        for (index, item) in cases.enumerated() {
            let file = fixture.folder.file("identity-\(index)")
            try Data(item.bytes).write(to: URL(fileURLWithPath: file))
            puts.append(["put", bucket, "\(org.prefix)-\(item.name)/store.json", file, "--retention", "GOVERNANCE", "1"])
        }
        for put in try TestServices.s3tool(batch: puts) { XCTAssertEqual(put.run.status, 0, "\(put)") }

        for item in cases {
            let dir = fixture.folder.file("station-\(item.name)")
            let result = try run(initArguments(dir, prefix: "\(org.prefix)-\(item.name)"))
            let location = "s3://\(bucket)/\(org.prefix)-\(item.name)/store.json"
            XCTAssertEqual(result.status, 65, "\(item.name): \(result)")
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let expected = item.why.isEmpty ? "\(location) is not a store identity (it names back ends)"
                : "\(location) is not an amana store configuration: \(item.why)"
            XCTAssertEqual(lines, ["amana: error: " + expected,
                                   "amana: hint: name the prefix of an amana store, or one that holds no store.json", ""],
                           item.name)
            XCTAssertEqual(result.stdout, "", item.name)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir), item.name)
        }
        let tables = try TestServices.psql("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'",
                                           database: database.name)
        XCTAssertEqual(tables.trimmingCharacters(in: .whitespacesAndNewlines), "0", "the database is untouched")
        let listed = try TestServices.s3tool(batch: cases.map { ["versions", bucket, "\(org.prefix)-\($0.name)/"] })
        for (item, listing) in zip(cases, listed) {
            let versions = try listing.decode(S3Tool.Versions.self)
            XCTAssertEqual(versions.versions.map(\.key), ["\(org.prefix)-\(item.name)/store.json"], item.name)
            XCTAssertEqual(versions.deleteMarkers.count, 0, item.name)
        }
    }

    /// An init that died after archiving its first checkpoint (of the empty ledger) on S3 and before the database
    /// committed it: the state is made by creating a store and then losing its database before anything else
    /// happened. The rerun, with another key, adopts the archived checkpoint rather than signing a second one of size
    /// 0, so S3 holds exactly one and the database holds it byte for byte; `store log`, `store verify` and a rebuild
    /// from S3 alone accept the store with no finding, and give back that same checkpoint.
    func testInitAdoptsTheEmptyCheckpointADeadInitArchived() throws {
        let first = fixture.folder.file("first")
        XCTAssertEqual(try run(initArguments(first)).status, 0)
        let id = try storeID(first)
        let checkpointsPrefix = "\(org.prefix)/ledger/checkpoints/"
        let archived = try TestServices.s3tool(["versions", bucket, checkpointsPrefix], as: S3Tool.Versions.self).versions
        XCTAssertEqual(archived.count, 1)
        let object = try TestServices.s3tool(["get", bucket, archived[0].key, archived[0].versionId,
                                              fixture.folder.file("checkpoint.json")], as: S3Tool.Get.self)
        XCTAssertEqual(object.size, Int(try readBytes(fixture.folder.file("checkpoint.json")).count))
        let line = String(decoding: try readBytes(fixture.folder.file("checkpoint.json")).dropLast(), as: UTF8.self)
        try TestServices.psql("DROP DATABASE \(database.name) WITH (FORCE)")
        try TestServices.psql("CREATE DATABASE \(database.name)")

        let other = fixture.folder.file("other")
        let keygen = try run(["keygen", "--output", other, "--name", "Other Documenter", "--unencrypted"])
        XCTAssertEqual(keygen.status, 0, "\(keygen)")
        let station = fixture.folder.file("station")
        var arguments = initArguments(station)
        arguments[arguments.count - 1] = other + ".key"
        let finished = try run(arguments)
        XCTAssertEqual(finished.status, 0, "\(finished)")
        let firstKey = try StoreCheckpoint(line: Array(line.utf8)).keyID
        XCTAssertTrue(finished.stdout.hasPrefix("finished creating organisation store \(id) "), finished.stdout)
        XCTAssertTrue(finished.stdout.hasSuffix("its first checkpoint is signed by key \(firstKey)\n"), finished.stdout)
        func databaseCheckpoints() throws -> String {
            try TestServices.psql("SELECT size, convert_from(line, 'UTF8') FROM store_checkpoints ORDER BY size",
                                  database: database.name).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(try databaseCheckpoints(), "0|" + line, "the archived checkpoint, byte for byte")
        let after = try TestServices.s3tool(["versions", bucket, checkpointsPrefix], as: S3Tool.Versions.self).versions
        XCTAssertEqual(after.map(\.versionId), archived.map(\.versionId), "no second checkpoint of size 0 on S3")

        let log = try run(["store", "log", "--store", station])
        XCTAssertEqual(log.status, 0, "\(log)")
        XCTAssertTrue(log.stdout.hasSuffix("0 events and 1 checkpoints verify\n"), log.stdout)
        let verify = try run(["store", "verify", "--store", station])
        XCTAssertEqual(verify.status, 0, "\(verify)")
        XCTAssertEqual(verify.stderr, "")
        try TestServices.psql("DROP DATABASE \(database.name) WITH (FORCE)")
        try TestServices.psql("CREATE DATABASE \(database.name)")
        let rebuilt = try run(["store", "rebuild-catalog", "--store", station])
        XCTAssertEqual(rebuilt.status, 0, "\(rebuilt)")
        XCTAssertTrue(rebuilt.stdout.hasPrefix("restored 0 ledger events and 1 checkpoints from the ledger objects on s3\n"),
                      rebuilt.stdout)
        XCTAssertEqual(rebuilt.stderr, "", "no finding")
        XCTAssertEqual(try databaseCheckpoints(), "0|" + line)
    }

    /// One object just over two multipart parts (17 MiB; parts are 8 MiB) ingested into the store and sealed from it
    /// with `seal --store`: the bundle verifies TOTAL-PASSED and the staged copy under DIR/tmp is gone.
    func testAMultipartObjectIsSealedFromTheStoreAndVerifies() throws {
        let station = fixture.folder.file("station")
        XCTAssertEqual(try run(initArguments(station)).status, 0)
        let input = fixture.folder.file("input")
        XCTAssertEqual(mkdir(input, 0o700), 0)
        let size = 17 << 20
        let random = try XCTUnwrap(FileHandle(forReadingAtPath: "/dev/urandom"))
        let bytes = random.readData(ofLength: size)
        try random.close()
        XCTAssertEqual(bytes.count, size)
        try bytes.write(to: URL(fileURLWithPath: input + "/video.bin"))
        let ingested = try run(["ingest", input, "--store", station, "--case", "CASE-MP", "--collector", "Field",
                                "--key", fixture.key])
        XCTAssertEqual(ingested.status, 0, "\(ingested)")
        let stored = try TestServices.s3tool(["versions", bucket, "\(org.prefix)/objects/"], as: S3Tool.Versions.self)
        XCTAssertEqual(stored.versions.map(\.size), [size])
        XCTAssertTrue(stored.versions.first?.etag.hasSuffix("-3") ?? false, "three parts: \(stored.versions)")

        let bundle = fixture.folder.file("case.tar")
        let sealed = try run(["seal", "--store", station, "--case", "CASE-MP", "--key", fixture.key, "--output", bundle])
        XCTAssertEqual(sealed.status, 0, "\(sealed)")
        let (status, report) = try fixture.verifyJSON(bundle)
        XCTAssertEqual(status, 0)
        XCTAssertEqual(report.verdict, "TOTAL-PASSED")
        let staged = try FileManager.default.contentsOfDirectory(atPath: station + "/tmp")
        XCTAssertEqual(staged.filter { $0.contains("staged") }, [], "the staged copy is removed")
    }

    /// The organisation loses its database: `rebuild-catalog` from a station gives back the ledger and the catalog
    /// from the locked objects on S3 alone, and the store verifies and can be joined again.
    func testADroppedDatabaseIsRebuiltFromS3ThroughTheCLI() throws {
        let station = fixture.folder.file("station")
        XCTAssertEqual(try run(initArguments(station)).status, 0)
        try org.ingest(["a.txt": "first\n", "b.txt": "second\n"], into: station, folder: "input")
        try TestServices.psql("DROP DATABASE \(database.name) WITH (FORCE)")
        try TestServices.psql("CREATE DATABASE \(database.name)")
        let rebuilt = try run(["store", "rebuild-catalog", "--store", station])
        XCTAssertEqual(rebuilt.status, 0, "\(rebuilt)")
        XCTAssertTrue(rebuilt.stdout.contains("restored 2 ledger events"), rebuilt.stdout)
        let list = try run(["store", "list", "--store", station])
        XCTAssertTrue(list.stdout.hasPrefix("2 items\n"), list.stdout)
        let verify = try run(["store", "verify", "--store", station])
        XCTAssertEqual(verify.status, 0, "\(verify)")
        let joined = try run(initArguments(fixture.folder.file("again")))
        XCTAssertTrue(joined.stdout.hasPrefix("joined organisation store \(try storeID(station)) "), "\(joined)")
    }

    /// One of --catalog and --objects without the other, or an organisation option alone, is a usage error; a
    /// local init stays exactly as it was.
    func testInitUsageErrors() throws {
        let dir = fixture.folder.file("usage")
        let onlyCatalog = try run(["store", "init", dir, "--catalog", database.url, "--key", fixture.key])
        XCTAssertEqual(onlyCatalog.status, 64, "\(onlyCatalog)")
        XCTAssertTrue(onlyCatalog.stderr.hasPrefix("amana: error: --catalog and --objects go together"), onlyCatalog.stderr)
        let onlyObjects = try run(["store", "init", dir, "--objects", "s3://\(bucket)/x", "--key", fixture.key])
        XCTAssertEqual(onlyObjects.status, 64, "\(onlyObjects)")
        let onlyRegion = try run(["store", "init", dir, "--region", "eu-west-1", "--key", fixture.key])
        XCTAssertEqual(onlyRegion.status, 64, "\(onlyRegion)")
        XCTAssertTrue(onlyRegion.stderr.hasPrefix("amana: error: --region is for an organisation store"), onlyRegion.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir))
        let local = try run(["store", "init", dir, "--key", fixture.key])
        XCTAssertEqual(local.status, 0, "\(local)")
        let text = String(decoding: try readBytes(dir + "/store.json"), as: UTF8.self)
        XCTAssertFalse(text.contains("backEnd"), text)
    }
}
