import X509

/// RFC 3161 section 2.3: "The TSA MUST sign each time-stamp message with a key reserved specifically for that
/// purpose", and the certificate "MUST contain only one instance of the extended key usage field extension ... with
/// KeyPurposeID having value id-kp-timeStamping. This extension MUST be critical."
struct TimestampingEKURule {
    let signer: Certificate

    func check(_ findings: inout TimestampFindings) {
        let subject = signer.subject.description
        let instances = signer.extensions.filter { $0.oid == .X509ExtensionID.extendedKeyUsage }
        guard instances.count == 1, let ext = instances.first else {
            findings.failed(.ekuInvalid, instances.isEmpty
                ? "the TSA certificate \(subject) has no extended key usage; RFC 3161 requires timeStamping, critical"
                : "the TSA certificate \(subject) has more than one extended key usage extension")
            return
        }
        guard let usage = try? ExtendedKeyUsage(ext) else {
            findings.failed(.ekuInvalid, "the TSA certificate \(subject) has a malformed extended key usage")
            return
        }
        let usages = Array(usage)
        if usages != [.timeStamping] {
            findings.failed(.ekuInvalid, "the TSA certificate \(subject) may be used for \(usages.map { "\($0)" }.joined(separator: ", ")); "
                            + "RFC 3161 requires timeStamping only", expected: "timeStamping",
                            found: usages.map { "\($0)" }.joined(separator: ","))
        } else if !ext.critical {
            findings.failed(.ekuInvalid, "the TSA certificate \(subject) does not mark its extended key usage critical, "
                            + "as RFC 3161 requires", expected: "critical", found: "not critical")
        }
    }
}
