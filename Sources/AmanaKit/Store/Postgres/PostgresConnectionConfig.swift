import Foundation

/// How to reach the organisation store's catalog: its ``PostgresLocation`` (the URL, parsed by the one parser of
/// catalog URLs) and the password found for it.
///
/// The password comes from `PGPASSWORD` in the environment, else `PGPASSWORD` in the store's credentials file, else
/// the `.pgpass` file libpq would read (``PGPassFile``), as ``StoreCredentials/postgresPassword(for:environment:)``
/// finds it for a store. ``description`` never contains it.
package struct PostgresConnectionConfig: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    package typealias TLSMode = PostgresLocation.TLSMode

    /// Where the password came from: said in messages instead of the password.
    package enum PasswordSource: String, Sendable {
        case none, environment = "PGPASSWORD", pgpass = ".pgpass", credentialsFile = "credentials file"
    }

    package var location: PostgresLocation
    package var password: String?
    package var passwordSource: PasswordSource

    package var user: String { location.user }
    package var host: String { location.host }
    package var port: Int { location.port }
    package var database: String { location.database }
    package var tls: TLSMode { location.tls }

    package init(location: PostgresLocation, password: String? = nil, passwordSource: PasswordSource = .none) {
        self.location = location
        self.password = password
        self.passwordSource = password == nil ? .none : passwordSource
    }

    package init(user: String, host: String, port: Int, database: String, tls: TLSMode = .prefer,
                 password: String? = nil, passwordSource: PasswordSource = .none) {
        self.init(location: PostgresLocation(user: user, host: host, port: port, database: database, tls: tls),
                  password: password, passwordSource: passwordSource)
    }

    /// The URL without a password: what `store.json` holds and messages show.
    package var url: String { location.url }

    /// Never the password: only whether there is one and where it came from.
    package var description: String {
        url + (password == nil ? "" : " (password from \(passwordSource.rawValue))")
    }

    package var debugDescription: String { description }

    /// The same server and user, another database (tests create and drop their own).
    package func with(database: String) -> PostgresConnectionConfig {
        var copy = self
        copy.location.database = database
        return copy
    }

    /// Parses `url` (a refusal is a usage error) and finds its password. `environment` and `credentials` (the store's
    /// credentials file, already read and checked) are passed in so that tests need not change the process's
    /// environment.
    package init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                 credentials: [String: String] = [:]) throws {
        let location: PostgresLocation
        do { location = try PostgresLocation(url) } catch let error as StoreConfigError {
            throw AmanaError(.usage, error.reason, hint: error.reason.contains("password")
                ? "remove it from the url and set PGPASSWORD, a ~/.pgpass line (mode 0600) or PGPASSWORD in the store's credentials file (mode 0600)"
                : "write it as \(PostgresLocation.form)")
        }
        var values = credentials.filter { $0.key == "PGPASSWORD" }
        let fromEnvironment = environment["PGPASSWORD"].map { !$0.isEmpty } ?? false
        if fromEnvironment { values["PGPASSWORD"] = environment["PGPASSWORD"] }
        let found = StoreCredentials(values: values)
        let password = try found.postgresPassword(for: location, environment: environment)
        let source: PasswordSource = fromEnvironment ? .environment
            : found.postgresPassword != nil ? .credentialsFile : .pgpass
        self.init(location: location, password: password, passwordSource: source)
    }
}
