import Crypto
import Foundation

/// age's hybrid post-quantum recipient, `mlkem768x25519` (`age1pq1…`): the file key is sealed with HPKE (RFC 9180,
/// base mode) under the X-Wing KEM, which combines ML-KEM-768 with X25519, so breaking the wrap needs both broken.
///
/// Why it exists: an X25519 stanza recorded today can be opened by whoever later runs a large enough quantum
/// computer ("harvest now, decrypt later"); testimony about people must stay closed for decades, so Amana recommends
/// this kind. swift-crypto supplies X-Wing and HPKE; age's suite is X-Wing + HKDF-SHA256 + ChaCha20-Poly1305 with the
/// info string below and no associated data.
package struct AgeHybridRecipient: AgeRecipient {
    /// The X-Wing encapsulation key (1216 bytes).
    package let publicKey: [UInt8]

    package init(_ text: String) throws {
        guard let (hrp, data) = Bech32.decode(text), hrp == AgeFormat.hybridRecipientHRP,
              data.count == AgeFormat.hybridPublicKeySize, text == text.lowercased(),
              (try? XWingMLKEM768X25519.PublicKey(rawRepresentation: data)) != nil else {
            throw AmanaError(.inputInvalid, "'\(AgeHybridRecipient.abbreviated(text))' is not an age post-quantum recipient (age1pq1…)")
        }
        publicKey = data
    }

    init(publicKey: [UInt8]) { self.publicKey = publicKey }

    package var publicName: String { Bech32.encode(hrp: AgeFormat.hybridRecipientHRP, data: publicKey) }

    package func wrap(fileKey: [UInt8]) throws -> [AgeStanza] {
        let key = try XWingMLKEM768X25519.PublicKey(rawRepresentation: publicKey)
        var sender = try HPKE.Sender(recipientKey: key, ciphersuite: AgeHybridIdentity.suite, info: AgeHybridIdentity.info)
        let body = try sender.seal(fileKey)
        return [AgeStanza(type: AgeFormat.hybridStanzaType, arguments: [AgeBase64.encodeString(sender.encapsulatedKey)],
                          body: Array(body))]
    }

    /// A recipient string is about 1,950 characters; an error message shows its start and end only.
    static func abbreviated(_ text: String) -> String {
        text.count <= 40 ? text : "\(text.prefix(20))…\(text.suffix(12))"
    }
}

/// A hybrid identity, `AGE-SECRET-KEY-PQ-1…`: the 32-byte X-Wing seed from which both halves of the key derive.
package struct AgeHybridIdentity: AgeIdentity {
    private let secret: XWingMLKEM768X25519.PrivateKey

    static let suite = HPKE.Ciphersuite(kem: .XWingMLKEM768X25519, kdf: .HKDF_SHA256, aead: .chaChaPoly)
    static let info = Data(AgeFormat.hybridLabel.utf8)

    package init(_ text: String) throws {
        guard let (hrp, data) = Bech32.decode(text), hrp == AgeFormat.hybridIdentityHRP, data.count == 32,
              let key = try? XWingMLKEM768X25519.PrivateKey(seedRepresentation: data, publicKey: nil) else {
            throw AmanaError(.inputInvalid, "not an age post-quantum identity (AGE-SECRET-KEY-PQ-1…)")
        }
        secret = key
    }

    /// A new random identity.
    package init() throws { secret = try XWingMLKEM768X25519.PrivateKey.generate() }

    package var encoded: String {
        Bech32.encode(hrp: AgeFormat.hybridIdentityHRP, data: Array(secret.seedRepresentation)).uppercased()
    }

    package var recipient: AgeHybridRecipient { AgeHybridRecipient(publicKey: Array(secret.publicKey.rawRepresentation)) }

    package func unwrap(_ stanzas: [AgeStanza]) throws -> [UInt8]? {
        for stanza in stanzas where stanza.type == AgeFormat.hybridStanzaType {
            guard stanza.arguments.count == 1,
                  let enc = AgeStanza.decodeArgument(stanza.arguments[0], count: AgeFormat.hybridEncapsulationSize) else {
                throw AgeHeader.failure("a mlkem768x25519 stanza's encapsulated key is malformed")
            }
            guard stanza.body.count == AgeFormat.fileKeySize + AgeFormat.tagSize else {
                throw AgeHeader.failure("a mlkem768x25519 stanza's body is not a wrapped 16-byte file key")
            }
            // The X25519 half of enc (its last 32 bytes) must not be a low-order point: the shared secret would be
            // zero whatever the key, leaving only ML-KEM to protect the file key. BoringSSL's X-Wing refuses it too
            // (its refusal lands in the catch below); this check keeps the rule whatever the backend.
            guard AgeHybridIdentity.isUsableShare(Array(enc.suffix(32))) else {
                throw AgeHeader.failure("a mlkem768x25519 stanza's X25519 share is a low-order point")
            }
            let recipient: HPKE.Recipient
            do {
                recipient = try HPKE.Recipient(privateKey: secret, ciphersuite: AgeHybridIdentity.suite,
                                               info: AgeHybridIdentity.info, encapsulatedKey: Data(enc))
            } catch {
                throw AgeHeader.failure("a mlkem768x25519 stanza's encapsulated key is rejected by X-Wing")
            }
            var opener = recipient
            // ML-KEM rejects implicitly: a changed enc yields a different key and the tag fails, which means
            // "not for this identity", as for any stanza whose tag does not verify.
            if let fileKey = try? opener.open(stanza.body) { return Array(fileKey) }
        }
        return nil
    }

    /// True when an X25519 point is not of low order. Any clamped scalar is a multiple of 8, so the product with a
    /// throwaway key is zero exactly for the points of the small subgroup, whatever the throwaway key is.
    static func isUsableShare(_ point: [UInt8]) -> Bool {
        guard let peer = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: point),
              let shared = try? Curve25519.KeyAgreement.PrivateKey().sharedSecretFromKeyAgreement(with: peer) else {
            return false
        }
        return !shared.withUnsafeBytes { $0.allSatisfy { $0 == 0 } }
    }
}
