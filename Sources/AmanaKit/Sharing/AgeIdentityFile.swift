#if canImport(Glibc)
import Glibc
#endif

/// An age identity file: `#` comments, blank lines, and one `AGE-SECRET-KEY-1…` or `AGE-SECRET-KEY-PQ-1…` per line, as `age-keygen` writes it.
///
/// It is refused unless only its owner can read it (mode 0600 or stricter): a secret key others can read has to be
/// treated as leaked, and saying so early beats finding out after the testimony did.
package enum AgeIdentityFile {
    package static func read(_ path: String) throws -> [AgeIdentity] {
        guard let info = POSIX.lstat(path) else {
            throw AmanaError(.inputUnreadable, "cannot read the identity file \(path): \(POSIX.errorText())")
        }
        if info.st_mode & 0o077 != 0 {
            throw AmanaError(.inputInvalid,
                             "the identity file \(path) can be read by others (mode \(String(info.st_mode & 0o777, radix: 8)))",
                             hint: "run 'chmod 600 \(path)', and treat the key as exposed if others could reach it")
        }
        let bytes = try ReadOnlyFile.readAll(path, limit: 1 << 20)
        var identities: [AgeIdentity] = []
        for (i, raw) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSuffix("\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            do { identities.append(try AgeIdentities.parse(String(line))) } catch {
                throw AmanaError(.inputInvalid, "\(path) line \(i + 1) is not an age identity (AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…)")
            }
        }
        guard !identities.isEmpty else { throw AmanaError(.inputInvalid, "\(path) holds no age identity") }
        return identities
    }

    /// The text of a new identity file, in age-keygen's layout, with the public recipient in a comment.
    package static func text(for identity: AgeX25519Identity, created: String) -> String {
        text(encoded: identity.encoded, recipient: identity.recipient.publicName, created: created)
    }

    /// The same for a hybrid post-quantum identity.
    package static func text(for identity: AgeHybridIdentity, created: String) -> String {
        text(encoded: identity.encoded, recipient: identity.recipient.publicName, created: created)
    }

    static func text(encoded: String, recipient: String, created: String) -> String {
        "# created: \(created)\n# public key: \(recipient)\n\(encoded)\n"
    }
}

/// Decrypts an age file to a new file that appears only after the last chunk authenticated, and encrypts a file to a
/// new age file. Either way the output is written on threads of its own (``WriteBehind``) while the next chunks are
/// opened or sealed.
package enum AgeFileDecryption {
    package static func decrypt(_ input: String, to output: String, identities: [AgeIdentity]) throws -> UInt64 {
        let out = try AtomicOutput(path: output)
        var written: UInt64 = 0
        do {
            // Only authenticated plaintext reaches the temporary file, and it is renamed into place only after the last
            // chunk authenticated (`decrypt` returns) and every byte was written.
            try WriteBehind.run(output: out) { writer in
                try AgeDecryptor(identities: identities).decrypt(path: input) { chunk in
                    try writer.write(chunk)
                    written += UInt64(chunk.count)
                }
            }
            try out.commit(mode: 0o600)
        } catch {
            out.abandon()
            throw error
        }
        return written
    }

    package static func encrypt(_ input: String, to output: String, recipients: [AgeRecipient], armor: Bool) throws {
        let out = try AtomicOutput(path: output)
        do {
            try WriteBehind.run(output: out) { writer in
                try AgeEncryptor(recipients: recipients, armor: armor).encrypt(path: input) { try writer.write($0) }
            }
            try out.commit(mode: 0o644)
        } catch {
            out.abandon()
            throw error
        }
    }
}
