import Foundation

/// Where an organisation store's catalog and ledger are: `postgres://USER@HOST[:PORT]/DB[?sslmode=MODE]`
/// (spec/store.md section 10.1). The one parser of catalog URLs: `store.json`, `store init --catalog` and
/// ``PostgresConnectionConfig`` all go through it, so the rules cannot differ between them.
///
/// Parsed strictly: nothing unknown is accepted, and a password in the URL is refused, because the URL is written to
/// `store.json` and shown in messages. No reason it gives repeats the URL, which could hold a password.
package struct PostgresLocation: Equatable, Sendable {
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

    /// libpq's default port, taken when the URL names none.
    package static let defaultPort = 5432
    /// The forms accepted, as reasons and hints show them.
    package static let form = "postgres://USER@HOST[:PORT]/DB[?sslmode=disable|prefer|require|verify-full]"

    package var user: String
    package var host: String
    package var port: Int
    package var database: String
    package var tls: TLSMode

    /// A location already known to be valid (a test server's, or one split into parts by a caller that parsed it).
    package init(user: String, host: String, port: Int = PostgresLocation.defaultPort, database: String,
                 tls: TLSMode = .prefer) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }

    /// Parses a catalog URL. The reasons thrown are lowercase clauses starting "the catalog url".
    package init(_ text: String) throws {
        func bad(_ why: String) -> StoreConfigError { StoreConfigError("the catalog url \(why)") }
        var rest = Substring(text)
        if rest.hasPrefix("postgres://") {
            rest = rest.dropFirst("postgres://".count)
        } else if rest.hasPrefix("postgresql://") {
            rest = rest.dropFirst("postgresql://".count)
        } else {
            throw bad("must start with postgres:// (\(PostgresLocation.form))")
        }
        // Checked before anything else is said about the rest of the URL: it holds a secret. Broadly (a colon anywhere
        // before the first `@`, wherever that is), so that a password holding `/`, `?`, `#` or `@` is still refused as
        // one.
        if let at = rest.firstIndex(of: "@"), rest[..<at].contains(":") {
            throw bad("must not contain a password; give it in PGPASSWORD, a .pgpass file or the credentials file")
        }
        if rest.contains("#") { throw bad("must not have a fragment (#)") }
        var queryText: Substring?
        if let mark = rest.firstIndex(of: "?") {
            queryText = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw bad("must name a database after the host") }
        let authority = rest[..<slash]
        let databaseText = rest[rest.index(after: slash)...]
        guard let at = authority.lastIndex(of: "@") else { throw bad("must name a user before the host") }
        let userInfo = authority[..<at]
        let hostPort = authority[authority.index(after: at)...]
        let hostText: Substring
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw bad("has an invalid host") }
            hostText = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw bad("has an invalid host") }
                portText = after.dropFirst()
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            hostText = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            hostText = hostPort
        }
        guard !hostText.isEmpty,
              hostText.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:".contains($0)) }),
              hostPort.hasPrefix("[") || !hostText.contains(":")
        else { throw bad("has an invalid host") }
        var port = PostgresLocation.defaultPort
        if let portText {
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(portText),
                  (1...65535).contains(number)
            else { throw bad("has an invalid port (1 to 65535)") }
            port = number
        }
        guard let user = String(userInfo).removingPercentEncoding, !user.isEmpty else {
            throw bad("has an empty or badly escaped user")
        }
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

    /// The URL as `store.json` holds it and messages show it: always with the port, `?sslmode=` unless the default.
    package var url: String {
        let escapedUser = user.addingPercentEncoding(withAllowedCharacters: PostgresLocation.plain) ?? user
        let escapedDatabase = database.addingPercentEncoding(withAllowedCharacters: PostgresLocation.plain) ?? database
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let query = tls == .prefer ? "" : "?sslmode=\(tls.rawValue)"
        return "postgres://\(escapedUser)@\(hostPart):\(port)/\(escapedDatabase)\(query)"
    }

    private static let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
}
