import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// What the organisation-store CLI tests share: a key pair, a database and a bucket of the test's own on the test
/// PostgreSQL and radosgw (scripts/services/), the environment that reaches them, and `store init` arguments.
final class OrganisationCLIFixture {
    let cli: CLIFixture
    let database: TestDatabase
    let bucket: String
    let s3: TestS3
    /// The S3 keys and the PostgreSQL password, as the standard variables.
    var environment: [String: String]

    init(_ testCase: XCTestCase) throws {
        cli = try CLIFixture()
        database = try TestServices.createDatabase(for: testCase)
        bucket = try TestServices.makeBucket(for: testCase).bucket
        s3 = try TestServices.s3()
        environment = s3.environment
        if let password = try TestServices.postgres().password { environment["PGPASSWORD"] = password }
    }

    var folder: TemporaryFolder { cli.folder }
    var key: String { cli.key }

    /// `store init DIR` naming the test's database and bucket (or others), GOVERNANCE for a day unless `retention`
    /// says otherwise, so the bucket can be emptied afterwards.
    func initArguments(_ dir: String, database url: String? = nil, prefix: String = "org", bucket name: String? = nil,
                       retention: [String] = ["--retention", "governance", "--retain-days", "1"]) -> [String] {
        ["store", "init", dir, "--catalog", url ?? database.url, "--objects", "s3://\(name ?? bucket)/\(prefix)",
         "--endpoint", s3.endpoint, "--region", s3.region] + retention + ["--key", key]
    }

    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> RunResult {
        try amana(arguments, environment: environment.merging(extra) { $1 })
    }

    func storeID(_ dir: String) throws -> String {
        try StoreConfig(bytes: try readBytes(dir + "/store.json"), path: dir).storeID
    }

    func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func sha256(_ text: String) -> String {
        MultiDigest.digests(of: Array(text.utf8), [.sha256])[.sha256]!.hex
    }

    /// Ingests `files` (name: content) from a new folder into the station.
    func ingest(_ files: [String: String], into station: String, folder name: String, caseID: String = "CASE-ORG",
                file: StaticString = #filePath, line: UInt = #line) throws {
        let input = folder.file(name)
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for (path, text) in files { try write(input + "/" + path, text) }
        let result = try run(["ingest", input, "--store", station, "--case", caseID, "--collector", "Field",
                              "--key", key])
        XCTAssertEqual(result.status, 0, "\(result)", file: file, line: line)
    }
}
