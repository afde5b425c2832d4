import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The secrets an organisation store's back ends need: S3's access key (and session token) and PostgreSQL's password
/// (spec/store.md, "Back ends").
///
/// They come from the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `PGPASSWORD`) or
/// from a credentials file of `NAME=value` lines using exactly those names; a variable set in the environment wins
/// over the file, as the AWS tools do. The file must be a regular file owned by the user and readable by nobody else
/// (mode 0600 or 0400): anything else is refused before a byte of it is read. A secret is never written anywhere and
/// never shown: ``description``, ``debugDescription`` and the mirror say only which names are set, and no error about
/// the file ever repeats a value from it.
package struct StoreCredentials: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// The names read, in the order they are shown.
    package static let names = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PGPASSWORD"]
    /// A credentials file larger than this is not one.
    static let fileLimit = 64 * 1024

    private var values: [String: String]

    package init(values: [String: String] = [:]) {
        self.values = values.filter { StoreCredentials.names.contains($0.key) && !$0.value.isEmpty }
    }

    package var awsAccessKeyID: String? { values["AWS_ACCESS_KEY_ID"] }
    package var awsSecretAccessKey: String? { values["AWS_SECRET_ACCESS_KEY"] }
    package var awsSessionToken: String? { values["AWS_SESSION_TOKEN"] }
    package var postgresPassword: String? { values["PGPASSWORD"] }

    /// Reads the credentials file (when one is named), then lets the environment's variables override it.
    package static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> StoreCredentials {
        var values = [String: String]()
        if let file { values = try read(file: file) }
        for name in names {
            if let value = environment[name], !value.isEmpty { values[name] = value }
        }
        return StoreCredentials(values: values)
    }

    /// The PostgreSQL password for `location`: `PGPASSWORD` (environment or credentials file) when set, else the
    /// first matching line of the password file libpq reads (``PGPassFile``), nil when none matches or there is no
    /// such file. The password file must be private like the credentials file.
    package func postgresPassword(for location: PostgresLocation,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let postgresPassword { return postgresPassword }
        return try PGPassFile.password(host: location.host, port: location.port, database: location.database,
                                       user: location.user, environment: environment)
    }

    /// Parses a credentials file after checking who owns it and who can read it.
    package static func read(file path: String) throws -> [String: String] {
        let bytes = try privateFile(path, what: "the credentials file")
        do { return try parse(bytes) } catch let error as StoreConfigError {
            throw AmanaError(.inputInvalid, "the credentials file \(path) is malformed: \(error.reason)",
                             hint: "write one NAME=value per line, with NAME one of \(names.joined(separator: ", "))")
        }
    }

    /// The bytes of a file that holds secrets, refused unless it is a regular file (not a link) owned by the user and
    /// readable by nobody else; judged on the descriptor that is read, so it cannot be swapped in between.
    static func privateFile(_ path: String, what: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP {
                throw AmanaError(.inputInvalid, "\(what) \(path) is a symbolic link; amana does not follow it",
                                 hint: "name the file itself")
            }
            throw AmanaError(.inputUnreadable, "cannot open \(what) \(path): \(POSIX.errorText(code))")
        }
        defer { close(fd) }
        // Judged on the descriptor that is read, so the file cannot be swapped between the check and the read.
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw AmanaError(.inputUnreadable, "cannot read \(what) \(path): \(POSIX.errorText())")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw AmanaError(.inputInvalid, "\(what) \(path) is not a regular file")
        }
        guard info.st_uid == geteuid() else {
            throw AmanaError(.inputInvalid, "\(what) \(path) belongs to another user (uid \(info.st_uid))",
                             hint: "it must belong to the user who runs amana, with mode 0600")
        }
        let mode = info.st_mode & 0o7777
        guard mode & 0o077 == 0 else {
            throw AmanaError(.inputInvalid,
                             "\(what) \(path) can be read by others (mode \(String(mode, radix: 8))); it must be mode 0600",
                             hint: "run 'chmod 600 \(path)'")
        }
        guard info.st_size <= off_t(fileLimit) else {
            throw AmanaError(.inputInvalid, "\(what) \(path) is larger than \(fileLimit / 1024) KiB; it is not one")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(filled)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw AmanaError(.inputUnreadable, "cannot read \(what) \(path): \(POSIX.errorText())")
            }
            filled += n
        }
        return bytes
    }

    /// `NAME=value` lines; empty lines and lines starting with `#` are skipped. The reasons it gives name line numbers
    /// and known names only, never what a line holds: a malformed line may well be a secret.
    static func parse(_ bytes: [UInt8]) throws -> [String: String] {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw StoreConfigError("it is not UTF-8 text") }
        var values = [String: String]()
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = index + 1
            // CRLF is one Character in Swift: a file written on Windows splits as one written here.
            let line = Substring(raw)
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else { throw StoreConfigError("line \(number) is not NAME=value") }
            let name = String(line[..<equals])
            let value = String(line[line.index(after: equals)...])
            guard names.contains(name) else {
                throw StoreConfigError("line \(number) does not start with a known name and '='")
            }
            guard !value.isEmpty else { throw StoreConfigError("line \(number) gives \(name) no value") }
            guard values[name] == nil else { throw StoreConfigError("line \(number) gives \(name) a second time") }
            values[name] = value
        }
        return values
    }

    package var description: String {
        let shown = StoreCredentials.names.map { "\($0): \(values[$0] == nil ? "unset" : "set (redacted)")" }
        return "StoreCredentials(\(shown.joined(separator: ", ")))"
    }

    package var debugDescription: String { description }

    package var customMirror: Mirror {
        let children: [Mirror.Child] = StoreCredentials.names.map {
            (label: $0, value: values[$0] == nil ? "unset" : "set (redacted)")
        }
        return Mirror(self, children: children, displayStyle: .struct)
    }
}
