/// One rule of the bundle profile: it reads what verification has learned so far and returns its findings.
///
/// Every rule has the same shape, so the verifier runs a list of them and a new rule is a new file, not a new branch
/// in the verifier. A rule never throws and never stops the others: a failed check is a finding (principle: every
/// finding is collected). Rules that learn something later rules need (the seal statements whose signatures verified,
/// say) leave it in the ``VerificationContext``, which is why it is passed `inout`.
protocol VerificationRule {
    func check(_ context: inout VerificationContext) -> [Finding]
}
