import Foundation
import PostgresNIO

/// One connection to the organisation store's PostgreSQL server, used synchronously.
///
/// The store's code is synchronous (an ingest is a loop over files on one thread), and postgres-nio is built on
/// SwiftNIO futures. This is the bridge: each call sends its query through a `PostgresConnection` whose channel runs
/// on SwiftNIO's shared event-loop group, then blocks the calling thread on `EventLoopFuture.wait()` until the
/// answer is in.
///
/// Why that is safe under Swift 6's strict concurrency: the caller is never an event-loop thread (checked: waiting
/// on the loop that must complete the future would deadlock, and NIO traps on it), and it is never a task of the
/// Swift concurrency pool either (every caller is synchronous code started from `main` or a plain thread), so the
/// wait blocks only the thread that asked. The connection is `Sendable`; the session object is not, and is used by
/// one thread at a time (concurrent writers open one session each, as separate processes do). No value crosses a
/// thread except the query and its rows, both `Sendable`.
///
/// One connection per session is enough for the catalog: its statements run one after another. A connection the
/// server dropped (a restart, `pg_terminate_backend`) fails the call in progress with one clear error, and the next
/// call outside a transaction connects again.
package final class PostgresSession {
    package let config: PostgresConnectionConfig
    private var connection: PostgresConnection?
    private var inTransaction = false
    private var logger: Logger = {
        var logger = Logger(label: "amana.postgres")
        // postgres-nio logs at debug and trace only; nothing of it belongs in Amana's output.
        logger.logLevel = .critical
        return logger
    }()

    package init(config: PostgresConnectionConfig) throws {
        self.config = config
        _ = try connected()
    }

    deinit { drop() }

    /// Whether the session has an open connection (false after the server ended it, until the next statement).
    package var isConnected: Bool { connection.map { !$0.isClosed } ?? false }

    /// Closes the connection; a later call opens a new one.
    package func close() throws { drop() }

    /// Closes and forgets the connection (postgres-nio requires a connection to be closed before it is released).
    private func drop() {
        guard let connection else { return }
        self.connection = nil
        try? connection.close().wait()
    }

    /// Runs one statement with positional parameters (`$1`...) and returns every row.
    @discardableResult
    package func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PostgresRow] {
        let connection = try connected()
        do {
            return try PostgresSession.wait(connection.query(PostgresQuery(unsafeSQL: sql, binds: binds),
                                                             logger: logger)).rows
        } catch {
            throw failure(error)
        }
    }

    /// Runs a statement whose parameters are catalog values.
    @discardableResult
    package func query(_ sql: String, values: [CatalogValue]) throws -> [PostgresRow] {
        try query(sql, PostgresBindings(values))
    }

    /// Runs a statement and returns its rows as catalog values (integers, text and NULLs only).
    package func rows(_ sql: String, values: [CatalogValue] = []) throws -> [[CatalogValue]] {
        try query(sql, values: values).map { try $0.catalogValues() }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it (or the commit) throws. Inside a
    /// transaction already (a catalog read from a ledger append's `build`), `body` simply runs in that one.
    package func transaction<T>(begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        if inTransaction { return try body() }
        try query(begin)
        inTransaction = true
        defer { inTransaction = false }
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            // After a lost connection there is nothing to roll back: the server already did.
            if connection != nil { _ = try? query("ROLLBACK") }
            throw error
        }
    }

    /// The open connection, or a new one when there is none (never inside a transaction: its work is gone).
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        if inTransaction {
            drop()
            throw lost()
        }
        do {
            let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
            let opened = try PostgresSession.wait(PostgresConnection.connect(
                on: eventLoop, configuration: try connectionConfiguration(), id: 1, logger: logger))
            connection = opened
            return opened
        } catch {
            throw failure(error, connecting: true)
        }
    }

    private func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        let tls: PostgresConnection.Configuration.TLS
        switch config.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: unchecked))
        case .require: tls = .require(try NIOSSLContext(configuration: unchecked))
        case .verifyFull: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: config.host, port: config.port, username: config.user, password: config.password,
            database: config.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// Blocks this thread until `future` completes. Never on an event loop: that loop would be the one to complete it.
    private static func wait<Value: Sendable>(_ future: EventLoopFuture<Value>) throws -> Value {
        precondition(MultiThreadedEventLoopGroup.currentEventLoop == nil,
                     "a PostgreSQL session must not be used from a SwiftNIO event loop")
        return try future.wait()
    }

    private var server: String { "the catalog's postgresql server at \(config.host):\(config.port)" }

    private func lost() -> AmanaError {
        AmanaError(PostgresFailure.unreachable, "\(server) closed the connection",
                   hint: "it may have restarted; run the command again: what was committed is kept, the rest was rolled back")
    }

    /// One clear error for anything postgres-nio or the server reports. It names the server, the database and the
    /// user, never the password (which neither postgres-nio's errors nor the server's messages contain either).
    private func failure(_ error: Error, connecting: Bool = false) -> AmanaError {
        if let error = error as? AmanaError { return error }
        guard let error = error as? PSQLError else {
            return AmanaError(PostgresFailure.unreachable, "\(server): \(PostgresSession.networkReason(error))",
                              hint: "check that the server is running and that the catalog url is right")
        }
        switch error.code {
        case .server:
            let message = error.serverInfo?[.message] ?? "an error"
            let state = error.serverInfo?[.sqlState] ?? "?"
            if connecting {
                return AmanaError(.inputUnreadable,
                                  "\(server) refused user \(config.user) on database \(config.database): \(message) (sqlstate \(state))",
                                  hint: "check the user, the database and the password (PGPASSWORD, ~/.pgpass or the store's credentials file)")
            }
            // Class 57P: the server is shutting down or restarting (57P01 admin shutdown, 57P02 crash shutdown,
            // 57P03 cannot connect now): the connection is gone, which is what the user needs to hear.
            if state.hasPrefix("57P") {
                drop()
                return lost()
            }
            return AmanaError(.outputFailed, "\(server) refused a catalog statement: \(message) (sqlstate \(state))")
        case .connectionError:
            drop()
            if error.underlying is NIOSSLError {
                return AmanaError(.outputFailed,
                                  "cannot connect to \(server): tls failed: the server's certificate is not trusted for \(config.host) (sslmode=\(config.tls.rawValue))",
                                  hint: "with sslmode=verify-full the certificate must chain to a root the system trusts and name the host")
            }
            let reason = error.underlying.map(PostgresSession.networkReason) ?? "network error"
            return AmanaError(PostgresFailure.unreachable, "cannot connect to \(server): \(reason)",
                              hint: "check that the server is running and that the catalog url is right")
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            drop()
            return lost()
        case .sslUnsupported:
            return AmanaError(.outputFailed, "\(server) does not offer tls, which sslmode=\(config.tls.rawValue) requires",
                              hint: "enable ssl on the server, or use sslmode=disable on a trusted network only")
        case .authMechanismRequiresPassword:
            return AmanaError(.inputUnreadable, "\(server) asks for a password for user \(config.user) and none was found",
                              hint: "set PGPASSWORD, a ~/.pgpass line (mode 0600) or PGPASSWORD in the store's credentials file")
        default:
            drop()
            return AmanaError(.outputFailed, "\(server): \(error.code.description)",
                              hint: "check that the server is a postgresql server and the catalog url is right")
        }
    }

    /// A lowercase reason for a network failure: the system's text for the errno where there is one.
    private static func networkReason(_ error: Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return networkReason(first.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "the host name does not resolve" }
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return "timed out" }
        if error is NIOSSLError { return "tls failed" }
        return "network error"
    }
}

extension PostgresBindings {
    /// Binds catalog values in order.
    package init(_ values: [CatalogValue]) {
        self.init(capacity: values.count)
        for value in values {
            switch value {
            case .integer(let number): append(number)
            case .text(let text): append(text)
            case .null: appendNull()
            }
        }
    }
}

extension PostgresRow {
    /// The row's cells as catalog values: BIGINT (and smaller integers) as integers, text as text, NULL as null.
    package func catalogValues() throws -> [CatalogValue] {
        try map { cell in
            guard cell.bytes != nil else { return CatalogValue.null }
            switch cell.dataType {
            case .int8, .int4, .int2: return .integer(try cell.decode(Int64.self))
            case .text, .varchar, .name, .bpchar: return .text(try cell.decode(String.self))
            default:
                throw AmanaError(.internalFailure, "the catalog's column \(cell.columnName) has an unexpected type")
            }
        }
    }
}
