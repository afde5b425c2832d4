import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// The catalog URL, the password's sources (PGPASSWORD, .pgpass as libpq reads it, the credentials file) and the
/// rule that the password never shows. No server needed.
final class PostgresConnectionConfigTests: XCTestCase {
    private let secret = "s3cret-Pa55:word\\x"

    func testAStrictURLIsParsed() throws {
        let config = try PostgresConnectionConfig(url: "postgres://amana@db.example.org:5433/evidence", environment: [:])
        XCTAssertEqual(config.user, "amana")
        XCTAssertEqual(config.host, "db.example.org")
        XCTAssertEqual(config.port, 5433)
        XCTAssertEqual(config.database, "evidence")
        XCTAssertEqual(config.tls, .prefer)
        XCTAssertNil(config.password)
        XCTAssertEqual(config.url, "postgres://amana@db.example.org:5433/evidence")
        let other = try PostgresConnectionConfig(url: "postgresql://field%20office@[::1]:5432/my%2Ddb?sslmode=require",
                                                 environment: [:])
        XCTAssertEqual(other.user, "field office")
        XCTAssertEqual(other.host, "::1")
        XCTAssertEqual(other.database, "my-db")
        XCTAssertEqual(other.tls, .require)
        XCTAssertEqual(other.url, "postgres://field%20office@[::1]:5432/my-db?sslmode=require")
        let defaultPort = try PostgresConnectionConfig(url: "postgres://amana@db.example.org/evidence", environment: [:])
        XCTAssertEqual(defaultPort.port, 5432, "libpq's default port")
        XCTAssertEqual(defaultPort.url, "postgres://amana@db.example.org:5432/evidence", "written with its port")
        XCTAssertEqual(try PostgresLocation("postgres://amana@[::1]/evidence?sslmode=disable").url,
                       "postgres://amana@[::1]:5432/evidence?sslmode=disable")
        for mode in PostgresConnectionConfig.TLSMode.allCases {
            XCTAssertEqual(try PostgresConnectionConfig(url: "postgres://u@127.0.0.1:1/d?sslmode=\(mode.rawValue)",
                                                        environment: [:]).tls, mode)
        }
    }

    func testAnythingElseIsRefusedWithoutRepeatingTheURL() {
        let bad: [(String, String)] = [
            ("postgres://amana:\(secret)@127.0.0.1:5432/db", "must not contain a password"),
            ("mysql://amana@127.0.0.1:5432/db", "must start with postgres://"),
            ("postgres://127.0.0.1:5432/db", "must name a user"),
            ("postgres://amana@127.0.0.1:5432", "must name a database"),
            ("postgres://amana:pass/word?@127.0.0.1:5432/db", "must not contain a password"),
            ("postgres://amana:p@ss#@127.0.0.1:5432/db", "must not contain a password"),
            ("postgres://amana@[::1/db", "invalid host"),
            ("postgres://amana@::1:5432/db", "invalid host"),
            ("postgres://amana@127.0.0.1:5432/", "database name"),
            ("postgres://amana@127.0.0.1:0/db", "invalid port"),
            ("postgres://amana@127.0.0.1:70000/db", "invalid port"),
            ("postgres://amana@127.0.0.1:54x/db", "invalid port"),
            ("postgres://amana@:5432/db", "invalid host"),
            ("postgres://amana@127.0.0.1:5432/db?sslmode=allow", "unsupported sslmode"),
            ("postgres://amana@127.0.0.1:5432/db?password=x", "unsupported parameter"),
            ("postgres://amana@127.0.0.1:5432/db#x", "fragment"),
        ]
        for (url, why) in bad {
            XCTAssertThrowsError(try PostgresConnectionConfig(url: url, environment: [:]), url) { error in
                let error = error as? AmanaError
                XCTAssertEqual(error?.code, .usage, url)
                XCTAssertTrue(error?.reason.contains(why) == true, "\(url): \(error?.reason ?? "")")
                XCTAssertFalse("\(error?.reason ?? "") \(error?.hint ?? "")".contains(secret), "never the password")
                XCTAssertTrue(error?.reason.hasPrefix("the catalog url ") == true, error?.reason ?? "")
            }
        }
        XCTAssertThrowsError(try PostgresConnectionConfig(url: "postgres://amana:pw@h:1/d", environment: [:])) { error in
            XCTAssertTrue((error as? AmanaError)?.hint?.contains("PGPASSWORD") == true)
        }
    }

    /// PGPASSWORD first, then the credentials file's, then .pgpass; the description says where from, never what.
    func testThePasswordComesFromTheStandardPlacesAndNeverShows() throws {
        let folder = TemporaryFolder("amana-pgpass")
        let pgpass = try folder.write("pgpass", "127.0.0.1:5432:evidence:amana:from-pgpass\n")
        chmod(pgpass, 0o600)
        let url = "postgres://amana@127.0.0.1:5432/evidence"
        let credentials = ["PGPASSWORD": "from-credentials"]
        let fromEnvironment = try PostgresConnectionConfig(
            url: url, environment: ["PGPASSWORD": secret, "PGPASSFILE": pgpass], credentials: credentials)
        XCTAssertEqual(fromEnvironment.password, secret)
        XCTAssertEqual(fromEnvironment.passwordSource, .environment)
        let fromFile = try PostgresConnectionConfig(url: url, environment: ["PGPASSFILE": pgpass])
        XCTAssertEqual(fromFile.password, "from-pgpass")
        XCTAssertEqual(fromFile.passwordSource, .pgpass)
        let fromCredentials = try PostgresConnectionConfig(url: url, environment: ["PGPASSFILE": pgpass],
                                                           credentials: credentials)
        XCTAssertEqual(fromCredentials.password, "from-credentials")
        XCTAssertEqual(fromCredentials.passwordSource, .credentialsFile)
        // ~/.pgpass when PGPASSFILE is not set.
        try folder.write(".pgpass", "*:*:*:amana:from-home\n")
        chmod(folder.file(".pgpass"), 0o600)
        XCTAssertEqual(try PostgresConnectionConfig(url: url, environment: ["HOME": folder.path]).password, "from-home")

        for text in ["\(fromEnvironment)", String(reflecting: fromEnvironment), fromEnvironment.url,
                     "\([fromEnvironment])"] {
            XCTAssertFalse(text.contains(secret), text)
        }
        XCTAssertEqual("\(fromEnvironment)", "postgres://amana@127.0.0.1:5432/evidence (password from PGPASSWORD)")
        XCTAssertEqual("\(fromFile)", "postgres://amana@127.0.0.1:5432/evidence (password from .pgpass)")
    }

    /// A password file its group or others may read, or a symbolic link, is refused (libpq ignores it with a warning;
    /// Amana says so as an error, as for the credentials file), without a byte of it shown.
    func testAPasswordFileOthersMayReadIsRefused() throws {
        let folder = TemporaryFolder("amana-pgpass")
        let pgpass = try folder.write("pgpass", "*:*:*:*:leaky\n")
        let url = "postgres://amana@127.0.0.1:5432/evidence"
        for mode: mode_t in [0o644, 0o640, 0o604, 0o660] {
            chmod(pgpass, mode)
            XCTAssertThrowsError(try PostgresConnectionConfig(url: url, environment: ["PGPASSFILE": pgpass]),
                                 String(mode, radix: 8)) { error in
                let error = error as? AmanaError
                XCTAssertEqual(error?.code, .inputInvalid)
                XCTAssertEqual(error?.reason, "the PostgreSQL password file \(pgpass) can be read by others (mode \(String(mode, radix: 8))); it must be mode 0600")
                XCTAssertFalse("\(error?.reason ?? "") \(error?.hint ?? "")".contains("leaky"))
            }
        }
        chmod(pgpass, 0o400)
        XCTAssertEqual(try PostgresConnectionConfig(url: url, environment: ["PGPASSFILE": pgpass]).password, "leaky")
        // A symbolic link is not followed (libpq wants a regular file).
        symlink(pgpass, folder.file("link"))
        XCTAssertThrowsError(try PostgresConnectionConfig(url: url, environment: ["PGPASSFILE": folder.file("link")])) {
            XCTAssertEqual(($0 as? AmanaError)?.reason,
                           "the PostgreSQL password file \(folder.file("link")) is a symbolic link; amana does not follow it")
        }
        // No file at all is no password, not an error.
        XCTAssertNil(try PostgresConnectionConfig(url: url, environment: ["PGPASSFILE": folder.file("none")]).password)
    }

    /// The format as libpq reads it: wildcards, escapes, comments, first match wins.
    func testPasswordFileLinesMatchAsLibpqMatchesThem() {
        let text = """
            # a comment: 127.0.0.1:5432:evidence:amana:commented
            db.example.org:5432:evidence:amana:other-host
            127.0.0.1:5433:*:amana:other-port
            127.0.0.1:5432:evi\\:dence:amana:escaped-database
            127.0.0.1:*:evidence:\\*:literal-star-user
            127.0.0.1:*:evidence:amana:pa\\:ss\\\\word:ignored
            *:*:*:*:fallback\r
            *:*:*:*:never
            """
        func find(_ database: String, user: String = "amana", port: Int = 5432) -> String? {
            PGPassFile.password(in: text, host: "127.0.0.1", port: port, database: database, user: user)
        }
        XCTAssertEqual(find("evidence"), "pa:ss\\word", "escaped colon and backslash; the password ends at a colon")
        XCTAssertEqual(find("evi:dence"), "escaped-database")
        XCTAssertEqual(find("evidence", port: 5433), "other-port")
        XCTAssertEqual(find("evidence", user: "*"), "literal-star-user")
        XCTAssertEqual(find("evidence", user: "someone"), "fallback", "a CRLF line ending is no part of the password")
        XCTAssertNil(PGPassFile.password(in: "127.0.0.1:5432:evidence:amana\n", host: "127.0.0.1", port: 5432,
                                         database: "evidence", user: "amana"), "a line of four fields is no line")
    }

    /// K for the store's advisory lock: SHA-256 of a domain string and the store ID, first 8 bytes big-endian.
    func testTheLedgerLockKeyIsDerivedFromTheStoreID() {
        XCTAssertEqual(PostgresLedger.lockKey(storeID: "00000000-0000-4000-8000-000000000000"),
                       4_233_804_169_093_700_884, "the vector in spec/store.md (0x3ac17e75cb65dd14)")
        XCTAssertNotEqual(PostgresLedger.lockKey(storeID: CatalogFixture.storeID), PostgresLedger.lockKey(storeID: "x"))
        XCTAssertNotEqual(PostgresLedger.lockKey(storeID: CatalogFixture.storeID), PostgresSchema.migrationLockKey)
    }
}
