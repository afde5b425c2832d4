import CSodium

/// scrypt with Salsa20/8 and SHA-256, as libsodium's `crypto_pwhash_scryptsalsa208sha256` derives it from an
/// `opslimit`/`memlimit` pair (the parameters minisign stores) rather than from N, r and p.
enum Scrypt {
    static let saltLength = Int(crypto_pwhash_scryptsalsa208sha256_SALTBYTES)

    /// Derives `length` bytes from `passphrase`. The result is secret key material, so it comes back in
    /// ``SecretBytes``. The caller is responsible for refusing absurd limits before calling.
    static func derive(
        length: Int, passphrase: [UInt8], salt: [UInt8], opsLimit: UInt64, memLimit: UInt64
    ) throws -> SecretBytes {
        precondition(salt.count == saltLength, "scrypt salt must be \(saltLength) bytes")
        try Sodium.requireInitialized()
        guard let memLimit = Int(exactly: memLimit) else {
            throw AmanaError(.inputInvalid, "the key derivation memory limit does not fit this machine")
        }
        // A trailing zero keeps the pointer valid for an empty passphrase; libsodium reads only the given length.
        var passphraseBytes = passphrase + [0]
        defer { Sodium.wipe(&passphraseBytes) }
        let output = SecretBytes(count: length)
        let status = output.withUnsafeMutableBytes { out in
            passphraseBytes.withUnsafeBytes { pass in
                crypto_pwhash_scryptsalsa208sha256(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(length),
                    pass.baseAddress!.assumingMemoryBound(to: CChar.self), UInt64(passphrase.count),
                    salt, opsLimit, memLimit
                )
            }
        }
        guard status == 0 else {
            throw AmanaError(
                .internalFailure, "scrypt key derivation failed",
                hint: "it needs about \(memLimit >> 20) MiB of memory; free some memory and try again"
            )
        }
        return output
    }
}
