import ArgumentParser
import AmanaKit
import Foundation

/// `amana report`: the court report, an HTML document (and with --pdf its PDF) from one verification.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a bundle and write a self-contained report for a court, in HTML and optionally PDF.",
        discussion: """
            Runs the same verification as 'amana verify' once and renders that one result: the verdict, what was \
            checked against which trust inputs, the bundle, its seals, items, custody timeline, every finding, what \
            the result proves and does not prove, and how to check it without Amana (spec/report.md). A tampered \
            bundle still gets a full report, with what failed at the top. --lang is en, ar, de or fr. --pdf prints \
            the same HTML with headless Chromium (Debian package chromium), offline. --etsi writes the same result as an \
            ETSI TS 119 102-2 validation report (spec/report.md section 12). Exit status: the verification's, \
            0 TOTAL-PASSED, 1 TOTAL-FAILED, 2 INDETERMINATE; 64 usage, 66 unreadable input, 69 chromium missing, \
            73 an output exists, 74 an output could not be written.
            """
    )

    @Argument(help: "The bundle: a .tar (also .tar.gz, .tar.zst), an extracted folder, or with --identity an encrypted .tar.age.")
    var bundle: String

    @OptionGroup var trustOptions: TrustOptions

    @Option(name: .long, help: "The HTML report to write (never overwritten).")
    var output: String

    @Option(name: .long, help: "Also print the report to this PDF with headless Chromium (never overwritten).")
    var pdf: String?

    @Option(name: .long, help: "Also write the ETSI TS 119 102-2 validation report (XML, as EU tools such as DSS read) to this file (never overwritten).")
    var etsi: String?

    @Option(name: .long, help: "The report's language: en, ar, de or fr (default: en).")
    var lang: String = "en"

    @OptionGroup var progress: ProgressOptions

    @OptionGroup var identityOptions: AgeIdentityOptions

    func run() throws {
        guard let language = ReportLanguage(rawValue: lang) else {
            throw AmanaError(.usage, "--lang must be en, ar, de or fr, not \(lang)")
        }
        // Everything that can refuse the outputs does so before a long verification.
        let outputs = [output] + [pdf, etsi].compactMap { $0 }
        for path in outputs where FileManager.default.fileExists(atPath: path) {
            throw AmanaError(.outputExists, "\(path) already exists; amana never overwrites",
                             hint: "choose a new output name, or move the old file away first")
        }
        if Set(outputs).count != outputs.count {
            throw AmanaError(.usage, "--output, --pdf and --etsi must name different files")
        }
        if pdf != nil { _ = try ReportPDF.chromium() }

        let report = try VerificationRun.run(bundle, trust: trustOptions, identity: identityOptions, progress: progress)
        let rendered = ReportRenderer.html(report, language: language)
        for warning in rendered.warnings { Output.warning(warning) }
        try AtomicOutput.write(Array(rendered.html.utf8), to: output, mode: 0o644)
        Output.line("wrote \(output)")
        if let pdf {
            try ReportPDF.write(html: rendered.html, to: pdf)
            Output.line("wrote \(pdf)")
        }
        if let etsi {
            try AtomicOutput.write(try ETSIValidationReport.xml(for: report), to: etsi, mode: 0o644)
            Output.line("wrote \(etsi)")
        }
        Output.line("verdict: \(report.verdict.rawValue)")
        throw ExitCode(report.verdict.exitCode)
    }
}
