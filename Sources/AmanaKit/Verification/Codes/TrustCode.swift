/// The stable finding codes of the `trust` group: the trust inputs the caller gave (keys.md section 10b).
///
/// Scripts match on the raw values, so a case is never renamed; spec/verification-report.md section 5 lists every
/// code with its status, and `CodeTableTests` holds that table and these cases to the same set.
package enum TrustCode: String, FindingCode {
    /// warning: the inputs disagree about who holds a key; every source's statement is in the message and in
    /// `trust.keys[].sources`
    case keyConflict = "trust.key.conflict"
}
