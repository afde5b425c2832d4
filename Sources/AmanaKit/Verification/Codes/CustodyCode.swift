/// The stable finding codes of the `custody` group: the custody log (custody-log.md sections 5 and 6).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum CustodyCode: String, FindingCode {
    /// failed: an event's key carries a trusted key's id with other key bytes: an impersonation attempt.
    case actorSubstituted = "custody.actor.substituted"
    /// indeterminate: events validly signed by a key the verifier was not told to trust (one finding per key).
    case actorUntrusted = "custody.actor.untrusted"
    /// failed, or indeterminate before a revocation
    case actorValidity = "custody.actor.validity"
    /// passed: every event is well-formed, chained to the one before and validly signed.
    case chain = "custody.chain"
    /// failed: `prev` is not the digest of the line before (or, for event 1, of this bundle's genesis).
    case chainBroken = "custody.chain.broken"
    /// failed: a later seal commits to fewer events than an earlier one; the log only grows.
    case checkpointRegressed = "custody.checkpoint.regressed"
    /// passed: every seal's checkpoint matches the prefix of the log it committed to.
    case checkpoints = "custody.checkpoints"
    /// failed: one line is not a well-formed canonical event (custody-log.md section 3.1), or its key id is not its
    /// key's.
    case eventMalformed = "custody.event.malformed"
    /// failed: an earlier seal's prefix does not match while a later seal's does: history was rewritten in between.
    case fork = "custody.fork"
    /// warning: an event names a path the bundle does not hold.
    case itemAbsent = "custody.item.absent"
    /// failed: an event's digest of an item differs from the payload file's.
    case itemMismatch = "custody.item.mismatch"
    /// failed: the log as a whole cannot be split into event lines; no event is judged.
    case malformed = "custody.malformed"
    /// failed: an Amana bundle without `amana/custody.jsonl`.
    case missing = "custody.missing"
    /// failed: the first n events are not the ones a seal signed (its checkpoint root differs).
    case rootMismatch = "custody.root.mismatch"
    /// warning: no `sealed` event for a seal within the events it covers.
    case sealUnrecorded = "custody.seal.unrecorded"
    /// failed: `seq` is not the line number: an event was reordered, replayed or duplicated.
    case seqInvalid = "custody.seq.invalid"
    /// failed: the actor's signature over the event does not verify: the event was altered after signing.
    case signatureInvalid = "custody.signature.invalid"
    /// warning: an event claims a time more than 5 minutes before the latest earlier event.
    case timeBackwards = "custody.time.backwards"
    /// failed: the log holds fewer events than a seal committed to: events were removed.
    case truncated = "custody.truncated"
    /// failed: the newest seal does not cover every event; the uncovered ones are vouched for by no seal.
    case unsealed = "custody.unsealed"
}
