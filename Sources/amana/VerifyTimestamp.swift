import ArgumentParser
import AmanaKit
import Foundation

struct VerifyTimestamp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-timestamp",
        abstract: "Verify an RFC 3161 time-stamp token against the file it stamps, and print a verdict.",
        discussion: """
            The token may be a TimeStampResp (what a TSA sends, and what Amana stores as F.tsr) or a bare \
            TimeStampToken. Checks the DER encoding, the message imprint against --data, the CMS signature, the \
            signing-certificate binding, the TSA certificate's extended key usage, and the certificate chain, \
            validated at the token's genTime (not today), to a self-signed certificate given with --tsa-root, or \
            else to the system trust store (\(TSARoots.systemBundlePath)). Exit status: 0 TOTAL-PASSED, \
            1 TOTAL-FAILED, 2 INDETERMINATE (for example a valid token from a TSA you did not --tsa-root), \
            64 usage, 66 unreadable input.
            """
    )

    @Argument(help: "The token file (DER TimeStampResp or TimeStampToken), e.g. seals/0001.seal.minisig.tsr.")
    var token: String

    @Option(name: .long, help: "The file the token stamps.")
    var data: String

    @Option(name: .customLong("tsa-root"),
            help: "A PEM or DER file of TSA certificates to trust (self-signed ones are the roots). Repeat for several.")
    var tsaRoots: [String] = []

    @Option(name: .long, help: "The validation time as a utc-time, YYYY-MM-DDTHH:MM:SSZ (default: now), for reproducible reports.")
    var at: String?

    @Flag(name: .long, help: "Print the report as JSON (spec/verification-report.md, with trust.tsaRoots and timestamp).")
    var json = false


    func run() throws {
        let validationTime = try TSAOptions.time(at)
        var roots = TSARoots()
        if tsaRoots.isEmpty {
            roots = try TSARoots.system()
        } else {
            for path in tsaRoots { try roots.load(file: path) }
        }
        let result = try TimestampReport.verify(tokenPath: token, dataPath: data, roots: roots,
                                                validationTime: validationTime)
        if json {
            Output.write(try result.json())
        } else {
            TimestampReportPrinter.print(result)
        }
        throw ExitCode(result.report.verdict.exitCode)
    }
}

/// The human form of a timestamp report, laid out like ``ReportPrinter``'s: one line per finding, failures listed
/// individually, then a verdict line saying exactly what was verified against what.
enum TimestampReportPrinter {
    static func print(_ result: TimestampReport) {
        let report = result.report
        Output.line("verifying time-stamp \(report.subject.path) over \(result.dataPath)")
        for finding in report.findings where finding.status == .passed {
            Output.line("  timestamp  ok      \(finding.message)")
        }
        for finding in report.findings where finding.status != .passed {
            let label: String
            switch finding.status {
            case .failed: label = "FAILED "
            case .indeterminate: label = "UNSURE "
            default: label = "warning"
            }
            var text = "\(finding.code): \(finding.message)"
            if let expected = finding.expected {
                text += " (expected \(expected)" + (finding.found.map { ", found \($0)" } ?? "") + ")"
            } else if let found = finding.found {
                text += " (found \(found))"
            }
            Output.line("  timestamp  \(label) \(text)")
        }
        Output.line("verdict: \(report.verdict.rawValue)")
        Output.line("  " + explanation(result))
    }

    static func explanation(_ result: TimestampReport) -> String {
        let roots = result.roots.isSystem ? "the system trust store (\(TSARoots.systemBundlePath))"
            : "TSA roots from \(Set(result.roots.sources.map(\.source)).sorted().joined(separator: ", "))"
        let s = result.report.summary
        switch result.report.verdict {
        case .totalPassed:
            let info = result.info
            return "\(result.dataPath) existed at \(info?.genTimeDescription ?? "genTime"), as \(info?.tsaName ?? "the TSA") "
                + "attests\(info?.qualified == true ? " (qualified, eIDAS)" : ""); its chain was valid at that time and "
                + "ends in \(roots)"
        case .totalFailed:
            return "\(s.failed) check\(s.failed == 1 ? "" : "s") failed: this token does not prove that "
                + "\(result.dataPath) existed at the time it states (checked against \(roots))"
        case .indeterminate:
            return "nothing contradicts the token, but \(s.indeterminate) check\(s.indeterminate == 1 ? "" : "s") could "
                + "not be established (checked against \(roots)); pass the TSA's root with --tsa-root if you trust it"
        }
    }
}
