import Crypto

/// An X25519 recipient, `age1…`: the file key is wrapped under a key agreed with a fresh ephemeral key.
package struct AgeX25519Recipient: AgeRecipient {
    package let publicKey: [UInt8]

    package init(_ text: String) throws {
        guard let (hrp, data) = Bech32.decode(text), hrp == AgeFormat.recipientHRP, data.count == 32,
              text == text.lowercased() else {
            throw AmanaError(.inputInvalid, "'\(text)' is not an age X25519 recipient (age1…)")
        }
        publicKey = data
    }

    init(publicKey: [UInt8]) { self.publicKey = publicKey }

    package var publicName: String { Bech32.encode(hrp: AgeFormat.recipientHRP, data: publicKey) }

    package func wrap(fileKey: [UInt8]) throws -> [AgeStanza] {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let share = Array(ephemeral.publicKey.rawRepresentation)
        let shared = try ephemeral.sharedSecretFromKeyAgreement(with: .init(rawRepresentation: publicKey))
        let key = AgeX25519Identity.wrapKey(shared: shared, share: share, recipient: publicKey)
        return [AgeStanza(type: "X25519", arguments: [AgeBase64.encodeString(share)],
                          body: try AgePayloadCipher.wrap(fileKey, key: key))]
    }
}

/// An X25519 identity, `AGE-SECRET-KEY-1…`.
package struct AgeX25519Identity: AgeIdentity {
    private let secret: Curve25519.KeyAgreement.PrivateKey

    package init(_ text: String) throws {
        guard let (hrp, data) = Bech32.decode(text), hrp == AgeFormat.identityHRP, data.count == 32,
              let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: data) else {
            throw AmanaError(.inputInvalid, "not an age X25519 identity (AGE-SECRET-KEY-1…)")
        }
        secret = key
    }

    /// A new random identity.
    package init() { secret = Curve25519.KeyAgreement.PrivateKey() }

    package var encoded: String {
        Bech32.encode(hrp: AgeFormat.identityHRP, data: Array(secret.rawRepresentation)).uppercased()
    }

    package var recipient: AgeX25519Recipient { AgeX25519Recipient(publicKey: Array(secret.publicKey.rawRepresentation)) }

    static func wrapKey(shared: SharedSecret, share: [UInt8], recipient: [UInt8]) -> [UInt8] {
        let key = shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: share + recipient,
                                                 sharedInfo: Array(AgeFormat.x25519Label.utf8), outputByteCount: 32)
        return key.withUnsafeBytes { Array($0) }
    }

    package func unwrap(_ stanzas: [AgeStanza]) throws -> [UInt8]? {
        let ours = Array(secret.publicKey.rawRepresentation)
        for stanza in stanzas where stanza.type == "X25519" {
            guard stanza.arguments.count == 1, let share = AgeStanza.decodeArgument(stanza.arguments[0], count: 32) else {
                throw AgeHeader.failure("an X25519 stanza's share is malformed")
            }
            guard stanza.body.count == AgeFormat.fileKeySize + AgeFormat.tagSize else {
                throw AgeHeader.failure("an X25519 stanza's body is not a wrapped 16-byte file key")
            }
            // An all-zero shared secret (a low-order share) would let anyone compute the wrap key; BoringSSL refuses
            // it, and so does the check below in case another backend does not.
            guard let shared = try? secret.sharedSecretFromKeyAgreement(with: .init(rawRepresentation: share)),
                  !shared.withUnsafeBytes({ $0.allSatisfy { $0 == 0 } }) else {
                throw AgeHeader.failure("an X25519 stanza's share is a low-order point")
            }
            let key = AgeX25519Identity.wrapKey(shared: shared, share: share, recipient: ours)
            if let fileKey = AgePayloadCipher.unwrap(stanza.body, key: key) { return fileKey }
        }
        return nil
    }
}
