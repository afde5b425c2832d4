import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// libpq's password file, read as libpq reads it, so one `.pgpass` serves `psql` and Amana alike. The one reader of
/// it in Amana (spec/store.md sections 2.2 and 10.1).
///
/// The file is `PGPASSFILE`, else `~/.pgpass`. Each line is `host:port:database:user:password`; `*` in any of the
/// first four fields matches anything (`\*` is a literal star); `\:` and `\\` stand for a colon and a backslash;
/// lines starting with `#` are comments; a line of fewer than five fields is skipped; the first matching line wins;
/// the password ends at the next unescaped colon. Where libpq ignores a file that is not private (with a warning),
/// Amana refuses it with an error, as it refuses such a credentials file: a password file others can read is a leak
/// the user must hear about, and a silently ignored one would surface only as a puzzling authentication failure.
package enum PGPassFile {
    /// The path libpq would read.
    package static func path(environment: [String: String]) -> String? {
        if let path = environment["PGPASSFILE"], !path.isEmpty { return path }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.pgpass"
    }

    /// The password of the first line matching the connection; nil when there is no such file or no line matches.
    /// A file that is a symbolic link, not a regular file, another user's or readable by others is refused
    /// (``StoreCredentials/privateFile(_:what:)``), before a byte of it is read.
    package static func password(host: String, port: Int, database: String, user: String,
                                 environment: [String: String]) throws -> String? {
        guard let path = path(environment: environment), POSIX.lstat(path) != nil else { return nil }
        let bytes = try StoreCredentials.privateFile(path, what: "the PostgreSQL password file")
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AmanaError(.inputInvalid, "the PostgreSQL password file \(path) is not UTF-8 text")
        }
        return password(in: text, host: host, port: port, database: database, user: user)
    }

    /// The matching password in the file's text.
    package static func password(in text: String, host: String, port: Int, database: String, user: String) -> String? {
        let wanted = [host, String(port), database, user]
        // CRLF is one Character in Swift: a file written on Windows splits as one written here.
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        where !raw.hasPrefix("#") {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let fields = split(line)
            guard fields.count >= 5 else { continue }
            let matches = zip(fields.prefix(4), wanted).allSatisfy { field, value in
                field.text == value || (field.text == "*" && !field.escaped)
            }
            if matches { return fields[4].text }
        }
        return nil
    }

    /// Splits a line on unescaped colons, noting which fields had an escape (`\*` is a literal star).
    private static func split(_ line: Substring) -> [(text: String, escaped: Bool)] {
        var fields = [(text: String, escaped: Bool)]()
        var current = "", escaped = false, pendingEscape = false
        for character in line {
            if pendingEscape {
                current.append(character)
                escaped = true
                pendingEscape = false
            } else if character == "\\" {
                pendingEscape = true
            } else if character == ":" {
                fields.append((current, escaped))
                current = ""
                escaped = false
            } else {
                current.append(character)
            }
        }
        fields.append((current, escaped))
        return fields
    }
}
