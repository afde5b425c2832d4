/// Someone a file is encrypted to: wraps the file key into stanzas only the matching identity can open.
public protocol AgeRecipient: Sendable {
    func wrap(fileKey: [UInt8]) throws -> [AgeStanza]
    /// How the recipient is named in custody records and messages (never secret).
    var publicName: String { get }
}

/// What unwraps a file key: a secret key or a passphrase.
public protocol AgeIdentity: Sendable {
    /// The file key from the first stanza this identity opens; nil when none is for it. A malformed stanza of this
    /// identity's type throws a header failure rather than being skipped, as the spec requires.
    func unwrap(_ stanzas: [AgeStanza]) throws -> [UInt8]?
}

/// Parses one recipient string (`age1…` or `age1pq1…`); the CLI calls this for `--to` and each line of `--to-file`.
public enum AgeRecipients {
    public static func parse(_ text: String) throws -> AgeRecipient {
        if text.lowercased().hasPrefix("age1pq1") { return try AgeHybridRecipient(text) }
        return try AgeX25519Recipient(text)
    }

    /// Reads a recipients file: one `age1…` or `age1pq1…` per line; blank lines and `#` comments are ignored.
    public static func parseFile(_ path: String) throws -> [AgeRecipient] {
        let bytes = try ReadOnlyFile.readAll(path, limit: 1 << 20)
        var out: [AgeRecipient] = []
        for (i, raw) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSuffix("\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            do { out.append(try parse(String(line))) } catch let error as AmanaError {
                throw AmanaError(error.code, "\(path) line \(i + 1): \(error.reason)", hint: error.hint)
            }
        }
        guard !out.isEmpty else { throw AmanaError(.inputInvalid, "\(path) holds no recipient") }
        return out
    }
}

/// Parses one identity line (`AGE-SECRET-KEY-1…` or `AGE-SECRET-KEY-PQ-1…`).
public enum AgeIdentities {
    public static func parse(_ text: String) throws -> AgeIdentity {
        if text.uppercased().hasPrefix("AGE-SECRET-KEY-PQ-1") { return try AgeHybridIdentity(text) }
        return try AgeX25519Identity(text)
    }
}

extension Substring {
    func trimmingSuffix(_ suffix: String) -> Substring { hasSuffix(suffix) ? dropLast(suffix.count) : self }
}
