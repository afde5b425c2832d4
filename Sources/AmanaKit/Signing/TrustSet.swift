import Foundation

/// Every key a verifier was told to trust, merged into one set keyed by the raw public key (spec/keys.md section 11).
///
/// Trust must not depend on the order of `--trust` arguments. A keyring that revokes a key and the key's own `.pub`
/// file passed beside it describe one key; if the first match won, whichever came first would decide, and a revoked
/// key could pass by being named first. So every input that names a key contributes to one entry, and every
/// constraint applies: the latest `not-before`, the earliest `not-after` and the earliest `revoked-at` win.
///
/// Two inputs that give one key id to different key bytes are refused outright (``init(_:)`` throws a usage error):
/// one of them is an impersonation attempt or a mistake, and a verifier cannot tell which.
public struct TrustSet: Sendable {
    /// The merged keys, sorted by key id. Each carries, in `sources`, what every input said of it.
    public private(set) var keys: [TrustedKey] = []
    /// Keys whose inputs disagree about the holder's name, organization or role: allowed, but worth a warning.
    public private(set) var conflicts: [TrustedKey] = []

    private var byRawKey = [[UInt8]: Int]()
    private var byKeyID = [KeyID: Int]()

    public init() {}

    /// Merges `inputs`, each what one `--trust` file said of one key. Throws a usage error when two inputs give one
    /// key id to different key bytes, or one key to two key ids.
    public init(_ inputs: [TrustedKey]) throws {
        var groups = [[UInt8]: [TrustedKey]]()
        var idOwner = [KeyID: TrustedKey]()
        for input in inputs {
            if let other = idOwner[input.key.keyID], other.key.rawKey != input.key.rawKey {
                let files = [other.source, input.source].sorted()
                throw AmanaError(.usage, "\(files[0]) and \(files[1]) give key id \(input.key.keyID) to two different keys",
                                 hint: "one of them is not the key it claims to be; remove the wrong one from --trust")
            }
            idOwner[input.key.keyID] = input
            if let other = groups[input.key.rawKey]?.first, other.key.keyID != input.key.keyID {
                let files = [other.source, input.source].sorted()
                throw AmanaError(.usage, "\(files[0]) and \(files[1]) give one key two key ids (\(other.key.keyID), \(input.key.keyID))",
                                 hint: "a key has one id; remove the wrong file from --trust")
            }
            groups[input.key.rawKey, default: []].append(input)
        }
        for (_, statements) in groups {
            let merged = TrustedKey(merging: statements)
            if merged.holderConflict { conflicts.append(merged) }
            keys.append(merged)
        }
        keys.sort { $0.key.keyID.description < $1.key.keyID.description }
        conflicts.sort { $0.key.keyID.description < $1.key.keyID.description }
        for (index, key) in keys.enumerated() {
            byRawKey[key.key.rawKey] = index
            byKeyID[key.key.keyID] = index
        }
    }

    public var isEmpty: Bool { keys.isEmpty }

    /// The trusted key with exactly these key bytes: the only way a signature is ever attributed to a trusted holder.
    public func key(raw: [UInt8]) -> TrustedKey? {
        byRawKey[raw].map { keys[$0] }
    }

    /// The trusted key that uses this key id, for recognising a substituted key (same id, other bytes).
    public func key(id: KeyID) -> TrustedKey? {
        byKeyID[id].map { keys[$0] }
    }

    /// One warning finding per key whose inputs name its holder differently.
    package var conflictFindings: [Finding] {
        conflicts.map { key in
            let said = key.sources.map { source in
                let who = [source.name, source.organization, source.role].compactMap { $0 }.joined(separator: ", ")
                return "\(source.source) says \(who.isEmpty ? "nothing" : who)"
            }
            return .warning(TrustCode.keyConflict, subject: key.key.keyID.description,
                            "the trust inputs disagree about who holds key \(key.key.keyID): \(said.joined(separator: "; "))")
        }
    }
}

extension TrustedKey {
    /// One key as every input described it. Names come from keyrings when any keyring names the holder (a keyring is
    /// an organisation's statement; a `.pub` comment is the key holder's own label), otherwise from the `.pub` files.
    /// Disagreeing names are all shown, sorted, so the result never depends on the order of the inputs.
    init(merging statements: [TrustedKey]) {
        let sorted = statements.sorted { ($0.source, $0.name ?? "", $0.organization ?? "") < ($1.source, $1.name ?? "", $1.organization ?? "") }
        self.init(key: sorted[0].key, source: sorted.map(\.source).uniqued().joined(separator: ", "))
        sources = sorted
        func pick(_ field: (TrustedKey) -> String?) -> (value: String?, conflict: Bool) {
            let fromKeyrings = Set(sorted.filter(\.fromKeyring).compactMap(field))
            let all = Set(sorted.compactMap(field))
            let chosen = fromKeyrings.isEmpty ? all : fromKeyrings
            return (chosen.isEmpty ? nil : chosen.sorted().joined(separator: " / "), all.count > 1)
        }
        let name = pick(\.name), organization = pick(\.organization), role = pick(\.role)
        self.name = name.value
        self.organization = organization.value
        self.role = role.value
        holderConflict = name.conflict || organization.conflict || role.conflict
        fromKeyring = sorted.contains(where: \.fromKeyring)
        notBefore = sorted.compactMap(\.notBefore).max()
        notAfter = sorted.compactMap(\.notAfter).min()
        revokedAt = sorted.compactMap(\.revokedAt).min()
    }
}

private extension Array where Element == String {
    func uniqued() -> [String] {
        var seen = Set<String>()
        return filter { seen.insert($0).inserted }
    }
}
