import CSodium

/// scrypt with r = 8 and p = 1 and N = 2^logN, as age's passphrase recipient uses it, through libsodium's low-level
/// call (minisign keys use the opslimit/memlimit form in Signing/ instead).
enum AgeScryptKDF {
    static func derive(passphrase: [UInt8], salt: [UInt8], logN: Int) throws -> [UInt8] {
        _ = AgeRandom.ready
        var out = [UInt8](repeating: 0, count: 32)
        let pass = passphrase + [0]  // a valid pointer even for an empty passphrase; only the given length is read
        let status = crypto_pwhash_scryptsalsa208sha256_ll(pass, passphrase.count, salt, salt.count,
                                                           UInt64(1) << UInt64(logN), 8, 1, &out, out.count)
        guard status == 0 else {
            throw AmanaError(.internalFailure, "scrypt failed (work factor \(logN))",
                             hint: "it needs about \((1 << logN) >> 10) MiB of memory; free some memory and try again")
        }
        return out
    }
}
