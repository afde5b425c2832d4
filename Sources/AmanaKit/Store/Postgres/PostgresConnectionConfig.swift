import Foundation

/// Where the organisation store's catalog lives: `postgres://USER@HOST:PORT/DB[?sslmode=MODE]`, and the password
/// found for it.
///
/// The URL is parsed strictly (spec/store.md, "Catalog on PostgreSQL"): every part is required, nothing unknown is
/// accepted, and a password in the URL is refused, because the URL is written to `store.json` and shown in messages.
/// The password comes from `PGPASSWORD`, else the `.pgpass` file libpq would read, else the store's credentials file.
/// ``description`` never contains it.
package struct PostgresConnectionConfig: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// libpq's `sslmode` values that Amana supports.
    package enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS if the server offers it, else plain; the certificate is not checked (libpq's default).
        case prefer
        /// TLS or nothing; the certificate is not checked (libpq's `require` without a root certificate).
        case require
        /// TLS with the certificate checked against the system's trust roots and the host name.
        case verifyFull = "verify-full"
    }

    /// Where the password came from: said in messages instead of the password.
    package enum PasswordSource: String, Sendable {
        case none, environment = "PGPASSWORD", pgpass = ".pgpass", credentialsFile = "credentials file"
    }

    package var user: String
    package var host: String
    package var port: Int
    package var database: String
    package var tls: TLSMode
    package var password: String?
    package var passwordSource: PasswordSource

    package init(user: String, host: String, port: Int, database: String, tls: TLSMode = .prefer,
                 password: String? = nil, passwordSource: PasswordSource = .none) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
        self.password = password
        self.passwordSource = password == nil ? .none : passwordSource
    }

    /// The URL without a password: what `store.json` holds and messages show.
    package var url: String {
        let escapedUser = user.addingPercentEncoding(withAllowedCharacters: PostgresConnectionConfig.plain) ?? user
        let escapedDatabase = database.addingPercentEncoding(withAllowedCharacters: PostgresConnectionConfig.plain)
            ?? database
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let query = tls == .prefer ? "" : "?sslmode=\(tls.rawValue)"
        return "postgres://\(escapedUser)@\(hostPart):\(port)/\(escapedDatabase)\(query)"
    }

    /// Never the password: only whether there is one and where it came from.
    package var description: String {
        url + (password == nil ? "" : " (password from \(passwordSource.rawValue))")
    }

    package var debugDescription: String { description }

    /// The same server and user, another database (tests create and drop their own).
    package func with(database: String) -> PostgresConnectionConfig {
        var copy = self
        copy.database = database
        return copy
    }

    private static let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    /// Parses `url` and finds its password. `environment` and `credentials` (the store's credentials file, already
    /// read and checked) are passed in so that tests need not change the process's environment.
    package init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                 credentials: [String: String] = [:]) throws {
        try self.init(parsing: url)
        if let password = environment["PGPASSWORD"] {
            self.password = password
            passwordSource = .environment
        } else if let password = PGPassFile.password(host: host, port: port, database: database, user: user,
                                                      environment: environment) {
            self.password = password
            passwordSource = .pgpass
        } else if let password = credentials["PGPASSWORD"] {
            self.password = password
            passwordSource = .credentialsFile
        }
    }

    /// The URL alone, without looking for a password.
    private init(parsing url: String) throws {
        func bad(_ why: String, hint: String? = nil) -> AmanaError {
            // The URL itself is not repeated: it could hold a password.
            AmanaError(.usage, "the catalog url \(why)",
                       hint: hint ?? "write it as postgres://USER@HOST:PORT/DB, optionally with ?sslmode=disable|prefer|require|verify-full")
        }
        var rest = Substring(url)
        if rest.hasPrefix("postgres://") {
            rest = rest.dropFirst("postgres://".count)
        } else if rest.hasPrefix("postgresql://") {
            rest = rest.dropFirst("postgresql://".count)
        } else {
            throw bad("must start with postgres://")
        }
        if rest.contains("#") { throw bad("must not have a fragment (#)") }
        var queryText: Substring?
        if let mark = rest.firstIndex(of: "?") {
            queryText = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw bad("must name a database after the port") }
        let authority = rest[..<slash]
        let databaseText = rest[rest.index(after: slash)...]
        guard let at = authority.lastIndex(of: "@") else { throw bad("must name a user before the host") }
        let userInfo = authority[..<at]
        if userInfo.contains(":") {
            throw bad("must not contain a password",
                      hint: "remove it from the url and set PGPASSWORD, a ~/.pgpass line (mode 0600) or PGPASSWORD in the store's credentials file (mode 0600)")
        }
        let hostPort = authority[authority.index(after: at)...]
        let hostText: Substring, portText: Substring
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]"), hostPort[hostPort.index(after: close)...].hasPrefix(":")
            else { throw bad("must give the port after the host") }
            hostText = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            portText = hostPort[hostPort.index(close, offsetBy: 2)...]
        } else {
            guard let colon = hostPort.lastIndex(of: ":") else { throw bad("must give the port after the host") }
            hostText = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        }
        guard !hostText.isEmpty,
              hostText.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:".contains($0)) })
        else { throw bad("has an invalid host") }
        guard let port = Int(portText), (1...65535).contains(port), portText.allSatisfy(\.isASCII) else {
            throw bad("has an invalid port (1 to 65535)")
        }
        guard let user = String(userInfo).removingPercentEncoding, !user.isEmpty else { throw bad("has an empty or badly escaped user") }
        guard let database = String(databaseText).removingPercentEncoding, !database.isEmpty, !database.contains("/")
        else { throw bad("has an empty or invalid database name") }
        var tls = TLSMode.prefer
        if let queryText {
            for parameter in queryText.split(separator: "&", omittingEmptySubsequences: false) {
                let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0] == "sslmode" else {
                    throw bad("has an unsupported parameter (only sslmode is accepted)")
                }
                guard let mode = TLSMode(rawValue: String(parts[1])) else {
                    throw bad("has an unsupported sslmode (disable, prefer, require or verify-full)")
                }
                tls = mode
            }
        }
        self.init(user: user, host: String(hostText), port: port, database: database, tls: tls)
    }
}
