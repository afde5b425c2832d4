import AmanaKit

/// The human form of a verification report: a line per group of checks, then a verdict line that says what was
/// verified and against which keys. Everything that did not pass is listed individually, never summarised away.
enum ReportPrinter {
    static func print(_ report: VerificationReport) {
        Output.line("verifying \(report.subject.path) (\(report.subject.kind)), bundle \(report.subject.bundleId ?? "(unknown id)")")
        var groups = [String]()
        for finding in report.findings where !groups.contains(finding.group) { groups.append(finding.group) }
        let width = max(8, groups.map(\.count).max() ?? 0)
        for group in groups {
            let findings = report.findings.filter { $0.group == group }
            let pad = group.padding(toLength: width, withPad: " ", startingAt: 0)
            for finding in findings where finding.status == .passed {
                Output.line("  \(pad)  ok      \(finding.message)")
            }
            for finding in findings where finding.status != .passed {
                let label: String
                switch finding.status {
                case .failed: label = "FAILED "
                case .indeterminate: label = "UNSURE "
                default: label = "warning"
                }
                var text = "\(finding.code)"
                if let subject = finding.subject { text += " \(subject)" }
                text += ": \(finding.message)"
                if let expected = finding.expected { text += " (expected \(expected)" + (finding.found.map { ", found \($0)" } ?? "") + ")" }
                else if let found = finding.found { text += " (found \(found))" }
                Output.line("  \(pad)  \(label) \(text)")
            }
        }
        Output.line("verdict: \(report.verdict.rawValue)")
        Output.line("  " + explanation(report))
        if let idle = idleTrustLine(report) { Output.line("  " + idle) }
    }

    /// The verdict's meaning in one sentence. It names exactly the keys that signed seals, never the trust inputs
    /// as a whole: a clerk must not read "signed by the field team" when only another trusted key signed.
    static func explanation(_ report: VerificationReport) -> String {
        let s = report.summary
        let checked = report.trust.keys.isEmpty ? "no trusted keys" : "\(report.trust.keys.count) trusted key\(report.trust.keys.count == 1 ? "" : "s")"
        // A plain BagIt bag has no seal to be "not the bundle that was sealed", and no signer to --trust.
        if report.findings.contains(where: { $0.code == BundleCode.unsealed.rawValue }) {
            switch report.verdict {
            case .totalFailed:
                return "\(s.failed) check\(s.failed == 1 ? "" : "s") failed: this plain BagIt bag (no Amana seal) is damaged or not valid BagIt"
            default:
                let others = s.indeterminate - 1
                let files = others == 0 ? "its files match its manifests"
                    : "\(others) other check\(others == 1 ? "" : "s") could not be established"
                return "a plain BagIt bag with no Amana seal: \(files), but nothing shows who made it or when; 'amana seal --bag' adopts it into a sealed bundle"
            }
        }
        switch report.verdict {
        case .totalPassed:
            let signers = signerLabels(report)
            let by = signers.isEmpty ? "a trusted key" : "trusted key\(signers.count == 1 ? "" : "s") \(signers.joined(separator: ", "))"
            return "every payload and tag file matches its manifests, and every seal is a valid signature by \(by)"
                + (s.warning > 0 ? " (\(s.warning) warning\(s.warning == 1 ? "" : "s") above)" : "")
        case .totalFailed:
            return "\(s.failed) check\(s.failed == 1 ? "" : "s") failed: this is not the bundle that was sealed, or it is damaged (checked against \(checked))"
        case .indeterminate:
            return "nothing contradicts the bundle, but \(s.indeterminate) check\(s.indeterminate == 1 ? "" : "s") could not be established (checked against \(checked)); pass the signer's public key with --trust if you trust it"
        }
    }

    /// The trust inputs that signed no seal, as a line of their own (nil when every trusted key signed one).
    static func idleTrustLine(_ report: VerificationReport) -> String? {
        let signed = Set((report.seals ?? []).compactMap { $0.signedBy?.keyId })
        let idle = report.trust.keys.filter { !signed.contains($0.keyId) }.map { "\(label($0)) from \($0.source)" }
        guard !idle.isEmpty else { return nil }
        return "trusted, but signed no seal of this bundle: " + idle.joined(separator: "; ")
    }

    /// Each distinct trusted key that made a valid seal signature, in seal order, labelled from the trust inputs.
    static func signerLabels(_ report: VerificationReport) -> [String] {
        var seen = Set<String>()
        return (report.seals ?? []).compactMap(\.signedBy).filter { seen.insert($0.keyId).inserted }.map(label)
    }

    static func label(_ key: VerificationReport.TrustedKeyInfo) -> String {
        let who = [key.name, key.organization].compactMap { $0 }
        return who.isEmpty ? key.keyId : "\(key.keyId) (\(who.joined(separator: ", ")))"
    }
}
