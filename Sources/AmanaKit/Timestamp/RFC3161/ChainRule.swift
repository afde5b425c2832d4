import Dispatch
import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// Builds the TSA certificate's chain from the token's certificates plus the given ones, to a self-signed certificate
/// the caller gave, and validates it AT genTime (RFC 5280 with `ExpiryPolicy` fixed to genTime). A TSA certificate
/// that has since expired therefore does not make its old tokens "expire" with it: what matters is that it was valid
/// when it signed. (Revocation is not checked: Amana verifies offline.)
///
/// Outcomes: a valid chain passes; no chain to any trusted root is indeterminate (`timestamp.chain.untrusted`); a
/// chain to a trusted root that is invalid at genTime, or a certificate that names a trusted certificate as its
/// issuer but is not signed by it (a lookalike), fails (`timestamp.chain.invalid`). When swift-certificates tried
/// several chains, the finding names every one and why it failed, not only the first.
struct ChainRule {
    let signer: Certificate
    let embedded: [Certificate]
    let roots: TSARoots
    let genTime: Date

    /// The handled critical extensions: RFC5280Policy's and ours.
    static let handledCritical: Set<ASN1ObjectIdentifier> = [
        .X509ExtensionID.basicConstraints, .X509ExtensionID.nameConstraints, .X509ExtensionID.keyUsage,
        .X509ExtensionID.extendedKeyUsage,
    ]

    /// Returns the validated chain (leaf first), or nil.
    func check(_ findings: inout TimestampFindings) -> [Certificate]? {
        let genText = UTCTime.format(genTime)
        if let unknown = signer.extensions.first(where: { $0.critical && !ChainRule.handledCritical.contains($0.oid) }) {
            findings.failed(.chainInvalid, "the TSA certificate \(signer.subject) has a critical extension \(unknown.oid) "
                            + "that Amana does not understand")
            return nil
        }
        let anchors = roots.anchors
        let intermediates = embedded + roots.certificates.filter { !anchors.contains($0) }
        let result = ChainRule.validate(leaf: signer, anchors: anchors, intermediates: intermediates, at: genTime)
        switch result {
        case .validCertificate(let chain):
            return Array(chain)
        case .couldNotValidate(let failures):
            let reasons = ChainRule.reasons(failures)
            if reasons.count == 1, let failure = failures.first {
                findings.failed(.chainInvalid, "the chain of \(signer.subject) to the trusted root "
                                + "\(failure.chain.last?.subject.description ?? "?") is not valid at genTime \(genText): "
                                + "\(failure.policyFailureReason)")
            } else if !reasons.isEmpty {
                // Each candidate chain fails for its own reason; the first alone could hide the one that matters
                // (say, a re-issued intermediate that is fine but for a policy, beside an expired one).
                let numbered = reasons.enumerated().map { "(\($0.offset + 1)) \($0.element)" }
                findings.failed(.chainInvalid, "none of the \(reasons.count) chains of \(signer.subject) to a trusted root "
                                + "is valid at genTime \(genText): " + numbered.joined(separator: "; "))
            } else if let (certificate, lookalike) = lookalikeIssuer() {
                findings.failed(.chainInvalid, "\(certificate.subject) names \(certificate.issuer) as its issuer, but the "
                                + "trusted certificate of that name (SHA-256 \(ChainRule.fingerprint(lookalike))) did not "
                                + "sign it: a lookalike CA, or a root you were not given")
            } else {
                let sourceText = roots.isSystem ? "the system trust store (\(TSARoots.systemBundlePath))"
                    : roots.certificates.isEmpty ? "no TSA roots" : "the given TSA roots"
                findings.indeterminate(.chainUntrusted, "the TSA certificate \(signer.subject) (issued by "
                                       + "\(signer.issuer)) does not chain to \(sourceText); pass its root with --tsa-root "
                                       + "if you trust it")
            }
            return nil
        }
    }

    /// Walks issuer links (by name, signature checked) from the leaf through every certificate known, looking for a
    /// certificate whose issuer name matches a given (trusted) certificate that did not sign it.
    private func lookalikeIssuer() -> (Certificate, Certificate)? {
        let pool = embedded + roots.certificates
        var frontier = [signer]
        var visited = [Certificate]()
        while let current = frontier.popLast() {
            visited.append(current)
            let named = roots.certificates.filter { $0.subject == current.issuer && $0 != current }
            if let impostor = named.first(where: { !$0.publicKey.isValidSignature(current.signature, for: current) }),
               !named.contains(where: { $0.publicKey.isValidSignature(current.signature, for: current) }) {
                return (current, impostor)
            }
            for parent in pool where parent.subject == current.issuer && parent != current && !visited.contains(parent)
                && parent.publicKey.isValidSignature(current.signature, for: current) {
                frontier.append(parent)
            }
        }
        return nil
    }

    /// One line per failed chain, in the order swift-certificates tried them: the chain's subjects, leaf first, and why
    /// it failed. Lines that read the same (two chains through equally named certificates, failing alike) appear once.
    static func reasons(_ failures: [CertificateValidationResult.PolicyFailure]) -> [String] {
        var seen = Set<String>()
        return failures.compactMap { failure in
            let path = failure.chain.map { $0.subject.description }.joined(separator: " -> ")
            let line = "\(path): \(failure.policyFailureReason)"
            return seen.insert(line).inserted ? line : nil
        }
    }

    static func fingerprint(_ certificate: Certificate) -> String {
        MultiDigest.digests(of: (try? TSARoots.der(certificate)) ?? [], [.sha256])[.sha256]!.hex
    }

    /// Runs swift-certificates' (async) path builder to completion on a detached task and waits for it. Callers are
    /// synchronous (the CLI, the bundle verifier); the work never waits on the caller's thread, so it cannot deadlock.
    static func validate(leaf: Certificate, anchors: [Certificate], intermediates: [Certificate],
                         at time: Date) -> CertificateValidationResult {
        let box = Locked<CertificateValidationResult?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            var verifier = X509.Verifier(rootCertificates: CertificateStore(anchors)) {
                RFC5280Policy(fixedExpiryValidationTime: time)
                TimestampChainPolicy()
            }
            let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
            box.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return box.withLock { $0! }
    }
}
