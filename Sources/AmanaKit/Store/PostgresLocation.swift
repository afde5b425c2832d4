import Foundation

/// `postgres://USER@HOST[:PORT]/DATABASE`: where an organisation store's catalog and ledger are. A password in the
/// URL is refused (it would be written to store.json); it comes from `PGPASSWORD`, `.pgpass` or a credentials file.
package struct PostgresLocation: Equatable, Sendable {
    package var user: String
    package var host: String
    package var port: Int
    package var database: String

    package init(_ text: String) throws {
        let usage = "the catalog must be postgres://USER@HOST[:PORT]/DATABASE"
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw StoreConfigError(usage) }
        // Checked before anything else is said about the URL, and the URL is never repeated: it holds a secret.
        guard url.password == nil else {
            throw StoreConfigError("the catalog URL must not contain a password; give it in PGPASSWORD, a .pgpass file or the credentials file")
        }
        guard let user = url.user, !user.isEmpty, let host = url.host, !host.isEmpty, url.query == nil,
              url.fragment == nil, url.path.hasPrefix("/"), url.path.count > 1, !url.path.dropFirst().contains("/")
        else { throw StoreConfigError(usage) }
        let port = url.port ?? 5432
        guard (1...65535).contains(port) else { throw StoreConfigError(usage) }
        self.user = user
        self.host = host
        self.port = port
        self.database = String(url.path.dropFirst())
    }

    /// The URL as written to store.json: `postgres://USER@HOST:PORT/DATABASE`.
    package var url: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(shownHost):\(port)/\(database)"
    }
}
