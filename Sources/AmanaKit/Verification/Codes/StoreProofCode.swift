/// The stable finding codes of the `storeproof` group: the acquisition events a bundle sealed from an evidence store
/// carries, with their inclusion proofs against a signed store checkpoint (custody-log.md section 9).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum StoreProofCode: String, FindingCode {
    /// failed: an acquisition event names a case other than the bundle's, or the proofs file's case is not the
    /// bundle's: an acquisition moved from another case.
    case caseMismatch = "storeproof.case.mismatch"
    /// failed: the checkpoint's signature does not verify under the key it names (or that key's id is not the one it
    /// claims): it was altered, or signed by another key.
    case checkpointSignature = "storeproof.checkpoint.signature"
    /// failed: the checkpoint's key carries a trusted key's id with other key bytes: an impersonation attempt.
    case checkpointSubstituted = "storeproof.checkpoint.substituted"
    /// failed, or indeterminate before a revocation: the checkpoint's claimed time is outside its trusted key's
    /// validity in the keyring.
    case checkpointValidity = "storeproof.checkpoint.validity"
    /// indeterminate: a valid checkpoint signed by a key the verifier was not told to trust.
    case checkpointUntrusted = "storeproof.checkpoint.untrusted"
    /// failed: an event's inclusion proof does not lead from its leaf to the checkpoint's root: the event was edited
    /// after the store recorded it, or is not the store's.
    case inclusionInvalid = "storeproof.inclusion.invalid"
    /// failed: a carried acquisition names content that is not a payload file of the bundle.
    case itemMismatch = "storeproof.item.mismatch"
    /// failed: `amana/store-proofs.json` is not a well-formed proofs file, does not match the log's first lines, or a
    /// carried line is not an acquisition event.
    case malformed = "storeproof.malformed"
    /// failed: a payload file that no carried acquisition event names: its acquisition or its proof was dropped.
    case missing = "storeproof.missing"
    /// passed: every carried acquisition is included in the store's checkpoint, signed by a trusted key, of this
    /// case, and names a payload file, and every payload file has one.
    case proven = "storeproof.proven"
}
