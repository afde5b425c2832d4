/// The seal's minisign signature: present, prehashed, made by the key the statement names over the statement's
/// bytes, and by a key the caller trusts, valid at the seal's claimed time.
///
/// The signature is checked with the key the statement carries, so a seal by an unknown key is still checked
/// mathematically: valid-but-untrusted is INDETERMINATE, invalid is TOTAL-FAILED. Trust comes only from the keys the
/// caller passes; the bundle can never vouch for itself.
struct SealSignatureRule: VerificationRule {
    let seal: SealUnderCheck
    /// The check made in the parallel pass, when there was one.
    var prepared: SignatureCheck?

    /// The codes that mean the statement is not known to be signed by its signer: its claims are not worth checking.
    static let unsigned = Set([SealCode.signatureMissing, .signatureMalformed, .signatureInvalid, .signatureKeyMismatch,
                               .signatureCommentInvalid, .signatureLegacy].map(\.rawValue))

    /// The trusted key that made the signature, when `findings` (this rule's) say it is valid.
    func signedBy(_ findings: [Finding], trust: TrustSet) -> TrustedKey? {
        let valid = findings.contains { $0.code == SealCode.signature.rawValue || $0.code == SealCode.keyValidity.rawValue }
        return valid ? trust.key(raw: seal.signer.rawKey) : nil
    }

    func check(_ context: inout VerificationContext) -> [Finding] {
        let number = seal.number
        let signer = seal.signer
        let path = BundleLayout.sealSignature(number)
        guard seal.hasSignature,
              let text = context.inventory.files[path]?.contents.flatMap({ String(validating: $0, as: UTF8.self) }) else {
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
        switch prepared ?? signer.verify(signature, message: seal.bytes) {
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
        return trustFindings(path: path, trust: context.trust)
    }

    /// A valid signature's signer against the trust set: trusted and valid at the claimed time, a substitute for a
    /// trusted key, or unknown.
    private func trustFindings(path: String, trust: TrustSet) -> [Finding] {
        let number = seal.number
        let signer = seal.signer
        let keyID = signer.keyID.description
        let who = [signer.name, signer.organization].compactMap { $0 }.joined(separator: ", ")
        let label = who.isEmpty ? keyID : "\(keyID) (claims to be \(who))"
        if let match = trust.key(raw: signer.rawKey) {
            if let claimedTime = UTCTime.parse(seal.statement.claimedTime), let problem = match.validityProblem(at: claimedTime) {
                return [Finding(SealCode.keyValidity, problem.status, subject: path, message: "seal \(number) by \(match.label): \(problem.reason)")]
            }
            return [.passed(SealCode.signature, subject: path,
                            "seal \(number): valid signature by trusted key \(match.label) from \(match.source)")]
        }
        if let impostor = trust.key(id: signer.keyID) {
            return [.failed(SealCode.keySubstituted, subject: path, expected: impostor.key.base64, found: signer.base64,
                            "the signer uses the key id of trusted key \(keyID) from \(impostor.source), but a different key")]
        }
        return [.indeterminate(SealCode.keyUntrusted, subject: path,
                               "seal \(number): valid signature by key \(label), which is not among the trusted keys")]
    }
}
