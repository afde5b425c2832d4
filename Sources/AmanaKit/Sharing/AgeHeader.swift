import Crypto

/// The age v1 header: the version line, the recipient stanzas, and the MAC line.
///
/// Parsing is strict: a header that could be spelled two ways would let an attacker change bytes the MAC does not
/// cover, so every deviation from the grammar is a header failure.
struct AgeHeader {
    var stanzas: [AgeStanza]
    var mac: [UInt8]
    /// The bytes the MAC covers: the header up to and including `---`.
    var macInput: [UInt8]

    /// The header MAC: HMAC-SHA-256 under HKDF-SHA-256(file key, salt empty, info "header").
    static func mac(fileKey: [UInt8], over bytes: [UInt8]) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: fileKey), info: Array("header".utf8),
                                          outputByteCount: 32)
        return Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
    }

    /// The complete header for these stanzas, MAC line and final newline included.
    static func encode(stanzas: [AgeStanza], fileKey: [UInt8]) -> [UInt8] {
        var bytes = AgeFormat.versionLine + [0x0A]
        for stanza in stanzas { bytes += stanza.encoded }
        bytes += AgeFormat.macPrefix
        let tag = mac(fileKey: fileKey, over: bytes)
        return bytes + [0x20] + AgeBase64.encode(tag) + [0x0A]
    }

    /// Reads the header from the start of an age file.
    static func read(from input: AgeInput) throws -> AgeHeader {
        var consumed: [UInt8] = []
        func line() throws -> [UInt8] {
            guard let l = try input.readLine(limit: AgeFormat.maxHeaderLine) else {
                throw failure("the header ends early")
            }
            consumed += l
            consumed.append(0x0A)
            guard consumed.count <= AgeFormat.maxHeaderSize else { throw failure("the header is too large") }
            return l
        }
        guard try line() == AgeFormat.versionLine else {
            throw failure("the file does not start with the age v1 version line")
        }
        var stanzas: [AgeStanza] = []
        while true {
            let start = consumed.count
            let l = try line()
            if l.starts(with: AgeFormat.macPrefix) {
                let macInput = Array(consumed[..<(start + AgeFormat.macPrefix.count)])
                let rest = l.dropFirst(AgeFormat.macPrefix.count)
                guard rest.first == 0x20, let mac = AgeBase64.decode(rest.dropFirst()), mac.count == 32 else {
                    throw failure("the MAC line is malformed")
                }
                guard !stanzas.isEmpty else { throw failure("the header has no recipient stanza") }
                return AgeHeader(stanzas: stanzas, mac: mac, macInput: macInput)
            }
            guard l.starts(with: AgeFormat.stanzaPrefix) else { throw failure("a header line is neither a stanza nor the MAC") }
            let fields = l.dropFirst(AgeFormat.stanzaPrefix.count).split(separator: 0x20, omittingEmptySubsequences: false)
            for field in fields {
                guard !field.isEmpty, field.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
                    throw failure("a stanza argument is empty or has a character outside printable ASCII")
                }
            }
            var body: [UInt8] = []
            while true {
                let b = try line()
                guard b.count <= AgeFormat.bodyColumns, let bytes = AgeBase64.decode(b) else {
                    throw failure("a stanza body line is not canonical base64 of at most 64 columns")
                }
                body += bytes
                if b.count < AgeFormat.bodyColumns { break }
            }
            let strings = fields.map { String(decoding: $0, as: UTF8.self) }
            stanzas.append(AgeStanza(type: strings[0], arguments: Array(strings.dropFirst()), body: body))
        }
    }

    static func failure(_ reason: String) -> AmanaError {
        AmanaError(.ageHeader, "not a valid age file: \(reason)")
    }
}
