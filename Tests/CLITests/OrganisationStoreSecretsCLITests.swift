import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The S3 secret key and the PostgreSQL password, given both in the environment and in a 0600 credentials file, and
/// wrong ones provoking failures, never appear anywhere amana writes or says: its output and errors, the station's
/// store.json, any row of the database (catalog and ledger), or any object under the store's prefix.
final class OrganisationStoreSecretsCLITests: XCTestCase {
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

    func testNoSecretLeaksThroughCommandsFailuresOrTheBackEnds() throws {
        let password = try XCTUnwrap(org.environment["PGPASSWORD"], "the test PostgreSQL has a password")
        let wrongS3 = "wrong-s3-secret-" + UUID().uuidString, wrongPG = "wrong-pg-password-" + UUID().uuidString
        let secrets = [org.s3.secretKey, password, wrongS3, wrongPG]

        let credentials = org.folder.file("credentials")
        try org.write(credentials, "AWS_ACCESS_KEY_ID=\(org.s3.accessKey)\nAWS_SECRET_ACCESS_KEY=\(org.s3.secretKey)\n"
                      + "PGPASSWORD=\(password)\n")
        XCTAssertEqual(chmod(credentials, 0o600), 0)
        let station = org.folder.file("station")
        var outputs = [RunResult]()
        func run(_ arguments: [String], environment: [String: String] = [:], succeeds: Bool) throws {
            let result = try org.run(arguments, environment: environment)
            outputs.append(result)
            if succeeds { XCTAssertEqual(result.status, 0, "\(result)") } else { XCTAssertNotEqual(result.status, 0, "\(result)") }
        }

        // Working commands, with the secrets in the environment AND the file.
        try run(org.initArguments(station) + ["--credentials", credentials], succeeds: true)
        let input = org.folder.file("input")
        XCTAssertEqual(mkdir(input, 0o700), 0)
        try org.write(input + "/statement.txt", "a statement\n")
        let ingest = ["ingest", input, "--store", station, "--case", "C", "--collector", "X", "--key", org.key]
        try run(ingest, succeeds: true)
        try run(["store", "verify", "--store", station, "--key", org.key], succeeds: true)
        try run(["store", "log", "--store", station], succeeds: true)
        try run(["store", "list", "--store", station, "--json"], succeeds: true)
        // The file alone (empty variables are unset for amana).
        try run(["store", "verify", "--store", station],
                environment: ["AWS_SECRET_ACCESS_KEY": "", "PGPASSWORD": ""], succeeds: true)

        // Failures: a wrong S3 secret (environment, then file), a wrong PostgreSQL password, an unreachable S3.
        try org.write(input + "/second.txt", "another statement\n")
        try run(ingest, environment: ["AWS_SECRET_ACCESS_KEY": wrongS3], succeeds: false)
        try run(["store", "verify", "--store", station], environment: ["PGPASSWORD": wrongPG], succeeds: false)
        try run(ingest, environment: ["PGPASSWORD": wrongPG], succeeds: false)
        let wrongFile = org.folder.file("wrong-credentials")
        try org.write(wrongFile, "AWS_SECRET_ACCESS_KEY=\(wrongS3)\nPGPASSWORD=\(wrongPG)\n")
        XCTAssertEqual(chmod(wrongFile, 0o600), 0)
        try run(org.initArguments(org.folder.file("other")) + ["--credentials", wrongFile],
                environment: ["AWS_SECRET_ACCESS_KEY": "", "PGPASSWORD": ""], succeeds: false)
        var unreachable = org.initArguments(org.folder.file("unreachable"))
        unreachable[unreachable.firstIndex(of: "--endpoint")! + 1] = "http://127.0.0.1:9"
        try run(unreachable, succeeds: false)
        // A credentials file others can read is refused without a word of it.
        XCTAssertEqual(chmod(wrongFile, 0o644), 0)
        try run(org.initArguments(org.folder.file("open")) + ["--credentials", wrongFile], succeeds: false)

        var places = [(String, String)]()
        for output in outputs {
            places.append(("output of \(output)", output.stdout + output.stderr))
            if output.status != 0 {
                XCTAssertTrue(output.stderr.hasPrefix("amana: error: "), output.stderr)
            }
        }
        places.append(("store.json", String(decoding: try readBytes(station + "/store.json"), as: UTF8.self)))
        // Every row of every table, bytea columns (the ledger's lines) as text too.
        let tables = try TestServices.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
                                           database: org.database.name).split(separator: "\n")
        XCTAssertTrue(tables.contains("store_ledger"), "\(tables)")
        for table in tables {
            places.append(("table \(table)", try TestServices.psql("SELECT t::text FROM \(table) t",
                                                                   database: org.database.name)))
        }
        for table in ["store_ledger", "store_checkpoints"] {
            places.append(("\(table) lines", try TestServices.psql("SELECT convert_from(line, 'UTF8') FROM \(table)",
                                                                   database: org.database.name)))
        }
        // Every version of every object under the prefix, as stored.
        let listed = try TestServices.s3tool(["versions", org.bucket, "\(org.prefix)/"], as: S3Tool.Versions.self)
        XCTAssertGreaterThanOrEqual(listed.versions.count, 2, "the identity and the object at least")
        for (index, version) in listed.versions.enumerated() {
            let copy = org.folder.file("object-\(index)")
            _ = try TestServices.s3tool(["get", org.bucket, version.key, version.versionId, copy], as: S3Tool.Get.self)
            places.append(("s3 \(version.key)", String(decoding: try readBytes(copy), as: UTF8.self)))
        }
        for (place, text) in places {
            for secret in secrets {
                let hex = Array(secret.utf8).map { String(format: "%02x", $0) }.joined()
                XCTAssertFalse(text.contains(secret) || text.contains(hex),
                               "a secret (\(secrets.firstIndex(of: secret)!)) appears in \(place.prefix(80))")
            }
        }
    }
}
