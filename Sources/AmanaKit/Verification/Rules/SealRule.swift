/// Checks the seals: their files, their statements, their signatures, the signers' trust, and what they commit to.
///
/// Each seal's signature is checked with the public key its statement carries, so a seal by an unknown key is still
/// checked mathematically: valid-but-untrusted is INDETERMINATE, invalid is TOTAL-FAILED. Trust comes only from the
/// keys the caller passes; the bundle can never vouch for itself.
import Foundation

struct SealRule {
    let inventory: BagInventory
    let bundleID: String?
    /// `External-Identifier` from bag-info.txt, which every seal's `Bundle-Id` must equal as well (seal.md section 3.2);
    /// in a tar it may differ from the root folder, which ``bundleID`` is.
    var declaredID: String? = nil
    let trusted: TrustSet
    var tsaRoots: TSARoots? = nil
    var validationTime = Date()
    /// The roots tokens were checked against (the system store is loaded only when a token needs it).
    private(set) var tsaRootsUsed: TSARoots?

    /// Statements that parsed, by seal number, for the rules that need their commitments (the custody log).
    private(set) var statements = [Int: SealStatement]()
    /// Who signed each seal, for the report's `seals` and the verdict line: only keys from the trust set are named.
    private(set) var results = [VerificationReport.SealResult]()
    /// What each token that was verified says, by its path, for the report's `seals[].tokens`.
    private(set) var tokenResults = [String: TimestampVerification]()

    /// Each seal's signature check, made for all seals at once on every core before the seals are judged in order:
    /// a hostile bundle has 9,999 seals, and each check is a BLAKE2b digest and two Ed25519 verifications.
    private(set) var preparedChecks = [Int: SignatureCheck]()
    /// Each seal's statement, parsed in the same parallel pass; a seal whose statement does not parse has no entry.
    private(set) var preparedStatements = [Int: SealStatement]()

    /// The files at the bag's top level, sorted, found once: each of up to 9,999 seals is held to the manifests
    /// among them, and sorting every file name once per seal made a hostile bundle cost minutes.
    private(set) lazy var topLevelFiles: [String] = inventory.files.keys.filter { !$0.utf8.contains(UInt8(ascii: "/")) }.sorted()

    mutating func check() -> [Finding] {
        var findings = [Finding]()
        var statements = Set<Int>()
        var signatures = Set<Int>()
        var tokens = [Int: [String]]()
        for path in inventory.files.keys.sorted() where path.hasBytePrefix(BundleLayout.sealsFolder + "/") {
            guard let parsed = BundleLayout.parseSealPath(path) else {
                findings.append(.failed(SealCode.fileUnexpected, subject: path,
                                        "only NNNN.seal and NNNN.seal.minisig files belong in seals/"))
                continue
            }
            switch parsed.kind {
            case .statement: statements.insert(parsed.number)
            case .signature: signatures.insert(parsed.number)
            case .token: tokens[parsed.number, default: []].append(path)
            }
        }
        for dir in inventory.directories where dir.hasBytePrefix(BundleLayout.sealsFolder + "/") {
            findings.append(.failed(SealCode.fileUnexpected, subject: dir, "seals/ holds no folders"))
        }
        guard let newest = statements.max() else {
            findings.append(.failed(SealCode.missing, subject: BundleLayout.sealsFolder,
                                    "the bundle has no seal, so nothing vouches for its contents"))
            return findings
        }
        for missing in (1...newest).filter({ !statements.contains($0) }) {
            findings.append(.failed(SealCode.sequenceGap, subject: BundleLayout.sealFile(missing),
                                    "seal \(missing) is missing; seals are numbered from 1 without gaps"))
        }
        for orphan in signatures.subtracting(statements).sorted() {
            findings.append(.failed(SealCode.fileUnexpected, subject: BundleLayout.sealSignature(orphan),
                                    "a signature without its seal statement"))
        }
        for (number, paths) in tokens.sorted(by: { $0.key < $1.key }) where !signatures.contains(number) {
            for path in paths.sorted() {
                findings.append(.failed(SealCode.fileUnexpected, subject: path, "a timestamp token without the signature it stamps"))
            }
        }
        prepareSignatureChecks(statements.sorted().filter(signatures.contains))
        for number in statements.sorted() {
            var sealFindings = checkSeal(number, isNewest: number == newest, hasSignature: signatures.contains(number))
            if signatures.contains(number) {
                sealFindings += checkTokens(number, paths: (tokens[number] ?? []).sorted())
            }
            if let index = results.indices.last, results[index].number == number {
                results[index].status = sealFindings.map(\.status).max() ?? .passed
            }
            findings += sealFindings
        }
        return findings
    }

    /// RFC 3161 tokens over the seal's signature file (spec/timestamps.md). Without one, the seal's time is only the
    /// signer's claim: a warning, which does not change the verdict.
    private mutating func checkTokens(_ number: Int, paths: [String]) -> [Finding] {
        guard !paths.isEmpty else {
            return [.warning(SealCode.timeClaimedOnly, subject: BundleLayout.sealFile(number),
                             "seal \(number) has no RFC 3161 timestamp: its time is only what the signer's clock said")]
        }
        guard let signed = inventory.files[BundleLayout.sealSignature(number)]?.contents else { return [] }
        let claimed = inventory.files[BundleLayout.sealFile(number)]?.contents
            .flatMap { try? SealStatement(parsing: $0) }.flatMap { UTCTime.parse($0.claimedTime) }
        let roots: TSARoots
        if let given = tsaRoots ?? tsaRootsUsed {
            roots = given
        } else {
            do { roots = try TSARoots.system() } catch {
                roots = TSARoots()
            }
        }
        tsaRootsUsed = roots
        var findings = [Finding]()
        for path in paths {
            guard let token = inventory.files[path]?.contents else {
                findings.append(.failed(TimestampCode.encodingInvalid, subject: path, "the token is too large to be one"))
                continue
            }
            let verified = TimestampVerifier.verify(token: token, data: .bytes(signed), roots: roots,
                                                    validationTime: validationTime, claimedTime: claimed, subject: path)
            tokenResults[path] = verified
            findings += verified.findings
        }
        return findings
    }

    private mutating func checkSeal(_ number: Int, isNewest: Bool, hasSignature: Bool) -> [Finding] {
        let path = BundleLayout.sealFile(number)
        guard let bytes = inventory.files[path]?.contents else {
            return [.failed(SealCode.statementMalformed, subject: path, "the seal statement is too large to be one")]
        }
        let statement: SealStatement
        let signer: PublicKey
        do {
            statement = try preparedStatements[number] ?? SealStatement(parsing: bytes)
            signer = try PublicKey(base64: statement.signerPublicKey)
        } catch let error as AmanaError {
            return [.failed(SealCode.statementMalformed, subject: path, error.reason)]
        } catch {
            return [.failed(SealCode.statementMalformed, subject: path, "\(error)")]
        }
        var findings = [Finding]()
        if signer.keyID.description != statement.signerKeyID {
            findings.append(.failed(SealCode.statementMalformed, subject: path, expected: signer.keyID.description,
                                    found: statement.signerKeyID, "the key id does not match the signer's public key"))
        }
        if statement.number != number {
            findings.append(.failed(SealCode.statementNumber, subject: path, expected: String(number),
                                    found: String(statement.number), "the statement's seal number does not match its file name"))
        }
        // One finding per seal, however many of the bundle's names it differs from: the root folder (or, for a folder,
        // External-Identifier) first, then External-Identifier when a tar's root folder matches but bag-info does not.
        if let expected = [bundleID, declaredID].compactMap({ $0 }).first(where: { $0 != statement.bundleID }) {
            findings.append(.failed(SealCode.bundleMismatch, subject: path, expected: expected, found: statement.bundleID,
                                    "the seal names another bundle; it may have been moved here from elsewhere"))
        }
        let (signatureFindings, signedBy) = checkSignature(number, statementBytes: bytes, signer: signer, hasSignature: hasSignature,
                                                           claimedTime: UTCTime.parse(statement.claimedTime))
        findings += signatureFindings
        // The signature first, the checkpoint after: only a statement its signer's key really signed commits to
        // anything. A statement whose signature does not verify already fails, and its claims about the custody log
        // (a hostile one may claim a million events) are not worth a hash (threat-model.md section 7).
        let unsigned = Set([SealCode.signatureMissing, .signatureMalformed, .signatureInvalid, .signatureKeyMismatch,
                            .signatureCommentInvalid, .signatureLegacy].map(\.rawValue))
        if !signatureFindings.contains(where: { unsigned.contains($0.code) }) {
            statements[number] = statement
        }
        results.append(VerificationReport.SealResult(number: number, signerKeyId: statement.signerKeyID,
                                                     claimedTime: statement.claimedTime, status: .passed,
                                                     signedBy: signedBy.map(VerificationReport.TrustedKeyInfo.init)))
        if number > 1 {
            let previousPath = BundleLayout.sealFile(number - 1)
            let found = inventory.files[previousPath]?.digests[.sha256]?.hex
            if found != statement.previousSeal {
                findings.append(.failed(SealCode.chainMismatch, subject: path, expected: statement.previousSeal,
                                        found: found, "the previous seal is not the one this seal committed to"))
            }
        }
        findings += checkCommitments(number, statement: statement, includeTagManifests: isNewest)
        return findings
    }

    /// The signature's findings, and the trusted key that made it when it is valid and made by one.
    private func checkSignature(_ number: Int, statementBytes: [UInt8], signer: PublicKey, hasSignature: Bool,
                                claimedTime: Date?) -> ([Finding], TrustedKey?) {
        let findings = signatureFindings(number, statementBytes: statementBytes, signer: signer, hasSignature: hasSignature,
                                         claimedTime: claimedTime)
        let valid = findings.contains { $0.code == SealCode.signature.rawValue || $0.code == SealCode.keyValidity.rawValue }
        return (findings, valid ? trusted.key(raw: signer.rawKey) : nil)
    }

    private func signatureFindings(_ number: Int, statementBytes: [UInt8], signer: PublicKey, hasSignature: Bool,
                                   claimedTime: Date?) -> [Finding] {
        let path = BundleLayout.sealSignature(number)
        guard hasSignature, let text = inventory.files[path]?.contents.flatMap({ String(validating: $0, as: UTF8.self) }) else {
            return [.failed(SealCode.signatureMissing, subject: path, "the seal has no readable minisign signature")]
        }
        let signature: MinisignSignature
        do {
            signature = try MinisignSignature(minisignFile: text)
        } catch let error as AmanaError {
            return [.failed(SealCode.signatureMalformed, subject: path, error.reason)]
        } catch {
            return [.failed(SealCode.signatureMalformed, subject: path, "\(error)")]
        }
        // keys.md section 7.2 lets a verifier accept legacy `Ed` in general, for archived minisign signatures; a seal is
        // Amana's own format, which has only ever been written prehashed, so `Ed` here is a forgery or a foreign tool.
        guard signature.algorithm == .prehashed else {
            return [.failed(SealCode.signatureLegacy, subject: path, expected: MinisignSignature.Algorithm.prehashed.rawValue,
                            found: signature.algorithm.rawValue,
                            "the seal is signed with legacy Ed (the statement itself) instead of prehashed ED")]
        }
        switch preparedChecks[number] ?? signer.verify(signature, message: statementBytes) {
        case .valid:
            break
        case .keyMismatch(let expected, let found):
            return [.failed(SealCode.signatureKeyMismatch, subject: path, expected: expected.description,
                            found: found.description, "the signature was made by another key than the seal names")]
        case .invalidSignature:
            return [.failed(SealCode.signatureInvalid, subject: path,
                            "the signature does not match the seal statement: the statement or the signature was altered")]
        case .invalidTrustedComment:
            return [.failed(SealCode.signatureCommentInvalid, subject: path,
                            "the signature's trusted comment was altered")]
        }
        let keyID = signer.keyID.description
        let who = [signer.name, signer.organization].compactMap { $0 }.joined(separator: ", ")
        let label = who.isEmpty ? keyID : "\(keyID) (claims to be \(who))"
        if let match = trusted.key(raw: signer.rawKey) {
            if let claimedTime, let problem = match.validityProblem(at: claimedTime) {
                return [Finding(SealCode.keyValidity, problem.status, subject: path, message: "seal \(number) by \(match.label): \(problem.reason)")]
            }
            return [.passed(SealCode.signature, subject: path,
                            "seal \(number): valid signature by trusted key \(match.label) from \(match.source)")]
        }
        if let impostor = trusted.key(id: signer.keyID) {
            return [.failed(SealCode.keySubstituted, subject: path, expected: impostor.key.base64, found: signer.base64,
                            "the signer uses the key id of trusted key \(keyID) from \(impostor.source), but a different key")]
        }
        return [.indeterminate(SealCode.keyUntrusted, subject: path,
                               "seal \(number): valid signature by key \(label), which is not among the trusted keys")]
    }

    /// An adopted bag's MD5 or SHA-1 payload manifest, which no seal may name (seal.md section 5.1). BagIt still checks
    /// it against the payload the committed manifests pin, and the tag manifests list it, so it cannot lie unnoticed.
    static func isWeakPayloadManifest(_ file: String) -> Bool {
        guard let named = Manifest.identify(fileName: file), named.kind == .payload else { return false }
        return DigestAlgorithm(bagItName: named.algorithmName)?.isBroken == true
    }

    /// The newest seal must match the current manifests and tag manifests. Earlier seals can only be held to the
    /// payload manifests: later seals legitimately change tag files (spec/seal.md, "Several seals").
    private mutating func checkCommitments(_ number: Int, statement: SealStatement, includeTagManifests: Bool) -> [Finding] {
        let path = BundleLayout.sealFile(number)
        var findings = [Finding]()
        var checked = [String]()
        func compare(_ committed: [SealStatement.FileDigest], name: (DigestAlgorithm) -> String, prefix: String) {
            for entry in committed {
                let file = name(entry.algorithm)
                let found = inventory.files[file]?.digests[entry.algorithm]?.hex
                if found != entry.hex {
                    findings.append(.failed(SealCode.commitmentMismatch, subject: file, expected: entry.hex, found: found ?? "(missing)",
                                            "\(file) is not the file seal \(number) signed"))
                }
                checked.append(file)
            }
            let committedNames = Set(committed.map { name($0.algorithm) })
            for file in topLevelFiles where file.hasBytePrefix(prefix) && !committedNames.contains(file)
                && !SealRule.isWeakPayloadManifest(file) {
                findings.append(.failed(SealCode.commitmentMissing, subject: file,
                                        "\(file) is not covered by seal \(number)"))
            }
        }
        compare(statement.manifests, name: BundleLayout.manifest, prefix: "manifest-")
        if includeTagManifests {
            compare(statement.tagManifests, name: BundleLayout.tagManifest, prefix: "tagmanifest-")
        }
        if findings.isEmpty {
            findings.append(.passed(SealCode.commitments, subject: path,
                                    "seal \(number) commits to \(checked.joined(separator: ", ")), and they match"))
        }
        return findings
    }

    /// Fills ``preparedChecks`` for the seals that have a statement and a signature, in parallel. A seal whose files do
    /// not parse gets no entry; ``signatureFindings`` then reports why, as it always did.
    private mutating func prepareSignatureChecks(_ numbers: [Int]) {
        guard numbers.count > 16 else { return }
        let inputs: [(statement: [UInt8], signature: [UInt8])?] = numbers.map { number in
            guard let statement = inventory.files[BundleLayout.sealFile(number)]?.contents,
                  let signature = inventory.files[BundleLayout.sealSignature(number)]?.contents else { return nil }
            return (statement, signature)
        }
        let results = UnsafeMutableBufferPointer<(SealStatement, SignatureCheck)?>.allocate(capacity: numbers.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let out = CheckBuffer(results)
        let workers = ProcessInfo.processInfo.activeProcessorCount
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: inputs.count, by: workers) {
                guard let input = inputs[index],
                      let statement = try? SealStatement(parsing: input.statement),
                      let signer = try? PublicKey(base64: statement.signerPublicKey),
                      let text = String(validating: input.signature, as: UTF8.self),
                      let signature = try? MinisignSignature(minisignFile: text)
                else { continue }
                out.buffer[index] = (statement, signer.verify(signature, message: input.statement))
            }
        }
        for (index, number) in numbers.enumerated() {
            if let (statement, check) = results[index] {
                preparedStatements[number] = statement
                preparedChecks[number] = check
            }
        }
    }

    /// Lets `concurrentPerform` write disjoint slots of one buffer.
    private struct CheckBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<(SealStatement, SignatureCheck)?>
        init(_ buffer: UnsafeMutableBufferPointer<(SealStatement, SignatureCheck)?>) { self.buffer = buffer }
    }
}
