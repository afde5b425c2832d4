import AmanaKit

/// minisign public keys, secret keys and signatures (spec/keys.md), and Amana keyrings.
enum KeyTargets {
    /// Every encrypted secret key is tried with this passphrase; the seed keys are encrypted with it.
    static let passphrase = "amana-fuzz-passphrase"

    /// The test vectors' signer (fixtures/vectors/keys/signer.pub), trusted by the targets that check signatures.
    static let signer = try! PublicKey(minisignFile: """
        untrusted comment: amana public key E631EC1F11C651C1\tname:Vector Signer\torganization:Amana test vectors
        RWTBUcYRH+wx5tmGSBSZi8S1+CdDCjMJ2Sy1PRtobguEB+hedfF8qM+R

        """)

    /// The other vector key (fixtures/vectors/keys/other.pub), the recipient of the seed bundles' hand-off.
    static let other = try! PublicKey(minisignFile: """
        untrusted comment: amana public key 810E8DBDC7383FF4\tname:Vector Other\torganization:Amana test vectors
        RWT0PzjHvY0OgZRucb4QnWU4pJRkZhHa+aUAKyCPK43zjS4+b4vJykRm

        """)

    static func publicKey(_ bytes: [UInt8]) {
        if let key = try? PublicKey(minisignFile: bytes) {
            // Writing keeps the key and its name and organization: what is read back is the same key.
            let again = try? PublicKey(minisignFile: key.minisignFile())
            FuzzCheck.expect(again == key, "public key file round trip")
            FuzzCheck.expect((try? PublicKey(base64: key.base64)).map { $0.rawKey == key.rawKey } == true,
                             "public key line round trip")
        }
        if let key = try? PublicKey(base64: String(decoding: bytes, as: UTF8.self)) {
            FuzzCheck.expect(key.base64 == String(decoding: bytes, as: UTF8.self), "base64 public key is canonical")
        }
    }

    static func secretKey(_ bytes: [UInt8]) {
        // scrypt at the limits a file may carry (up to 4 GiB) would make each run take seconds: skip costly ones.
        guard let file = FuzzingHooks.secretKeyLimits(bytes) else { return }
        if file.isEncrypted && !scryptIsCheap(opsLimit: file.opsLimit, memLimit: file.memLimit) { return }
        guard let key = try? SecretKey(minisignFile: bytes, passphrase: { passphrase }) else { return }
        // A key that loads signs, and its public half verifies what it signed.
        let message = Array("amana fuzz".utf8)
        guard let signature = try? key.sign(message, trustedComment: "fuzz") else {
            FuzzCheck.expect(false, "a loaded secret key cannot sign")
            return
        }
        FuzzCheck.expect(key.publicKey.verify(signature, message: message) == .valid, "signature by a loaded key")
        let rewritten = try? key.minisignFile(passphrase: nil)
        let again = rewritten.flatMap { try? SecretKey(minisignFile: $0, passphrase: { passphrase }) }
        FuzzCheck.expect(again?.publicKey == key.publicKey, "secret key file round trip")
    }

    /// True when scrypt with these limits costs at most N·r·p = 2^15 (about 4 MiB of mixing, a few milliseconds).
    /// Mirrors libsodium's `pickparams` for `crypto_pwhash_scryptsalsa208sha256` (spec/keys.md section 5.2).
    static func scryptIsCheap(opsLimit: UInt64, memLimit: UInt64) -> Bool {
        let ops = max(opsLimit, 32768)
        let r: UInt64 = 8
        func logN(_ maxN: UInt64) -> UInt64 {
            var k: UInt64 = 1
            while k < 63 && (UInt64(1) << k) <= maxN / 2 { k += 1 }
            return k
        }
        let k: UInt64
        var p: UInt64 = 1
        if ops < memLimit / 32 {
            k = logN(ops / (4 * r))
        } else {
            k = logN(memLimit / (128 * r))
            p = min((ops / 4) / (UInt64(1) << k), 0x3fff_ffff) / r
        }
        guard k <= 15 else { return false }
        let (cost, overflow) = ((UInt64(1) << k) * r).multipliedReportingOverflow(by: max(p, 1))
        return !overflow && cost <= 1 << 15
    }

    static func signature(_ bytes: [UInt8]) {
        guard let signature = try? MinisignSignature(minisignFile: bytes) else { return }
        let again = try? MinisignSignature(minisignFile: signature.minisignFile())
        FuzzCheck.expect(again == signature, "signature file round trip")
        // Check it against the signer's key bytes under the signature's own key id, so the Ed25519 checks run.
        let message = Array("Amana-Seal-Version: 1\n".utf8)
        _ = signer.verify(signature, message: message)
        let sameID = FuzzingHooks.publicKey(keyID: signature.keyID, rawKey: signer.rawKey)
        _ = sameID.verify(signature, message: message)
    }

    static func keyring(_ bytes: [UInt8]) {
        guard let keys = try? Keyring.parse(bytes, source: "fuzz") else { return }
        FuzzCheck.expect(!keys.isEmpty, "a keyring that parses lists a key")
        for key in keys {
            _ = key.label
            _ = key.validityProblem(at: UTCTime.parse("2026-01-15T09:30:00Z")!)
        }
    }
}
