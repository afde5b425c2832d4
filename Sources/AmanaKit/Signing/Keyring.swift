import Foundation

/// A keyring: the keys a verifier trusts, with who holds each and when each may sign (spec/keys.md, "Keyrings").
///
/// ```
/// amana-keyring: 1
///
/// key: RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3
/// name: Lina Haddad
/// organization: Syrian Archive
/// role: documenter
/// not-before: 2026-01-01T00:00:00Z
/// not-after: 2028-12-31T23:59:59Z
/// revoked-at: 2027-03-01T00:00:00Z
/// ```
/// Stanzas are separated by blank lines; lines starting with `#` are comments. minisign's own users ask for this
/// (jedisct1/minisign issue 120): a list of keys with their holders and lifetimes.
package enum Keyring {
    package static let header = "amana-keyring: 1"
    package static let maximumSize = 1 << 20

    /// Whether `bytes` look like a keyring rather than a minisign public key file.
    package static func isKeyring(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Array(header.utf8))
    }

    package static func parse(_ bytes: [UInt8], source: String) throws -> [TrustedKey] {
        func bad(_ line: Int, _ why: String) -> AmanaError {
            AmanaError(.inputInvalid, "keyring \(source), line \(line): \(why)")
        }
        guard bytes.count <= maximumSize, let text = String(validating: bytes, as: UTF8.self) else {
            throw AmanaError(.inputInvalid, "keyring \(source) is not UTF-8 text of at most 1 MiB")
        }
        // Split on LF bytes: Swift reads "\r\n" as one Character, so a Character split would never see a CRLF line end.
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        guard lines.first == header else { throw bad(1, "the first line must be '\(header)'") }
        lines.removeFirst()
        var keys = [TrustedKey]()
        var stanza = [(line: Int, label: String, value: String)]()
        func finish() throws {
            defer { stanza = [] }
            guard !stanza.isEmpty else { return }
            guard stanza[0].label == "key" else { throw bad(stanza[0].line, "a stanza must start with 'key:'") }
            let publicKey: PublicKey
            do { publicKey = try PublicKey(base64: stanza[0].value) } catch let error as AmanaError {
                throw bad(stanza[0].line, error.reason)
            }
            guard !keys.contains(where: { $0.key.keyID == publicKey.keyID }) else {
                throw bad(stanza[0].line, "key \(publicKey.keyID) is listed twice")
            }
            var key = TrustedKey(key: publicKey, source: source)
            key.fromKeyring = true
            key.name = nil
            key.organization = nil
            var seen = Set<String>()
            for field in stanza.dropFirst() {
                guard seen.insert(field.label).inserted else { throw bad(field.line, "'\(field.label)' appears twice") }
                func date() throws -> Date {
                    guard let date = UTCTime.parse(field.value) else { throw bad(field.line, "'\(field.label)' must be a utc-time, YYYY-MM-DDTHH:MM:SSZ") }
                    return date
                }
                switch field.label {
                case "name": key.name = field.value
                case "organization": key.organization = field.value
                case "role": key.role = field.value
                case "not-before": key.notBefore = try date()
                case "not-after": key.notAfter = try date()
                case "revoked-at": key.revokedAt = try date()
                default: throw bad(field.line, "unknown field '\(field.label)'")
                }
            }
            keys.append(key)
        }
        for (offset, line) in lines.enumerated() {
            let number = offset + 2
            if line.hasPrefix("#") { continue }
            // Blank means spaces and tabs only (keys.md section 10a): Foundation's `.whitespaces` would also take
            // no-break and other Unicode spaces, which another implementation reading the grammar would not.
            if line.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                try finish()
                continue
            }
            guard let colon = line.range(of: ": ") else { throw bad(number, "expected 'label: value'") }
            let label = String(line[..<colon.lowerBound])
            let value = String(line[colon.upperBound...])
            guard !value.isEmpty, !value.unicodeScalars.contains(where: { $0 != "\t" && MinisignText.isControlCharacter($0) }) else {
                throw bad(number, "'\(label)' has an empty value or a control character")
            }
            stanza.append((number, label, value))
        }
        try finish()
        guard !keys.isEmpty else { throw AmanaError(.inputInvalid, "keyring \(source) lists no keys") }
        return keys
    }
}
