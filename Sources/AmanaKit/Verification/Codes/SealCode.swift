/// The stable finding codes of the `seal` group: seals and their chain (seal.md section 5).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
public enum SealCode: String, FindingCode {
    /// failed
    case bundleMismatch = "seal.bundle.mismatch"
    /// failed
    case chainMismatch = "seal.chain.mismatch"
    /// failed
    case commitmentMismatch = "seal.commitment.mismatch"
    /// failed
    case commitmentMissing = "seal.commitment.missing"
    /// passed
    case commitments = "seal.commitments"
    /// failed
    case fileUnexpected = "seal.file.unexpected"
    /// failed
    case keySubstituted = "seal.key.substituted"
    /// indeterminate
    case keyUntrusted = "seal.key.untrusted"
    /// failed, or indeterminate before a revocation (keys.md section 10a)
    case keyValidity = "seal.key.validity"
    /// failed
    case missing = "seal.missing"
    /// failed
    case sequenceGap = "seal.sequence.gap"
    /// passed
    case signature = "seal.signature"
    /// failed
    case signatureCommentInvalid = "seal.signature.comment-invalid"
    /// failed
    case signatureInvalid = "seal.signature.invalid"
    /// failed
    case signatureKeyMismatch = "seal.signature.key-mismatch"
    /// failed: the seal signature uses legacy `Ed` (the message signed as it is) instead of prehashed `ED`; seal.md
    /// section 4 admits only `ED`.
    case signatureLegacy = "seal.signature.legacy"
    /// failed
    case signatureMalformed = "seal.signature.malformed"
    /// failed
    case signatureMissing = "seal.signature.missing"
    /// failed
    case statementMalformed = "seal.statement.malformed"
    /// failed
    case statementNumber = "seal.statement.number"
    /// warning: the seal has no RFC 3161 token
    case timeClaimedOnly = "seal.time.claimed-only"
}
