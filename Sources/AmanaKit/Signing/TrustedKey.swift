import Foundation

/// A public key the verifier was told to trust, with where it came from and, from a keyring, who holds it and when
/// it may sign.
///
/// Validity is judged against the time a signer *claims*. A claim can be backdated by whoever holds the key, so a
/// signature claiming a time before a revocation is only INDETERMINATE: only a trusted timestamp could show it.
public struct TrustedKey: Sendable {
    public let key: PublicKey
    /// The file the key was read from, for the report.
    public let source: String
    /// From a keyring; otherwise the key file's own comment.
    public var name: String?
    public var organization: String?
    public var role: String?
    public var notBefore: Date?
    public var notAfter: Date?
    public var revokedAt: Date?
    /// Whether the statement comes from a keyring (an organisation's list) rather than a lone `.pub` file.
    public var fromKeyring = false
    /// In a ``TrustSet``: what each input said of this key, sorted by file. Empty for a single input's statement.
    package internal(set) var sources: [TrustedKey] = []
    /// In a ``TrustSet``: the inputs disagree about the holder's name, organization or role.
    package internal(set) var holderConflict = false

    public init(key: PublicKey, source: String) {
        self.key = key
        self.source = source
        self.name = key.name
        self.organization = key.organization
    }

    /// "E7620F1842B4E81F (Lina Haddad, Syrian Archive)"
    public var label: String {
        let who = [name, organization].compactMap { $0 }.joined(separator: ", ")
        return who.isEmpty ? key.keyID.description : "\(key.keyID) (\(who))"
    }

    /// Whether this key may have signed at `claimedTime`: nil when it may, otherwise the status and reason.
    package func validityProblem(at claimedTime: Date) -> (status: Finding.Status, reason: String)? {
        if let notBefore, claimedTime < notBefore {
            return (.failed, "the key is valid only from \(UTCTime.format(notBefore)), but the signature claims \(UTCTime.format(claimedTime))")
        }
        if let notAfter, claimedTime > notAfter {
            return (.failed, "the key was valid only until \(UTCTime.format(notAfter)), but the signature claims \(UTCTime.format(claimedTime))")
        }
        if let revokedAt {
            if claimedTime >= revokedAt {
                return (.failed, "the key was revoked at \(UTCTime.format(revokedAt)), before the claimed time \(UTCTime.format(claimedTime))")
            }
            return (.indeterminate, "the key was revoked at \(UTCTime.format(revokedAt)); the signature claims an earlier time, which only a trusted timestamp could confirm")
        }
        return nil
    }
}
