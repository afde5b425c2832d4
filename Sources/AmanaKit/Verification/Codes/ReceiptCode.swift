/// The stable finding codes of the `receipt` group: a hand-off receipt given to `custody show --receipt` (custody-log.md section 8.1).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
public enum ReceiptCode: String, FindingCode {
    /// failed
    case bundleMismatch = "receipt.bundle.mismatch"
    /// failed
    case keySubstituted = "receipt.key.substituted"
    /// indeterminate
    case keyUntrusted = "receipt.key.untrusted"
    /// failed, or indeterminate before a revocation
    case keyValidity = "receipt.key.validity"
    /// passed
    case log = "receipt.log"
    /// failed
    case logDiverged = "receipt.log.diverged"
    /// passed
    case signature = "receipt.signature"
    /// failed
    case signatureInvalid = "receipt.signature.invalid"
}
