import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// libpq's password file, read as libpq reads it, so one `.pgpass` serves `psql` and Amana alike.
///
/// The file is `PGPASSFILE`, else `~/.pgpass`. Each line is `host:port:database:user:password`; `*` in any of the
/// first four fields matches anything; `\:` and `\\` stand for a colon and a backslash; lines starting with `#` are
/// comments; the first matching line wins; the password ends at the next unescaped colon. Like libpq, a file that is not a regular file, or that its group or
/// others may read or write (anything looser than 0600), is ignored.
package enum PGPassFile {
    /// The path libpq would read.
    package static func path(environment: [String: String]) -> String? {
        if let path = environment["PGPASSFILE"], !path.isEmpty { return path }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.pgpass"
    }

    /// The password of the first line matching the connection, if the file exists, is private and has one.
    package static func password(host: String, port: Int, database: String, user: String,
                                 environment: [String: String]) -> String? {
        guard let path = path(environment: environment), let text = privateText(path) else { return nil }
        return password(in: text, host: host, port: port, database: database, user: user)
    }

    /// The matching password in the file's text (the permission check is ``privateText(_:)``'s).
    package static func password(in text: String, host: String, port: Int, database: String, user: String) -> String? {
        let wanted = [host, String(port), database, user]
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.hasPrefix("#") { continue }
            let fields = split(line)
            guard fields.count >= 5 else { continue }
            let matches = zip(fields.prefix(4), wanted).allSatisfy { field, value in
                field.text == value || (field.text == "*" && !field.escaped)
            }
            if matches { return fields[4].text }
        }
        return nil
    }

    /// The file's text if it is a regular file with no group or other permission bits (libpq's rule).
    static func privateText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o077 == 0,
              info.st_size <= 1 << 20
        else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
            guard n > 0 else { break }
            done += n
        }
        return String(decoding: bytes.prefix(done), as: UTF8.self)
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
