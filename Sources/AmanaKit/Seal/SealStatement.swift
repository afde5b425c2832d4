/// The text a seal signs: what the bundle was when it was sealed.
///
/// It commits to the bundle id, the seal's number, the signer, a claimed time, the digests of the payload and tag
/// manifests (which cover every payload and tag byte), the custody log's length and Merkle root, and the digest of
/// the previous seal if there is one. The
/// format is `Label: value` lines, like BagIt tag files, so a person can read it; parsing is strict and canonical:
/// a statement is accepted only if writing it back gives the same bytes, so there is exactly one way to spell one.
package struct SealStatement: Equatable, Sendable {
    /// A digest of one file in the bag, with the algorithm it was computed with.
    package struct FileDigest: Equatable, Sendable {
        package var algorithm: DigestAlgorithm
        package var hex: String

        package init(algorithm: DigestAlgorithm, hex: String) {
            self.algorithm = algorithm
            self.hex = hex
        }
    }

    package static let formatVersion = 1

    package var bundleID: String
    package var number: Int
    /// The time the signer's clock gave. A claim only: an RFC 3161 token gives trusted time.
    package var claimedTime: String
    package var signerKeyID: String
    /// The signer's public key in minisign's base64 form, so that a verifier can check the signature even for a key
    /// it was not told to trust (and then say "valid, but by an untrusted key", not "cannot check").
    package var signerPublicKey: String
    /// `manifest-<alg>.txt`, each digested with its own algorithm, sorted by algorithm.
    package var manifests: [FileDigest]
    /// `tagmanifest-<alg>.txt`, each digested with its own algorithm, sorted by algorithm.
    package var tagManifests: [FileDigest]
    /// The custody log checkpoint: how many events the log held when sealed, and their RFC 9162 Merkle root.
    package var custodyLength: Int
    package var custodyRoot: String
    /// SHA-256 of the previous seal's statement file, absent for seal 1.
    package var previousSeal: String?

    package init(
        bundleID: String, number: Int, claimedTime: String, signerKeyID: String, signerPublicKey: String,
        manifests: [FileDigest], tagManifests: [FileDigest], custodyLength: Int, custodyRoot: String,
        previousSeal: String?
    ) {
        self.bundleID = bundleID
        self.number = number
        self.claimedTime = claimedTime
        self.signerKeyID = signerKeyID
        self.signerPublicKey = signerPublicKey
        self.manifests = manifests.sorted { $0.algorithm < $1.algorithm }
        self.tagManifests = tagManifests.sorted { $0.algorithm < $1.algorithm }
        self.custodyLength = custodyLength
        self.custodyRoot = custodyRoot
        self.previousSeal = previousSeal
    }

    enum Label {
        static let version = "Amana-Seal-Version"
        static let bundle = "Bundle-Id"
        static let number = "Seal-Number"
        static let time = "Claimed-Time"
        static let keyID = "Signer-Key-Id"
        static let key = "Signer-Public-Key"
        static let manifest = "Manifest"
        static let tagManifest = "Tag-Manifest"
        static let custody = "Custody-Log"
        static let previous = "Previous-Seal"
    }

    /// The canonical bytes: UTF-8, LF line ends, fixed order.
    package func serialized() -> [UInt8] {
        var lines = [
            "\(Label.version): \(SealStatement.formatVersion)",
            "\(Label.bundle): \(bundleID)",
            "\(Label.number): \(number)",
            "\(Label.time): \(claimedTime)",
            "\(Label.keyID): \(signerKeyID)",
            "\(Label.key): \(signerPublicKey)",
        ]
        lines += manifests.map { "\(Label.manifest): \($0.algorithm.bagItName) \($0.hex)" }
        lines += tagManifests.map { "\(Label.tagManifest): \($0.algorithm.bagItName) \($0.hex)" }
        lines.append("\(Label.custody): \(custodyLength) \(custodyRoot)")
        if let previousSeal { lines.append("\(Label.previous): sha256 \(previousSeal)") }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// Largest statement accepted; a real one is well under 1 KiB.
    static let maximumSize = 64 * 1024

    /// Parses a statement; throws `inputInvalid` with the first problem found.
    package init(parsing bytes: [UInt8]) throws {
        func bad(_ why: String) -> AmanaError { AmanaError(.inputInvalid, "malformed seal statement: \(why)") }
        guard bytes.count <= SealStatement.maximumSize else { throw bad("larger than \(SealStatement.maximumSize) bytes") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw bad("not valid UTF-8") }
        guard text.hasSuffix("\n") else { throw bad("the last line does not end with a line feed") }
        var fields = [(String, String)]()
        for line in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            guard let colon = line.range(of: ": ") else { throw bad("a line has no ': ' separator") }
            fields.append((String(line[..<colon.lowerBound]), String(line[colon.upperBound...])))
        }
        var index = 0
        func take(_ label: String) throws -> String {
            guard index < fields.count, fields[index].0 == label else { throw bad("expected '\(label)' as line \(index + 1)") }
            index += 1
            return fields[index - 1].1
        }
        func digests(_ label: String) throws -> [FileDigest] {
            var out = [FileDigest]()
            while index < fields.count && fields[index].0 == label {
                let parts = fields[index].1.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2, let algorithm = DigestAlgorithm(rawValue: String(parts[0])),
                      let raw = Hex.decode(parts[1]), raw.count == algorithm.byteCount, parts[1] == parts[1].lowercased()
                else { throw bad("'\(label)' must be '<algorithm> <hex digest>'") }
                guard !algorithm.isBroken else { throw bad("\(algorithm.rawValue) is too weak to seal with") }
                // Each algorithm at most once, in the grammar's order (seal.md section 3.1). The canonical round trip
                // below catches a wrong order too, since the initializer sorts; a repeated line it would not.
                guard out.last.map({ $0.algorithm < algorithm }) ?? true else {
                    throw bad("'\(label)' lines must name sha224, sha256, sha384, sha512, blake2b512 in that order, each at most once")
                }
                out.append(FileDigest(algorithm: algorithm, hex: String(parts[1])))
                index += 1
            }
            return out
        }
        guard try take(Label.version) == String(SealStatement.formatVersion) else {
            throw bad("unsupported \(Label.version)")
        }
        let bundleID = try take(Label.bundle)
        guard BundleLayout.isValidBundleID(bundleID) else { throw bad("the bundle id is not a safe folder name") }
        guard let number = Int(try take(Label.number)), number >= 1, number <= 9999 else {
            throw bad("the seal number must be 1 to 9999")
        }
        let time = try take(Label.time)
        guard UTCTime.parse(time) != nil else { throw bad("the claimed time is not a utc-time, YYYY-MM-DDTHH:MM:SSZ") }
        let keyID = try take(Label.keyID)
        let key = try take(Label.key)
        let manifests = try digests(Label.manifest)
        let tagManifests = try digests(Label.tagManifest)
        guard !manifests.isEmpty, !tagManifests.isEmpty else { throw bad("it must name at least one manifest and tag manifest") }
        let custodyParts = try take(Label.custody).split(separator: " ", omittingEmptySubsequences: false)
        guard custodyParts.count == 2, let custodyLength = Int(custodyParts[0]), custodyLength >= 1,
              let rootRaw = Hex.decode(custodyParts[1]), rootRaw.count == 32, custodyParts[1] == custodyParts[1].lowercased()
        else { throw bad("'\(Label.custody)' must be '<event count> <lowercase hex Merkle root>'") }
        var previous: String?
        if index < fields.count && fields[index].0 == Label.previous {
            let value = fields[index].1
            guard value.hasPrefix("sha256 "), let raw = Hex.decode(value.dropFirst(7)), raw.count == 32,
                  value == value.lowercased() else {
                throw bad("'\(Label.previous)' must be 'sha256 <hex digest>'")
            }
            previous = String(value.dropFirst(7))
            index += 1
        }
        guard index == fields.count else { throw bad("unexpected line '\(fields[index].0)'") }
        self.init(bundleID: bundleID, number: number, claimedTime: time, signerKeyID: keyID, signerPublicKey: key,
                  manifests: manifests, tagManifests: tagManifests, custodyLength: custodyLength,
                  custodyRoot: String(custodyParts[1]), previousSeal: previous)
        guard serialized() == bytes else { throw bad("not in canonical form (order, case or spacing)") }
        guard (number == 1) == (previous == nil) else {
            throw bad("seal 1 must not name a previous seal, and every later seal must")
        }
    }
}
