import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// Credentials for an organisation store's back ends: read from the environment or a private file, and never shown,
/// not even in an error about a bad file.
final class StoreCredentialsTests: XCTestCase {
    private var folder: TemporaryFolder!
    private let secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"
    private let password = "correct-horse-battery-staple"

    override func setUp() {
        super.setUp()
        folder = TemporaryFolder("amana-credentials")
    }

    override func tearDown() {
        folder = nil
        super.tearDown()
    }

    @discardableResult
    private func file(_ text: String, mode: mode_t = 0o600) throws -> String {
        let path = try folder.write("creds", text)
        XCTAssertEqual(chmod(path, mode), 0)
        return path
    }

    /// The error `body` throws, or a failure message.
    private func refusal(_ body: () throws -> Any) -> AmanaError? {
        do {
            _ = try body()
            XCTFail("accepted")
            return nil
        } catch let error as AmanaError {
            return error
        } catch {
            XCTFail("\(error)")
            return nil
        }
    }

    private func assertNoSecret(_ error: AmanaError?, file: StaticString = #filePath, line: UInt = #line) {
        let text = (error?.reason ?? "") + " " + (error?.hint ?? "")
        for value in [secret, password, "AKIDEXAMPLE"] {
            XCTAssertFalse(text.contains(value), text, file: file, line: line)
        }
        XCTAssertFalse(text.contains("\n"), "one line", file: file, line: line)
    }

    func testAPrivateFileIsReadAndTheEnvironmentOverridesIt() throws {
        let path = try file("# station 3\nAWS_ACCESS_KEY_ID=AKIDEXAMPLE\r\nAWS_SECRET_ACCESS_KEY=\(secret)\n\nPGPASSWORD=\(password)=with=equals\n")
        let fromFile = try StoreCredentials.load(file: path, environment: [:])
        XCTAssertEqual(fromFile.awsAccessKeyID, "AKIDEXAMPLE")
        XCTAssertEqual(fromFile.awsSecretAccessKey, secret)
        XCTAssertNil(fromFile.awsSessionToken)
        XCTAssertEqual(fromFile.postgresPassword, "\(password)=with=equals", "the value is everything after the first '='")

        let both = try StoreCredentials.load(file: path, environment: ["PGPASSWORD": "from-env", "AWS_SESSION_TOKEN": "tok",
                                                                       "HOME": "/root"])
        XCTAssertEqual(both.postgresPassword, "from-env")
        XCTAssertEqual(both.awsSessionToken, "tok")
        XCTAssertEqual(both.awsSecretAccessKey, secret)

        let onlyEnvironment = try StoreCredentials.load(file: nil, environment: ["AWS_ACCESS_KEY_ID": "A", "PGPASSWORD": ""])
        XCTAssertEqual(onlyEnvironment.awsAccessKeyID, "A")
        XCTAssertNil(onlyEnvironment.postgresPassword, "an empty variable is not a password")
        XCTAssertNoThrow(try StoreCredentials.load(file: try file("AWS_ACCESS_KEY_ID=A\n", mode: 0o400), environment: [:]))
    }

    func testNothingPrintsASecret() throws {
        let credentials = try StoreCredentials.load(file: try file("AWS_ACCESS_KEY_ID=AKIDEXAMPLE\nAWS_SECRET_ACCESS_KEY=\(secret)\n"),
                                                    environment: ["PGPASSWORD": password])
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials),
                     dumped, "\([credentials])"] {
            XCTAssertFalse(text.contains(secret), text)
            XCTAssertFalse(text.contains(password), text)
            XCTAssertFalse(text.contains("AKIDEXAMPLE"), text)
        }
        XCTAssertEqual(credentials.description, "StoreCredentials(AWS_ACCESS_KEY_ID: set (redacted), AWS_SECRET_ACCESS_KEY: set (redacted), AWS_SESSION_TOKEN: unset, PGPASSWORD: set (redacted))")
    }

    func testAFileOthersCanReadIsRefusedBeforeItIsRead() throws {
        for mode: mode_t in [0o644, 0o640, 0o604, 0o660] {
            let path = try file("AWS_SECRET_ACCESS_KEY=\(secret)\n", mode: mode)
            let error = refusal { try StoreCredentials.load(file: path, environment: [:]) }
            XCTAssertEqual(error?.reason, "the credentials file \(path) can be read by others (mode \(String(mode, radix: 8))); it must be mode 0600")
            XCTAssertEqual(error?.hint, "run 'chmod 600 \(path)'")
            assertNoSecret(error)
        }
    }

    func testAMalformedFileIsRefusedWithoutRepeatingAnyOfIt() throws {
        let cases: [(String, String)] = [
            // A secret on a line of its own (a pasted value without its name).
            ("AWS_ACCESS_KEY_ID=AKIDEXAMPLE\n\(secret)\n", "line 2 is not NAME=value"),
            // A misspelt name: the value is still a secret.
            ("AWS_SECRET_ACESS_KEY=\(secret)\n", "line 1 does not start with a known name and '='"),
            // A secret where a name should be.
            ("\(password)=\(secret)\n", "line 1 does not start with a known name and '='"),
            ("export PGPASSWORD=\(password)\n", "line 1 does not start with a known name and '='"),
            ("PGPASSWORD=\(password)\nPGPASSWORD=\(password)2\n", "line 2 gives PGPASSWORD a second time"),
            ("PGPASSWORD=\n", "line 1 gives PGPASSWORD no value"),
        ]
        for (text, why) in cases {
            let path = try file(text)
            let error = refusal { try StoreCredentials.load(file: path, environment: [:]) }
            XCTAssertEqual(error?.reason, "the credentials file \(path) is malformed: \(why)")
            assertNoSecret(error)
        }
        let binary = try folder.write("binary", [0x50, 0x47, 0xFF, 0x3D, 0x0A])
        chmod(binary, 0o600)
        XCTAssertEqual(refusal { try StoreCredentials.load(file: binary, environment: [:]) }?.reason,
                       "the credentials file \(binary) is malformed: it is not UTF-8 text")
    }

    func testALinkAFolderAndAnotherUsersFileAreRefused() throws {
        let path = try file("PGPASSWORD=\(password)\n")
        let link = folder.file("link")
        XCTAssertEqual(symlink(path, link), 0)
        let linked = refusal { try StoreCredentials.load(file: link, environment: [:]) }
        XCTAssertEqual(linked?.reason, "the credentials file \(link) is a symbolic link; amana does not follow it")
        assertNoSecret(linked)
        XCTAssertEqual(refusal { try StoreCredentials.load(file: folder.path, environment: [:]) }?.reason,
                       "the credentials file \(folder.path) is not a regular file")
        XCTAssertEqual(refusal { try StoreCredentials.load(file: folder.file("absent"), environment: [:]) }?.code,
                       .inputUnreadable)
        // Only root can give a file away; as anyone else the ownership rule is covered by the file being one's own.
        if geteuid() == 0 {
            XCTAssertEqual(chown(path, 65534, 65534), 0)
            let foreign = refusal { try StoreCredentials.load(file: path, environment: [:]) }
            XCTAssertEqual(foreign?.reason, "the credentials file \(path) belongs to another user (uid 65534)")
            assertNoSecret(foreign)
        }
    }

    func testThePostgreSQLPasswordFileIsReadAsLibpqReadsIt() throws {
        let location = try PostgresLocation("postgres://amana@db.example:5433/evidence")
        let pgpass = try folder.write("pgpass", """
            # comment:*:*:*:not-this
            other.example:5433:evidence:amana:wrong-host
            db.example:5432:evidence:amana:wrong-port
            db.example:5433:*:nobody:wrong-user
            db.example:5433:evi\\:dence:amana:wrong-escaped-database
            *:5433:evidence:amana:\(password)\\:with\\:colons:ignored
            *:*:*:*:catch-all

            """)
        XCTAssertEqual(chmod(pgpass, 0o600), 0)
        let none = StoreCredentials()
        XCTAssertEqual(try none.postgresPassword(for: location, environment: ["PGPASSFILE": pgpass]),
                       "\(password):with:colons", "the first matching line, escapes undone, up to the next unescaped colon")
        XCTAssertEqual(try none.postgresPassword(for: try PostgresLocation("postgres://x@y/z"), environment: ["PGPASSFILE": pgpass]),
                       "catch-all")
        let home = folder.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        XCTAssertNil(try none.postgresPassword(for: location, environment: ["HOME": home]), "no ~/.pgpass: no password")
        XCTAssertEqual(rename(pgpass, home + "/.pgpass"), 0)
        XCTAssertEqual(try none.postgresPassword(for: location, environment: ["HOME": home]), "\(password):with:colons")
        let set = StoreCredentials(values: ["PGPASSWORD": "from-variable"])
        XCTAssertEqual(try set.postgresPassword(for: location, environment: ["HOME": home]), "from-variable",
                       "PGPASSWORD wins over the password file")
        XCTAssertNil(PGPassFile.password(in: "db.example:5433:evidence:amana\n", host: location.host, port: location.port,
                                         database: location.database, user: location.user),
                     "a line with four fields is not a match")

        XCTAssertEqual(chmod(home + "/.pgpass", 0o644), 0)
        let open = refusal { try none.postgresPassword(for: location, environment: ["HOME": home]) as Any }
        XCTAssertEqual(open?.reason, "the PostgreSQL password file \(home)/.pgpass can be read by others (mode 644); it must be mode 0600")
        assertNoSecret(open)
    }
}
