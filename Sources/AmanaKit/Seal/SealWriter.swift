import Foundation

/// Writes what closes a seal: the tag manifests, the statement, its minisign signature and any RFC 3161 tokens.
///
/// Both writers end a bundle here, ``Sealer`` with seal 1 of a new bundle and ``BundleAppender`` with the next seal of
/// an existing one, so a first seal and a later one are spelled by the same code and cannot drift apart. It writes
/// into the caller's ``TarWriter``; the caller's ``AtomicOutput`` keeps crash safety (temporary file, fsync, rename).
struct SealWriter {
    /// A tag file as the tag manifests list it: its bag path and its digest under each tag algorithm.
    typealias TagFile = (path: String, digests: [DigestAlgorithm: Digest])

    let tar: TarWriter
    /// The bundle id, which is also the tar's root folder.
    let root: String
    let key: SecretKey
    /// The seal's claimed time, also the modification time of every entry written here.
    let time: Date

    private var modified: Int64 { Int64(time.timeIntervalSince1970) }

    /// Writes one tag manifest per algorithm over `tagFiles`, in the statement's algorithm order (seal.md section 3.1)
    /// whatever order `algorithms` has, so the tar holds them in the order the statement names them. Returns the
    /// digests the statement commits to.
    func writeTagManifests(
        _ tagFiles: [TagFile], algorithms: [DigestAlgorithm], version: BagItVersion = .v1_0
    ) throws -> [SealStatement.FileDigest] {
        var digests = [SealStatement.FileDigest]()
        for algorithm in algorithms.sorted() {
            var manifest = Manifest(kind: .tag, algorithm: algorithm)
            for file in tagFiles {
                guard let digest = file.digests[algorithm] else {
                    throw AmanaError(.internalFailure, "the \(algorithm.bagItName) digest of \(file.path) was not computed")
                }
                try manifest.add(path: file.path, digest: digest)
            }
            let bytes = manifest.serialized(version: version)
            try tar.addFile("\(root)/\(manifest.fileName)", contents: bytes, modified: modified)
            digests.append(.init(algorithm: algorithm, hex: Self.digest(bytes, algorithm).hex))
        }
        return digests
    }

    /// The statement of seal `number`: the signer, the manifests' digests and the custody log as it now stands.
    func statement(
        number: Int, manifests: [SealStatement.FileDigest], tagManifests: [SealStatement.FileDigest], log: CustodyLog,
        previousSeal: String?
    ) -> SealStatement {
        SealStatement(
            bundleID: root, number: number, claimedTime: UTCTime.format(time), signerKeyID: key.keyID.description,
            signerPublicKey: key.publicKey.base64, manifests: manifests, tagManifests: tagManifests,
            custodyLength: log.count, custodyRoot: Hex.encode(log.root(ofFirst: log.count)), previousSeal: previousSeal)
    }

    /// Signs `statement` in minisign's prehashed format, writes the seal, its signature and one token per TSA, and
    /// ends the tar: a seal is the last thing in a bundle. Seal 1 also opens the `seals` folder; a later seal goes into
    /// the folder copied with the earlier ones.
    func writeSeal(_ statement: SealStatement, tsaURLs: [URL] = [], tsaHash: DigestAlgorithm = .sha256) throws {
        let statementBytes = statement.serialized()
        let signature = try key.sign(statementBytes, trustedComment: Self.trustedComment(statement))
        let signatureBytes = Array(signature.minisignFile().utf8)
        // Tokens stamp the signature file, so they can only be asked for now; a TSA failure fails the seal.
        let tokens = try tsaURLs.map { try TSAClient.stamp(signatureBytes, tsa: $0, hash: tsaHash) }
        let number = statement.number
        if number == 1 { try tar.addDirectory("\(root)/\(BundleLayout.sealsFolder)", modified: modified) }
        try tar.addFile("\(root)/\(BundleLayout.sealFile(number))", contents: statementBytes, modified: modified)
        try tar.addFile("\(root)/\(BundleLayout.sealSignature(number))", contents: signatureBytes, modified: modified)
        for (offset, token) in tokens.enumerated() {
            try tar.addFile("\(root)/\(BundleLayout.sealToken(number, index: offset + 1))", contents: token,
                            modified: modified)
        }
        try tar.finish()
    }

    /// minisign shows the trusted comment when it verifies; it is signed, so it names what was sealed.
    static func trustedComment(_ statement: SealStatement) -> String {
        let time = UTCTime.parse(statement.claimedTime).map { Int64($0.timeIntervalSince1970) } ?? 0
        return "timestamp:\(time)\tfile:\(POSIX.lastComponent(of: BundleLayout.sealFile(statement.number)))"
            + "\tbundle:\(statement.bundleID)\tseal:\(statement.number)"
    }

    static func digest(_ bytes: [UInt8], _ algorithm: DigestAlgorithm) -> Digest {
        MultiDigest.digests(of: bytes, [algorithm])[algorithm]!
    }
}
