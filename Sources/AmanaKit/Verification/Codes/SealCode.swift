/// The stable finding codes of the `seal` group: seals and their chain (seal.md section 5).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum SealCode: String, FindingCode {
    /// failed: `Bundle-Id` is not the root folder name or not External-Identifier; one finding per seal.
    case bundleMismatch = "seal.bundle.mismatch"
    /// failed: `Previous-Seal` is not the digest of the previous seal file.
    case chainMismatch = "seal.chain.mismatch"
    /// failed: a manifest (or, for the newest seal, a tag manifest) is not the file the seal signed.
    case commitmentMismatch = "seal.commitment.mismatch"
    /// failed: a manifest the seal does not commit to.
    case commitmentMissing = "seal.commitment.missing"
    /// passed: the seal's commitments match the bundle's manifests.
    case commitments = "seal.commitments"
    /// failed: anything in `seals/` but seal statements, their signatures and tokens over those signatures.
    case fileUnexpected = "seal.file.unexpected"
    /// failed: the signer carries a trusted key's id with other key bytes: an impersonation attempt.
    case keySubstituted = "seal.key.substituted"
    /// indeterminate: a valid signature by a key the verifier was not told to trust.
    case keyUntrusted = "seal.key.untrusted"
    /// failed, or indeterminate before a revocation (keys.md section 10a)
    case keyValidity = "seal.key.validity"
    /// failed: an Amana bundle with no seal, so nothing vouches for its contents.
    case missing = "seal.missing"
    /// failed: a seal number below the highest is missing; seals are numbered from 1 without gaps.
    case sequenceGap = "seal.sequence.gap"
    /// passed: a valid signature by a trusted key, valid at the claimed time.
    case signature = "seal.signature"
    /// failed: the global signature over the trusted comment does not verify.
    case signatureCommentInvalid = "seal.signature.comment-invalid"
    /// failed: the signature does not verify over the statement: the statement or the signature was altered.
    case signatureInvalid = "seal.signature.invalid"
    /// failed: the signature's key id is not the signer's the statement names.
    case signatureKeyMismatch = "seal.signature.key-mismatch"
    /// failed: the seal signature uses legacy `Ed` (the message signed as it is) instead of prehashed `ED`; seal.md
    /// section 4 admits only `ED`.
    case signatureLegacy = "seal.signature.legacy"
    /// failed: the signature file is not a minisign signature (keys.md section 9).
    case signatureMalformed = "seal.signature.malformed"
    /// failed: a seal statement without a readable signature file.
    case signatureMissing = "seal.signature.missing"
    /// failed: the statement breaks seal.md section 3 (grammar, canonical form, Previous-Seal presence, key id).
    case statementMalformed = "seal.statement.malformed"
    /// failed: the statement's `Seal-Number` is not its file name's.
    case statementNumber = "seal.statement.number"
    /// warning: the seal has no RFC 3161 token
    case timeClaimedOnly = "seal.time.claimed-only"
}
