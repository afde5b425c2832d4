/// The stable finding codes of the `custody` group: the custody log (custody-log.md sections 5 and 6).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
public enum CustodyCode: String, FindingCode {
    /// failed
    case actorSubstituted = "custody.actor.substituted"
    /// indeterminate
    case actorUntrusted = "custody.actor.untrusted"
    /// failed, or indeterminate before a revocation
    case actorValidity = "custody.actor.validity"
    /// passed
    case chain = "custody.chain"
    /// failed
    case chainBroken = "custody.chain.broken"
    /// failed
    case checkpointRegressed = "custody.checkpoint.regressed"
    /// passed
    case checkpoints = "custody.checkpoints"
    /// failed
    case eventMalformed = "custody.event.malformed"
    /// failed
    case fork = "custody.fork"
    /// warning
    case itemAbsent = "custody.item.absent"
    /// failed
    case itemMismatch = "custody.item.mismatch"
    /// failed
    case malformed = "custody.malformed"
    /// failed
    case missing = "custody.missing"
    /// failed
    case rootMismatch = "custody.root.mismatch"
    /// warning
    case sealUnrecorded = "custody.seal.unrecorded"
    /// failed
    case seqInvalid = "custody.seq.invalid"
    /// failed
    case signatureInvalid = "custody.signature.invalid"
    /// warning
    case timeBackwards = "custody.time.backwards"
    /// failed
    case truncated = "custody.truncated"
    /// failed
    case unsealed = "custody.unsealed"
}
