import AmanaKit
import Foundation
import XCTest

/// The real servers the organisation-store tests run against: PostgreSQL 15 and Ceph radosgw, started on 127.0.0.1 by
/// scripts/services/ (`make test` through scripts/run-tests.sh, or `make services-up` for a developer), found through
/// the variables those scripts print. A missing service skips the test, naming the command that starts it; under
/// `AMANA_REQUIRE_SERVICES=1` (set by `make test`) it fails the test instead, so a CI run whose servers did not start
/// cannot pass by skipping.
package enum TestServices {
    /// Thrown after `XCTFail` when a required service is missing: it ends the test without a second, vaguer error.
    package struct Unavailable: Error, CustomStringConvertible {
        package let description: String
    }

    /// True when `make test` asked that a missing service fail the test rather than skip it.
    package static var servicesRequired: Bool {
        ProcessInfo.processInfo.environment["AMANA_REQUIRE_SERVICES"] == "1"
    }

    /// Skips, or fails under `AMANA_REQUIRE_SERVICES=1`, with one message naming what is missing and how to start it.
    package static func unavailable(_ what: String, file: StaticString = #filePath, line: UInt = #line) throws -> Never {
        let message = "\(what); start the test servers with `make services-up` and load `.services/env` "
            + "(`make test` starts its own)"
        if servicesRequired {
            XCTFail("AMANA_REQUIRE_SERVICES=1 but \(message)", file: file, line: line)
            throw Unavailable(description: message)
        }
        throw XCTSkip(message)
    }

    private static func variable(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    // MARK: PostgreSQL

    /// `AMANA_TEST_POSTGRES_URL` (`postgres://USER@127.0.0.1:PORT/DB`; the password is in `PGPASSWORD`).
    package static func postgresURL(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try postgres(file: file, line: line).url
    }

    /// The PostgreSQL server, parsed from `AMANA_TEST_POSTGRES_URL` (by Amana's own parser of catalog URLs) and
    /// `PGPASSWORD`.
    package static func postgres(file: StaticString = #filePath, line: UInt = #line) throws -> TestPostgres {
        guard let url = variable("AMANA_TEST_POSTGRES_URL") else {
            try unavailable("PostgreSQL is not running (AMANA_TEST_POSTGRES_URL is not set)", file: file, line: line)
        }
        guard let location = try? PostgresLocation(url) else {
            XCTFail("AMANA_TEST_POSTGRES_URL is not postgres://USER@HOST:PORT/DB: \(url)", file: file, line: line)
            throw Unavailable(description: "malformed AMANA_TEST_POSTGRES_URL")
        }
        return TestPostgres(location: location, password: variable("PGPASSWORD"))
    }

    /// Debian's PostgreSQL 15 `psql`, else the one on PATH.
    package static func psqlPath(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let debian = "/usr/lib/postgresql/15/bin/psql"
        if FileManager.default.isExecutableFile(atPath: debian) { return debian }
        if let onPath = TestEnvironment.tool("psql") { return onPath }
        try unavailable("psql is not installed (postgresql-15)", file: file, line: line)
    }

    /// Runs SQL through `psql` (unaligned, tuples only, stop at the first error) in `database` (the URL's by default)
    /// and returns its output without the final newline. A failing statement fails with psql's message.
    @discardableResult
    package static func psql(_ sql: String, database: String? = nil, password: String? = nil,
                             file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try runPsql(sql, database: database, password: password, file: file, line: line)
        guard result.status == 0 else {
            throw Unavailable(description: "psql failed: \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result.stdout.hasSuffix("\n") ? String(result.stdout.dropLast()) : result.stdout
    }

    /// `psql` as it ran, for a test that expects a refusal (a wrong password, a forbidden statement).
    package static func runPsql(_ sql: String, database: String? = nil, password: String? = nil,
                                file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let server = try postgres(file: file, line: line)
        var environment: [String: String] = ["PGCONNECT_TIMEOUT": "10", "PSQLRC": "/dev/null"]
        if let password = password ?? server.password { environment["PGPASSWORD"] = password }
        return try runTool(try psqlPath(file: file, line: line),
                           ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                            "-d", server.url(database: database ?? server.database), "-c", sql],
                           environment: environment)
    }

    /// Creates a database no other test uses (`amana_test_<random>`) and drops it when `testCase` ends.
    package static func createDatabase(for testCase: XCTestCase, file: StaticString = #filePath,
                                       line: UInt = #line) throws -> TestDatabase {
        let server = try postgres(file: file, line: line)
        let name = "amana_test_" + randomSuffix()
        try psql("CREATE DATABASE \(name)", file: file, line: line)
        let database = TestDatabase(name: name, server: server)
        testCase.addTeardownBlock { try? database.drop() }
        return database
    }

    // MARK: Faults

    /// Stops the test PostgreSQL by pid and starts it again on the same data, port and password
    /// (`postgres.sh restart`): the fault tests' "PostgreSQL restarted mid-ingest".
    package static func restartPostgres(file: StaticString = #filePath, line: UInt = #line) throws {
        try serviceScript("postgres", "restart", directoryVariable: "AMANA_TEST_POSTGRES_DIR", file: file, line: line)
    }

    /// Stops radosgw alone (`ceph.sh stop-rgw`); the monitor and OSD, and so every object, stay.
    package static func stopRadosgw(file: StaticString = #filePath, line: UInt = #line) throws {
        try serviceScript("ceph", "stop-rgw", directoryVariable: "AMANA_TEST_CEPH_DIR", file: file, line: line)
    }

    /// Starts radosgw again on the same port (`ceph.sh start-rgw`) and waits until it answers.
    package static func startRadosgw(file: StaticString = #filePath, line: UInt = #line) throws {
        try serviceScript("ceph", "start-rgw", directoryVariable: "AMANA_TEST_CEPH_DIR", file: file, line: line)
    }

    private static func serviceScript(_ name: String, _ action: String, directoryVariable: String,
                                      file: StaticString, line: UInt) throws {
        guard let directory = variable(directoryVariable) else {
            try unavailable("\(name) was not started by scripts/services/ (\(directoryVariable) is not set)",
                            file: file, line: line)
        }
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/services/\(name).sh").path
        let result = try runTool(script, [action, directory])
        guard result.status == 0 else {
            XCTFail("\(name).sh \(action) failed: \(result)", file: file, line: line)
            throw Unavailable(description: "\(name).sh \(action) failed")
        }
    }

    // MARK: S3

    /// The radosgw endpoint and test user's keys (`AMANA_TEST_S3_*`).
    package static func s3(file: StaticString = #filePath, line: UInt = #line) throws -> TestS3 {
        guard let endpoint = variable("AMANA_TEST_S3_ENDPOINT"), let access = variable("AMANA_TEST_S3_ACCESS_KEY"),
              let secret = variable("AMANA_TEST_S3_SECRET_KEY") else {
            try unavailable("Ceph radosgw is not running (AMANA_TEST_S3_ENDPOINT and its keys are not set)",
                            file: file, line: line)
        }
        return TestS3(endpoint: endpoint, region: variable("AMANA_TEST_S3_REGION") ?? "us-east-1",
                      accessKey: access, secretKey: secret)
    }

    /// A bucket name no other test uses (S3 rules: 3 to 63 lowercase letters, digits and hyphens).
    package static func uniqueBucketName(_ label: String = "amana-test") -> String {
        "\(label)-\(randomSuffix())"
    }

    /// Makes a bucket no other test uses, through s3tool, and when `testCase` ends deletes what Object Lock lets it
    /// delete (a version under COMPLIANCE retention stays until its date: the cluster is thrown away before that).
    package static func makeBucket(for testCase: XCTestCase, objectLock: Bool = true,
                                   defaultRetention: (mode: String, days: Int)? = nil,
                                   file: StaticString = #filePath, line: UInt = #line) throws -> S3Tool.Bucket {
        let name = uniqueBucketName()
        var arguments = ["make-bucket", name, "--versioning"]
        if objectLock { arguments.append("--object-lock") }
        if let defaultRetention { arguments += ["--default-retention", defaultRetention.mode, "\(defaultRetention.days)"] }
        let bucket = try s3tool(arguments, as: S3Tool.Bucket.self, file: file, line: line)
        testCase.addTeardownBlock { _ = try? s3tool(["empty-bucket", name]) }
        return bucket
    }

    /// The buckets of the test classes that share one (``classBucket(for:)``), by class name.
    private static let classBuckets = Locked([String: String]())

    /// One bucket with versioning and Object Lock for all the tests of `testClass`, made by the first that asks:
    /// making and emptying a bucket per test costs two s3tool processes, seconds on a loaded machine. Each test then
    /// works under a prefix of its own, and every listing it checks is by that prefix. The class empties the bucket in
    /// its `override class func tearDown()` with ``emptyClassBucket(for:)``.
    package static func classBucket(for testClass: XCTestCase.Type, file: StaticString = #filePath,
                                    line: UInt = #line) throws -> String {
        try classBuckets.withLock { buckets in
            if let bucket = buckets["\(testClass)"] { return bucket }
            let bucket = uniqueBucketName()
            _ = try s3tool(["make-bucket", bucket, "--versioning", "--object-lock"], as: S3Tool.Bucket.self,
                           file: file, line: line)
            buckets["\(testClass)"] = bucket
            return bucket
        }
    }

    /// Deletes what Object Lock lets it delete of `testClass`'s bucket, if one was made.
    package static func emptyClassBucket(for testClass: XCTestCase.Type) {
        guard let bucket = classBuckets.withLock({ $0.removeValue(forKey: "\(testClass)") }) else { return }
        _ = try? s3tool(["empty-bucket", bucket])
    }

    /// A prefix no other test of a shared bucket uses: `label/` and eight random characters, no `/` at the end.
    package static func uniquePrefix(_ label: String) -> String { "\(label)/" + randomSuffix().prefix(8) }

    /// Runs scripts/services/s3tool.py (boto3, the tests' independent S3 client) against the test radosgw. Exit 0
    /// (done), 1 (refused by the server) and 2 (no answer) are results; anything else fails the test.
    package static func s3tool(_ arguments: [String], file: StaticString = #filePath,
                               line: UInt = #line) throws -> S3ToolResult {
        let server = try s3(file: file, line: line)
        let python = try pythonWithBoto3(file: file, line: line)
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/services/s3tool.py").path
        let result = try runTool(python, [script] + arguments, environment: server.environment)
        guard (0...2).contains(result.status) else {
            XCTFail("s3tool \(arguments.first ?? "") broke: \(result)", file: file, line: line)
            throw Unavailable(description: "s3tool failed")
        }
        return S3ToolResult(arguments: arguments, run: result)
    }

    /// Runs several s3tool commands in one process (`s3tool.py batch`: Python and boto3 start once, not once per
    /// command, a second or two each on a loaded machine), in order, every one whatever the ones before did. Each
    /// result is what running that command alone would have given: exit 0, 1 or 2, its JSON reply, its error line.
    package static func s3tool(batch commands: [[String]], file: StaticString = #filePath,
                               line: UInt = #line) throws -> [S3ToolResult] {
        guard !commands.isEmpty else { return [] }
        let server = try s3(file: file, line: line)
        let python = try pythonWithBoto3(file: file, line: line)
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/services/s3tool.py").path
        let input = String(decoding: try JSONSerialization.data(withJSONObject: commands), as: UTF8.self)
        let result = try runTool(python, [script, "batch"], stdin: input, environment: server.environment)
        guard result.status == 0,
              let items = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]],
              items.count == commands.count else {
            XCTFail("s3tool batch broke: \(result)", file: file, line: line)
            throw Unavailable(description: "s3tool batch failed")
        }
        return try zip(commands, items).map { arguments, item in
            guard let status = item["exit"] as? Int, (0...2).contains(status) else {
                XCTFail("s3tool batch: \(arguments.first ?? "") has no exit status: \(result)", file: file, line: line)
                throw Unavailable(description: "s3tool batch failed")
            }
            var stdout = ""
            if let reply = item["reply"], !(reply is NSNull) {
                stdout = String(decoding: try JSONSerialization.data(withJSONObject: reply, options: [.fragmentsAllowed]),
                                as: UTF8.self) + "\n"
            }
            let stderr = (item["stderr"] as? String).map { $0 + "\n" } ?? ""
            return S3ToolResult(arguments: arguments, run: RunResult(status: Int32(status), stdout: stdout, stderr: stderr))
        }
    }

    /// Runs s3tool, requires success, and decodes its JSON reply.
    package static func s3tool<Reply: Decodable>(_ arguments: [String], as type: Reply.Type,
                                                 file: StaticString = #filePath, line: UInt = #line) throws -> Reply {
        let result = try s3tool(arguments, file: file, line: line)
        guard result.succeeded else {
            XCTFail("s3tool \(arguments.joined(separator: " ")) was refused: \(result.run.stderr)", file: file, line: line)
            throw Unavailable(description: "s3tool refused")
        }
        return try result.decode(type)
    }

    /// The project's .venv python (where `make test` installs boto3), else python3 on PATH, if it imports boto3.
    private static func pythonWithBoto3(file: StaticString, line: UInt) throws -> String {
        let venv = TestEnvironment.packageRoot.appendingPathComponent(".venv/bin/python3").path
        let candidates = [venv, TestEnvironment.tool("python3")].compactMap { $0 }
        for python in candidates where FileManager.default.isExecutableFile(atPath: python) {
            if (try? runTool(python, ["-c", "import boto3"]))?.status == 0 { return python }
        }
        try unavailable("boto3 is not installed (`make test-deps` puts it in .venv)", file: file, line: line)
    }

    private static func randomSuffix() -> String {
        (0..<12).map { _ in String("0123456789abcdefghijklmnopqrstuvwxyz".randomElement()!) }.joined()
    }
}

/// The test PostgreSQL server. Its `description` never shows the password.
package struct TestPostgres: Sendable, CustomStringConvertible {
    package let location: PostgresLocation
    package let password: String?

    package var user: String { location.user }
    package var host: String { location.host }
    package var port: Int { location.port }
    /// The database of the URL: the one test databases are created and dropped from.
    package var database: String { location.database }

    /// `postgres://USER@HOST:PORT/DB`, without the password (org-design: it travels in `PGPASSWORD`).
    package var url: String { url(database: database) }

    package func url(database: String) -> String { config.with(database: database).url }

    /// The server as Amana connects to it, with the test password (source `PGPASSWORD`).
    package var config: PostgresConnectionConfig {
        PostgresConnectionConfig(location: location, password: password, passwordSource: .environment)
    }

    package var description: String { "\(url) (password \(password == nil ? "none" : "redacted"))" }
}

/// A database created for one test; `drop()` ends its sessions and removes it.
package final class TestDatabase: Sendable {
    package let name: String
    /// The server, connected to its own database (to create and drop others, or to end sessions).
    package let admin: PostgresConnectionConfig
    /// This database, as Amana connects to it.
    package let config: PostgresConnectionConfig

    init(name: String, server: TestPostgres) {
        self.name = name
        admin = server.config
        config = server.config.with(database: name)
    }

    /// `postgres://USER@HOST:PORT/NAME`, without the password.
    package var url: String { config.url }

    package func drop() throws {
        try TestServices.psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

/// The test radosgw and its user. Its `description` never shows the secret key.
package struct TestS3: Sendable, CustomStringConvertible {
    package let endpoint: String
    package let region: String
    package let accessKey: String
    package let secretKey: String

    /// The variables s3tool.py reads, plus the standard AWS ones that Amana's own configuration reads.
    package var environment: [String: String] {
        ["AMANA_TEST_S3_ENDPOINT": endpoint, "AMANA_TEST_S3_REGION": region,
         "AMANA_TEST_S3_ACCESS_KEY": accessKey, "AMANA_TEST_S3_SECRET_KEY": secretKey,
         "AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secretKey]
    }

    package var description: String { "\(endpoint) (\(region), access key \(accessKey), secret redacted)" }
}

/// One run of s3tool.py: exit 0 with the reply, exit 1 when the server refused (`refusal` says how), exit 2 when it
/// did not answer.
package struct S3ToolResult: CustomStringConvertible {
    package let arguments: [String]
    package let run: RunResult

    package var succeeded: Bool { run.status == 0 }

    /// The server could not be reached (radosgw stopped) or did not answer in time.
    package var noAnswer: Bool { run.status == 2 }

    /// The server's refusal (S3 error code and HTTP status), or nil when the request succeeded.
    package var refusal: S3Refusal? { succeeded ? nil : try? decode(S3Refusal.self) }

    package func decode<Reply: Decodable>(_ type: Reply.Type) throws -> Reply {
        try JSONDecoder().decode(type, from: Data(run.stdout.utf8))
    }

    /// The reply of a command that must have succeeded (as ``TestServices/s3tool(_:as:file:line:)`` requires), for a
    /// result of a batch.
    package func reply<Reply: Decodable>(_ type: Reply.Type, file: StaticString = #filePath,
                                         line: UInt = #line) throws -> Reply {
        guard succeeded else {
            XCTFail("s3tool \(arguments.joined(separator: " ")) was refused: \(run.stderr)", file: file, line: line)
            throw TestServices.Unavailable(description: "s3tool refused")
        }
        return try decode(type)
    }

    package var description: String { "s3tool \(arguments.joined(separator: " ")): \(run)" }
}

/// How S3 refused a request: `{"error": "AccessDenied", "status": 403, "message": "forbidden by object lock"}`.
package struct S3Refusal: Decodable, Sendable {
    package let error: String
    package let status: Int?
    package let message: String
}

/// s3tool's replies, for the tests that read them.
package enum S3Tool {
    package struct Bucket: Decodable, Sendable {
        package struct DefaultRetention: Decodable, Sendable {
            package let mode: String
            package let days: Int?
            package let years: Int?
        }

        package let bucket: String
        package let versioning: String
        package let objectLock: String
        package let defaultRetention: DefaultRetention?
    }

    package struct Put: Decodable, Sendable {
        package let key: String
        package let versionId: String?
        package let etag: String
    }

    package struct Get: Decodable, Sendable {
        package let key: String
        package let versionId: String?
        package let size: Int
        package let sha256: String
        package let objectLockMode: String?
        package let objectLockRetainUntil: String?
        package let legalHold: String?
    }

    package struct Versions: Decodable, Sendable {
        package struct Version: Decodable, Sendable {
            package let key: String
            package let versionId: String
            package let isLatest: Bool
            package let size: Int
            package let etag: String
        }

        package struct DeleteMarker: Decodable, Sendable {
            package let key: String
            package let versionId: String
            package let isLatest: Bool
        }

        package let versions: [Version]
        package let deleteMarkers: [DeleteMarker]
    }

    package struct Retention: Decodable, Sendable {
        package let mode: String?
        package let retainUntil: String?
    }

    package struct LegalHold: Decodable, Sendable {
        package let legalHold: String
    }

    package struct Deleted: Decodable, Sendable {
        package let versionId: String?
        package let deleteMarker: Bool
    }

    package struct Upload: Decodable, Sendable {
        package let key: String
        package let uploadId: String
    }

    package struct Part: Decodable, Sendable {
        package let partNumber: Int
        package let etag: String
    }

    package struct Completed: Decodable, Sendable {
        package let key: String
        package let versionId: String?
        package let parts: Int
    }

    package struct Uploads: Decodable, Sendable {
        package struct Entry: Decodable, Sendable {
            package let key: String
            package let uploadId: String
        }

        package let uploads: [Entry]
    }

    package struct Aborted: Decodable, Sendable {
        package let aborted: [Uploads.Entry]
    }

    package struct Emptied: Decodable, Sendable {
        package let deleted: Int
        package let bucketDeleted: Bool
    }
}
