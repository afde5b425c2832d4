import X509

/// RFC 3161 section 2.4.2: "If present, the tsa field MUST correspond to one of the subject names included in the
/// certificate that is to be used to verify the token."
struct TSANameRule {
    let tsa: GeneralName?
    let signer: Certificate

    func check(_ findings: inout TimestampFindings) {
        guard let tsa else { return }
        let alternatives = Array((try? signer.extensions.subjectAlternativeNames) ?? nil ?? SubjectAlternativeNames())
        if case .directoryName(let name) = tsa, name == signer.subject { return }
        if alternatives.contains(tsa) { return }
        findings.failed(.tsaNameMismatch, "the token's tsa field names \(tsa), which is not the signer certificate's "
                        + "subject \(signer.subject)", expected: "\(signer.subject)", found: "\(tsa)")
    }
}
