/// A minisign secret key file as read from disk, before any passphrase: its structure checked, its secret still
/// sealed. It exists so that every format error is reported before anyone is asked for a passphrase; it also
/// writes the format, so both directions of the layout live in this one file.
///
/// Layout of the decoded key line (158 bytes, see `spec/keys.md`):
///
///     sig_alg "Ed"(2) || kdf_alg(2) || chk_alg "B2"(2) || salt(32) || opslimit(8, LE) || memlimit(8, LE)
///     || [ keynum(8) || sk(64) || chk(32) ]      <- XORed with scrypt output when kdf_alg is "Sc"
struct SecretKeyFile {
    static let what = "secret key file"

    /// The comment text after "untrusted comment: ". Its metadata can only be checked once the key id is known,
    /// which for an encrypted key is after decryption.
    let comment: String
    let isEncrypted: Bool
    let salt: [UInt8]
    let opsLimit: UInt64
    let memLimit: UInt64
    /// `keynum || sk || chk`, still encrypted when `isEncrypted`.
    let sealed: SecretBytes

    init(bytes: [UInt8]) throws {
        let what = SecretKeyFile.what
        let lines = try MinisignText.lines(
            bytes, count: 2, maxLineBytes: [MinisignFormat.maxUntrustedLineBytes, nil], what: what
        )
        comment = try MinisignText.comment(
            lines[0], prefix: MinisignFormat.untrustedCommentPrefix,
            maxBytes: MinisignFormat.maxUntrustedCommentBytes, lineNumber: 1, what: what
        )
        // Check the comment's shape now; its key id can be compared only after decryption.
        _ = try KeyComment.parse(comment, kind: .secretKey, keyID: nil, what: what)
        var blob = try MinisignText.blob(
            lines[1], length: MinisignFormat.secretKeyBlobLength, place: "line 2 of the \(what)"
        )
        defer { Sodium.wipe(&blob) }

        guard Array(blob[0..<MinisignFormat.secretKDFOffset]) == MinisignFormat.keyAlgorithm else {
            throw AmanaError(.inputInvalid, "the \(what) is not an ed25519 key (unsupported signature algorithm)")
        }
        let checksumAlgorithm = blob[MinisignFormat.secretChecksumAlgorithmOffset..<MinisignFormat.secretSaltOffset]
        guard Array(checksumAlgorithm) == MinisignFormat.checksumAlgorithm else {
            throw AmanaError(.inputInvalid, "the \(what) uses an unsupported checksum algorithm")
        }
        switch Array(blob[MinisignFormat.secretKDFOffset..<MinisignFormat.secretChecksumAlgorithmOffset]) {
        case MinisignFormat.kdfScrypt: isEncrypted = true
        case MinisignFormat.kdfNone: isEncrypted = false
        default: throw AmanaError(.inputInvalid, "the \(what) uses an unsupported key derivation function")
        }
        salt = Array(blob[MinisignFormat.secretSaltOffset..<MinisignFormat.secretOpsLimitOffset])
        opsLimit = MinisignText.loadLittleEndian64(
            blob[MinisignFormat.secretOpsLimitOffset..<MinisignFormat.secretMemLimitOffset]
        )
        memLimit = MinisignText.loadLittleEndian64(
            blob[MinisignFormat.secretMemLimitOffset..<MinisignFormat.secretSealedOffset]
        )
        // Only an encrypted key's limits are used; an unencrypted one keeps whatever it had before `minisign -C -W`
        // removed its passphrase (or zeros, from `minisign -G -W`).
        if isEncrypted && (opsLimit > MinisignFormat.maxOpsLimit || memLimit > MinisignFormat.maxMemLimit) {
            throw AmanaError(
                .inputInvalid,
                "the \(what) asks for absurd key derivation limits (opslimit \(opsLimit), memlimit \(memLimit))",
                hint: "amana refuses more than \(MinisignFormat.maxOpsLimit) operations or "
                    + "\(MinisignFormat.maxMemLimit >> 30) GiB of memory; minisign writes "
                    + "\(MinisignFormat.defaultOpsLimit) and \(MinisignFormat.defaultMemLimit >> 30) GiB"
            )
        }
        sealed = SecretBytes(copying: blob[MinisignFormat.secretSealedOffset...])
    }

    /// Decrypts (if needed) and checks the secret. `passphrase` is called only for an encrypted key.
    /// Returns the key id and libsodium's 64-byte secret key.
    func unseal(passphrase: () throws -> String) throws -> (KeyID, SecretBytes) {
        let plain = SecretBytes(count: MinisignFormat.sealedSectionLength)
        try sealed.withUnsafeBytes { source in
            try plain.withUnsafeMutableBytes { target in
                target.copyMemory(from: source)
                guard isEncrypted else { return }
                var passphraseBytes = Array(try passphrase().utf8)
                defer { Sodium.wipe(&passphraseBytes) }
                let stream = try Scrypt.derive(
                    length: MinisignFormat.sealedSectionLength, passphrase: passphraseBytes, salt: salt,
                    opsLimit: opsLimit, memLimit: memLimit
                )
                stream.withUnsafeBytes { key in
                    for index in 0..<target.count { target[index] ^= key[index] }
                }
            }
        }

        let keyIDEnd = MinisignFormat.keyIDLength
        let secretEnd = keyIDEnd + Ed25519.secretKeyLength
        let (keyID, secret, storedChecksum) = plain.withUnsafeBytes { bytes in
            (
                KeyID(bytes: Array(bytes[0..<keyIDEnd]))!,
                SecretBytes(copying: bytes[keyIDEnd..<secretEnd]),
                Array(bytes[secretEnd...])
            )
        }
        let checksum = SecretKeyFile.checksum(keyID: keyID, secret: secret)
        if !MinisignText.constantTimeEqual(checksum, storedChecksum) {
            if isEncrypted {
                throw AmanaError(.wrongPassphrase, "the passphrase does not unlock this secret key")
            }
            // `minisign -G -W` leaves the checksum zero, so zero is accepted for an unencrypted key; any other
            // wrong value means damage.
            guard storedChecksum.allSatisfy({ $0 == 0 }) else {
                throw AmanaError(.inputInvalid, "the \(SecretKeyFile.what) is damaged: its checksum does not match")
            }
        }
        // The checksum cannot protect a minisign unencrypted key (it is zero), so also check that the stored
        // public half is the one the seed derives: this catches corruption of either half.
        let storedPublicKey = secret.withUnsafeBytes { Array($0[Ed25519.seedLength...]) }
        guard try Ed25519.derivedPublicKey(fromSecretKey: secret) == storedPublicKey else {
            throw AmanaError(
                .inputInvalid, "the \(SecretKeyFile.what) is damaged: its public key does not match its secret seed"
            )
        }
        return (keyID, secret)
    }

    /// The text of a secret key file for `secret`. With `encryption`, the sealed section is encrypted under the
    /// passphrase with a fresh salt; without, it is laid out exactly as `minisign -G -W` writes it: zero KDF, salt,
    /// limits and checksum. The caller has validated the passphrase.
    static func encode(
        keyID: KeyID, secret: SecretBytes, comment: String,
        encryption: (passphrase: [UInt8], opsLimit: UInt64, memLimit: UInt64)?
    ) throws -> String {
        let sealed = SecretBytes(count: MinisignFormat.sealedSectionLength)
        let checksum = encryption == nil
            ? [UInt8](repeating: 0, count: MinisignFormat.checksumLength)
            : SecretKeyFile.checksum(keyID: keyID, secret: secret)
        sealed.withUnsafeMutableBytes { target in
            secret.withUnsafeBytes { sk in
                let keyIDEnd = MinisignFormat.keyIDLength
                let secretEnd = keyIDEnd + Ed25519.secretKeyLength
                target[0..<keyIDEnd].copyBytes(from: keyID.bytes)
                UnsafeMutableRawBufferPointer(rebasing: target[keyIDEnd..<secretEnd]).copyMemory(from: sk)
                target[secretEnd...].copyBytes(from: checksum)
            }
        }

        var header = MinisignFormat.keyAlgorithm
        if let encryption {
            let salt = try Sodium.randomBytes(MinisignFormat.saltLength)
            let stream = try Scrypt.derive(
                length: MinisignFormat.sealedSectionLength, passphrase: encryption.passphrase, salt: salt,
                opsLimit: encryption.opsLimit, memLimit: encryption.memLimit
            )
            sealed.withUnsafeMutableBytes { target in
                stream.withUnsafeBytes { key in
                    for index in 0..<target.count { target[index] ^= key[index] }
                }
            }
            header += MinisignFormat.kdfScrypt + MinisignFormat.checksumAlgorithm + salt
            header += MinisignText.storeLittleEndian64(encryption.opsLimit)
            header += MinisignText.storeLittleEndian64(encryption.memLimit)
        } else {
            header += MinisignFormat.kdfNone + MinisignFormat.checksumAlgorithm
            header += [UInt8](repeating: 0, count: MinisignFormat.saltLength + 2 * MinisignFormat.limitLength)
        }

        var blob = header + sealed.withUnsafeBytes { Array($0) }
        defer { Sodium.wipe(&blob) }
        return MinisignFormat.untrustedCommentPrefix + comment + "\n" + Base64.encode(blob) + "\n"
    }

    /// minisign's checksum: BLAKE2b-256 over `sig_alg || keynum || sk`.
    static func checksum(keyID: KeyID, secret: SecretBytes) -> [UInt8] {
        let hasher = Blake2b(outputLength: MinisignFormat.checksumLength)
        hasher.update(MinisignFormat.keyAlgorithm)
        hasher.update(keyID.bytes)
        secret.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }
}
