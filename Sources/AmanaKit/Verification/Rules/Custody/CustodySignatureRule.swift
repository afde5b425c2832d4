/// A custody event's signature verifies with its actor's key, and that key is trusted, valid at the event's time;
/// a key that reuses a trusted key's id is a substitution, any other signer is untrusted.
struct CustodySignatureRule {
    let trust: TrustSet

    /// What the rule found about one event's signer.
    struct Judgement {
        var problems = [Finding]()
        var signatureValid = false
        var holder: TrustedKey?
        /// The label of an untrusted signer, whose events are reported together in one finding.
        var untrustedLabel: String?
    }

    func check(_ event: CustodyEvent, prepared: PreparedCustodyEvent, number: Int, subject: String) -> Judgement {
        var judgement = Judgement()
        guard case .parsed(_, let key, let signatureVerifies, _) = prepared.content, let actorKey = key else {
            judgement.problems.append(.failed(CustodyCode.eventMalformed, subject: subject, "the actor's key id does not match its public key"))
            return judgement
        }
        judgement.signatureValid = signatureVerifies
        if !signatureVerifies {
            judgement.problems.append(.failed(CustodyCode.signatureInvalid, subject: subject,
                                              "the signature of event \(number) does not verify: the event was altered after signing"))
        } else if let match = trust.key(raw: actorKey.rawKey) {
            judgement.holder = match
            if let time = prepared.time, let problem = match.validityProblem(at: time) {
                judgement.problems.append(Finding(CustodyCode.actorValidity, problem.status, subject: subject,
                                                  message: "event \(number) by \(match.label): \(problem.reason)"))
            }
        } else if let impostor = trust.key(id: actorKey.keyID) {
            judgement.problems.append(.failed(CustodyCode.actorSubstituted, subject: subject, expected: impostor.key.base64,
                                              found: actorKey.base64, "event \(number) uses the key id of trusted key \(impostor.label), but a different key"))
        } else {
            let who = [event.actor.name, event.actor.organization].compactMap { $0 }.joined(separator: ", ")
            judgement.untrustedLabel = who.isEmpty ? event.actor.keyID : "\(event.actor.keyID) (claims to be \(who))"
        }
        return judgement
    }
}
