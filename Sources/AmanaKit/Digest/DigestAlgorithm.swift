/// A digest algorithm, named as BagIt names it in `manifest-<name>.txt`.
///
/// Amana *writes* SHA-256, SHA-512 and BLAKE2b-512 (see ``DigestChoice`` for the combinations). It *reads* the older
/// algorithms too, because bags made by other tools (and the Library of Congress conformance suite) use them; a bag
/// whose only manifest is MD5 or SHA-1 still validates as BagIt, but the verifier warns that the algorithm is broken.
public enum DigestAlgorithm: String, CaseIterable, Comparable, Sendable, Codable {
    case md5
    case sha1
    case sha224
    case sha256
    case sha384
    case sha512
    /// BLAKE2b with a 64-byte output (RFC 7693, unkeyed): a different design from SHA-2, so a pair of one SHA-2 and
    /// BLAKE2b-512 still holds if a weakness is ever found in SHA-2. BagIt name `blake2b512`.
    case blake2b512

    /// The algorithms Amana writes when the user does not choose: both, as RFC 8493 section 2.4 advises.
    public static let sealDefault: [DigestAlgorithm] = [.sha256, .sha512]

    /// The BagIt name, e.g. `sha256` in `manifest-sha256.txt`.
    public var bagItName: String { rawValue }

    public init?(bagItName: String) {
        self.init(rawValue: bagItName.lowercased())
    }

    /// Length of the digest in bytes.
    public var byteCount: Int {
        switch self {
        case .md5: return 16
        case .sha1: return 20
        case .sha224: return 28
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        case .blake2b512: return 64
        }
    }

    /// MD5 and SHA-1 have practical collisions: a match under them alone proves nothing against a forger.
    public var isBroken: Bool { self == .md5 || self == .sha1 }

    /// Stronger algorithms sort later, so `max()` picks the strongest.
    public static func < (lhs: DigestAlgorithm, rhs: DigestAlgorithm) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A computed digest value.
public struct Digest: Hashable, Sendable, CustomStringConvertible {
    public let algorithm: DigestAlgorithm
    public let bytes: [UInt8]

    public init(algorithm: DigestAlgorithm, bytes: [UInt8]) {
        self.algorithm = algorithm
        self.bytes = bytes
    }

    /// Lowercase hex, as written in manifests.
    public var hex: String { Hex.encode(bytes) }
    public var description: String { "\(algorithm.rawValue):\(hex)" }
}
