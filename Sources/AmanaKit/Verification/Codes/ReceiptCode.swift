/// The stable finding codes of the `receipt` group: a hand-off receipt given to `custody show --receipt` (custody-
/// log.md section 8.1).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum ReceiptCode: String, FindingCode {
    /// failed: the receipt acknowledges another bundle.
    case bundleMismatch = "receipt.bundle.mismatch"
    /// failed: the receipt's signer carries a trusted key's id with other key bytes: a forged receipt.
    case keySubstituted = "receipt.key.substituted"
    /// indeterminate: a valid receipt signed by a key the verifier was not told to trust.
    case keyUntrusted = "receipt.key.untrusted"
    /// failed, or indeterminate before a revocation
    case keyValidity = "receipt.key.validity"
    /// passed: the bundle's log still begins with the events the receipt acknowledged.
    case log = "receipt.log"
    /// failed: the bundle's first `custody.length` events are not the ones acknowledged: history was rewritten after
    /// the hand-off.
    case logDiverged = "receipt.log.diverged"
    /// passed: the receipt is validly signed by a trusted key, valid at `receivedAt`.
    case signature = "receipt.signature"
    /// failed: the receipt's signature does not verify, or its key id is not its key's.
    case signatureInvalid = "receipt.signature.invalid"
}
