import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// A server that is not there, that refuses, or that drops the connection mid-append: one clear error naming the
/// server (never the password), nothing half-written, and the next call works again.
final class PostgresRobustnessTests: XCTestCase {
    private let password = "pw-never-shown-7f3a"

    private func assertClear(_ error: Error, contains expected: String, file: StaticString = #filePath,
                             line: UInt = #line) {
        guard let error = error as? AmanaError else {
            return XCTFail("not an AmanaError: \(type(of: error))", file: file, line: line)
        }
        let shown = "amana: error: \(error.reason)\n" + (error.hint.map { "amana: hint: \($0)\n" } ?? "")
        XCTAssertTrue(error.reason.contains(expected), shown, file: file, line: line)
        XCTAssertFalse(shown.contains(password), "the password never shows", file: file, line: line)
        XCTAssertFalse(error.reason.contains("\n"), "one line", file: file, line: line)
        XCTAssertEqual(error.reason.first?.isLowercase, true, "a lowercase message", file: file, line: line)
    }

    /// Port 1 on the loopback: nothing listens there.
    func testConnectionRefusedIsOneClearError() throws {
        let config = try PostgresConnectionConfig(url: "postgres://amana@127.0.0.1:1/evidence?sslmode=disable",
                                                  environment: ["PGPASSWORD": password])
        XCTAssertThrowsError(try PostgresSession(config: config)) { error in
            assertClear(error, contains: "cannot connect to the catalog's postgresql server at 127.0.0.1:1: connection refused")
            XCTAssertEqual((error as? AmanaError)?.code, PostgresFailure.unreachable, "exit status 69")
        }
        XCTAssertThrowsError(try PostgresCatalog(config: config)) { error in
            assertClear(error, contains: "connection refused")
        }
    }

    func testAMissingDatabaseIsNamedWithTheServersReason() throws {
        let admin = try TestServices.postgres().config
        let config = admin.with(database: "amana_no_such_database")
        XCTAssertThrowsError(try PostgresSession(config: config)) { error in
            assertClear(error, contains: "refused user \(admin.user) on database amana_no_such_database")
            XCTAssertTrue((error as? AmanaError)?.reason.contains("3D000") == true, "\(error)")
            XCTAssertNotEqual((error as? AmanaError)?.code, PostgresFailure.unreachable, "a server that answered")
        }
    }

    /// Against a server that checks passwords (scripts/services/postgres.sh uses scram-sha-256): a wrong password
    /// is refused with the server's reason and never shown; the right one from a private .pgpass alone connects; a
    /// missing one is named as missing.
    func testPasswordsAreSentFromPgpassAndAWrongOneIsRefusedWithoutShowingIt() throws {
        let admin = try TestServices.postgres().config
        guard let rightPassword = admin.password else {
            throw XCTSkip("the test server accepts any password (trust): nothing to check")
        }
        var wrong = admin
        wrong.password = password
        XCTAssertThrowsError(try PostgresSession(config: wrong)) { error in
            assertClear(error, contains: "refused user \(admin.user) on database \(admin.database)")
            XCTAssertTrue((error as? AmanaError)?.reason.contains("password authentication failed") == true, "\(error)")
            XCTAssertFalse("\(error)".contains(rightPassword))
        }
        var none = admin
        none.password = nil
        XCTAssertThrowsError(try PostgresSession(config: none)) { error in
            assertClear(error, contains: "asks for a password for user \(admin.user) and none was found")
        }
        let folder = TemporaryFolder("amana-pgpass")
        let escaped = rightPassword.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: ":", with: "\\:")
        let pgpass = try folder.write("pgpass", "# the test server\n\(admin.host):\(admin.port):*:\(admin.user):\(escaped)\n")
        chmod(pgpass, 0o600)
        let fromFile = try PostgresConnectionConfig(url: admin.url, environment: ["PGPASSFILE": pgpass])
        XCTAssertEqual(fromFile.passwordSource, .pgpass)
        let session = try PostgresSession(config: fromFile)
        XCTAssertEqual(try session.rows("SELECT 1::BIGINT"), [[.integer(1)]])
        try session.close()
    }

    /// sslmode as libpq: `disable` is plain TCP; `require` is TLS or a clear refusal, whichever the test server
    /// offers (the server says which through pg_stat_ssl); `prefer` connects either way; `verify-full` rejects a
    /// certificate that the system does not trust (a test server's is self-signed).
    func testSSLModesBehaveAsLibpqs() throws {
        let admin = try TestServices.postgres().config
        func tls(_ mode: PostgresConnectionConfig.TLSMode) throws -> Bool {
            var config = admin
            config.location.tls = mode
            let session = try PostgresSession(config: config)
            defer { try? session.close() }
            let rows = try session.rows("SELECT ssl::TEXT FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            return rows == [[.text("true")]]
        }
        XCTAssertFalse(try tls(.disable))
        let offered = try tls(.prefer)
        if offered {
            XCTAssertTrue(try tls(.require))
            var config = admin
            config.location.tls = .verifyFull
            XCTAssertThrowsError(try PostgresSession(config: config)) { error in
                assertClear(error, contains: "the server's certificate is not trusted")
            }
        } else {
            var config = admin
            config.location.tls = .require
            XCTAssertThrowsError(try PostgresSession(config: config)) { error in
                assertClear(error, contains: "does not offer tls, which sslmode=require requires")
            }
        }
    }

    /// The server ends an idle session (`pg_terminate_backend`, what a restart does to every session): once the
    /// session has seen its connection close, the next statement opens a new one and gets its answer. (A statement
    /// in flight when the connection dies fails instead: the next test.)
    func testAConnectionEndedWhileIdleIsReplacedAtTheNextStatement() throws {
        let database = try TestServices.createDatabase(for: self)
        let catalog = try PostgresCatalog(config: database.config)
        defer { try? catalog.close() }
        let admin = try PostgresSession(config: database.admin)
        defer { try? admin.close() }
        let before = try catalog.session.rows("SELECT pg_backend_pid()::BIGINT")
        try terminate(catalog.session, from: admin)
        let deadline = Date().addingTimeInterval(10)
        while catalog.session.isConnected, Date() < deadline { usleep(10_000) }
        XCTAssertFalse(catalog.session.isConnected, "the session saw the server end the connection")
        XCTAssertEqual(try catalog.indexedThrough(), 0)
        XCTAssertNotEqual(try catalog.session.rows("SELECT pg_backend_pid()::BIGINT"), before, "a new backend")
    }

    /// The connection dies inside an append, after the events are signed and the hook ran: nothing is committed,
    /// the error is clear, and the next append continues the chain with no gap.
    func testAConnectionLostMidAppendCommitsNothingAndTheNextAppendContinues() throws {
        let database = try TestServices.createDatabase(for: self)
        let key = try SecretKey.generate(name: "Field Documenter", organization: nil)
        let ledger = try PostgresLedger(session: try PostgresSession(config: database.config),
                                        storeID: CatalogFixture.storeID)
        let admin = try PostgresSession(config: database.admin)
        defer { try? admin.close() }
        let note = [PostgresLedger.Pending(action: .note, items: [], details: ["text": "one"])]
        try ledger.append(batch: note, key: key, role: nil)
        XCTAssertThrowsError(try ledger.append(batch: note + note, key: key, role: nil, beforeCommit: { _ in
            try self.terminate(ledger.session, from: admin)
        })) { error in
            assertClear(error, contains: "closed the connection")
            XCTAssertEqual((error as? AmanaError)?.code, PostgresFailure.unreachable)
        }
        XCTAssertEqual(try ledger.count(), 1, "the lost transaction was rolled back")
        try ledger.append(batch: note + note, key: key, role: nil)
        XCTAssertEqual(try ledger.count(), 3)
        var seqs = [Int]()
        try ledger.forEachLine { seq, line in
            seqs.append(seq)
            XCTAssertEqual(try CustodyEvent(line: line).seq, seq)
        }
        XCTAssertEqual(seqs, [1, 2, 3])
        XCTAssertEqual(try PostgresCatalog(session: ledger.session).indexedThrough(), 3)
    }

    /// Ends `session`'s backend from `admin`, and waits until the server has.
    private func terminate(_ session: PostgresSession, from admin: PostgresSession) throws {
        guard case .integer(let pid)? = try session.rows("SELECT pg_backend_pid()::BIGINT").first?.first else {
            return XCTFail("no backend pid")
        }
        XCTAssertEqual(try admin.rows("SELECT pg_terminate_backend($1::INTEGER)::TEXT", values: [.integer(pid)]),
                       [[.text("true")]])
        let deadline = Date().addingTimeInterval(10)
        while try !admin.rows("SELECT 1::BIGINT FROM pg_stat_activity WHERE pid = $1::INTEGER",
                              values: [.integer(pid)]).isEmpty, Date() < deadline {
            usleep(10_000)
        }
    }
}
