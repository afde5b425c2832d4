import Foundation
import XCTest
@testable import AmanaKit

/// The test PostgreSQL server named by `AMANA_TEST_POSTGRES_URL` (its password, if any, in `PGPASSWORD`), as
/// scripts/services/postgres.sh starts it. Without the variable a test skips, naming the script; with
/// `AMANA_REQUIRE_SERVICES=1` (set by `make test`) it fails instead.
enum PostgresTestServer {
    /// The server's configuration (the database in the URL is the one used to create and drop test databases).
    static func adminConfig() throws -> PostgresConnectionConfig {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["AMANA_TEST_POSTGRES_URL"], !url.isEmpty else {
            let message = "AMANA_TEST_POSTGRES_URL is not set: start a server with scripts/services/postgres.sh"
            // An error, not a skip: the test fails (once) when the services were required.
            if environment["AMANA_REQUIRE_SERVICES"] == "1" {
                throw AmanaError(.usage, message + " (AMANA_REQUIRE_SERVICES=1)")
            }
            throw XCTSkip(message)
        }
        return try PostgresConnectionConfig(url: url)
    }

    /// A new, empty database of its own for one test, dropped by ``TestDatabase/drop()``.
    static func makeDatabase() throws -> TestDatabase {
        let admin = try adminConfig()
        let name = "amana_test_" + Hex.encode((0..<6).map { _ in UInt8.random(in: 0...255) })
        let session = try PostgresSession(config: admin)
        defer { try? session.close() }
        // A database name cannot be a parameter; this one is made of hex digits only.
        try session.query("CREATE DATABASE \(name)")
        return TestDatabase(admin: admin, config: admin.with(database: name))
    }

    final class TestDatabase {
        let admin: PostgresConnectionConfig
        let config: PostgresConnectionConfig
        private var dropped = false

        init(admin: PostgresConnectionConfig, config: PostgresConnectionConfig) {
            self.admin = admin
            self.config = config
        }

        /// Drops the database, ending any session still connected to it.
        func drop() {
            guard !dropped else { return }
            dropped = true
            guard let session = try? PostgresSession(config: admin) else { return }
            _ = try? session.query("DROP DATABASE IF EXISTS \(config.database) WITH (FORCE)")
            try? session.close()
        }

        deinit { drop() }
    }
}
