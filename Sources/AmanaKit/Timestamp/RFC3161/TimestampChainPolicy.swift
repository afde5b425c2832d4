import SwiftASN1
import X509

/// The chain rule that RFC 5280 leaves to the application: what extended key usage means in a TSA's chain.
///
/// It handles the extended-key-usage extension, which TSA certificates mark critical and ``RFC5280Policy`` does not
/// claim, so without this policy swift-certificates would refuse every conforming TSA certificate. The leaf's EKU is
/// judged by ``TimestampingEKURule`` (timeStamping only, critical), which reports `timestamp.eku.invalid` on its own;
/// here a CA certificate that restricts its EKU must still allow timeStamping (or anyExtendedKeyUsage), so a CA
/// issued for, say, TLS servers cannot vouch for a TSA.
struct TimestampChainPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.extendedKeyUsage]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        for certificate in chain.dropFirst() {
            guard let usage = try? certificate.extensions.extendedKeyUsage else {
                if certificate.extensions[oid: .X509ExtensionID.extendedKeyUsage] != nil {
                    return .failsToMeetPolicy(reason: "TimestampChainPolicy: malformed extended key usage in \(certificate.subject)")
                }
                continue
            }
            if !usage.contains(.timeStamping) && !usage.contains(.any) {
                return .failsToMeetPolicy(
                    reason: "TimestampChainPolicy: the CA \(certificate.subject) may not issue time-stamping certificates")
            }
        }
        return .meetsPolicy
    }
}
