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
    }

    static func explanation(_ report: VerificationReport) -> String {
        let keys = report.trust.keys.map { key in
            key.keyId + ([key.name, key.organization].compactMap { $0 }.isEmpty ? "" : " (\([key.name, key.organization].compactMap { $0 }.joined(separator: ", ")))")
        }
        let keyText = keys.isEmpty ? "no trusted keys" : "trusted key\(keys.count == 1 ? "" : "s") \(keys.joined(separator: ", "))"
        let s = report.summary
        // A plain BagIt bag has no seal to be "not the bundle that was sealed", and no signer to --trust.
        if report.findings.contains(where: { $0.code == "bundle.unsealed" }) {
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
            return "every payload and tag file matches its manifests, and every seal is a valid signature by \(keyText)"
                + (s.warning > 0 ? " (\(s.warning) warning\(s.warning == 1 ? "" : "s") above)" : "")
        case .totalFailed:
            return "\(s.failed) check\(s.failed == 1 ? "" : "s") failed: this is not the bundle that was sealed, or it is damaged (checked against \(keyText))"
        case .indeterminate:
            return "nothing contradicts the bundle, but \(s.indeterminate) check\(s.indeterminate == 1 ? "" : "s") could not be established (checked against \(keyText)); pass the signer's public key with --trust if you trust it"
        }
    }
}
