import ArgumentParser
import AmanaKit
import Foundation

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a bundle, then extract it to a new folder.",
        discussion: """
            Extracts nothing unless the verdict is TOTAL-PASSED. Writes only inside the new folder, never through \
            links, and never over existing files: it fills a hidden staging folder and renames it into place at the end.
            """
    )

    @Argument(help: "The bundle .tar.")
    var bundle: String

    @Option(name: .long, help: "The folder to create; it becomes the bag's root.")
    var output: String

    @OptionGroup var trustOptions: TrustOptions

    @Flag(name: .long, help: "Extract even if verification does not pass (forensic use). Unsafe entries are still never written.")
    var force = false

    @Flag(name: .long, help: "Print the verification report as JSON.")
    var json = false

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let options = try trustOptions.verifyOptions()
        // The bundle is read twice: once to verify, once to extract what was verified.
        let display = ProgressDisplay.start("verifying and extracting",
                                            total: 2 * ByteProgress.regularFileBytes(under: [bundle]), options: progress)
        let outcome: Extractor.Outcome
        do {
            defer { display?.stop() }
            outcome = try Extractor.extract(bundle, to: output, options: options, force: force)
        }
        if json {
            Output.write(try outcome.report.json())
        } else {
            ReportPrinter.print(outcome.report)
        }
        guard outcome.extracted else {
            Output.error("nothing was extracted, because the verdict is \(outcome.report.verdict.rawValue)",
                         hint: "--force extracts anyway, for forensic work")
            throw ExitCode(outcome.report.verdict.exitCode)
        }
        if outcome.report.verdict != .totalPassed {
            Output.warning("EXTRACTED WITH --force ALTHOUGH THE VERDICT IS \(outcome.report.verdict.rawValue): these files are not proven to be what was sealed")
        }
        for skipped in outcome.skipped {
            Output.warning("left out \(skipped)")
        }
        // With --json, stdout holds the report alone, so that it parses (the exit status says the rest).
        if !json {
            Output.line("extracted \(outcome.payloadCount) payload files and \(outcome.fileCount - outcome.payloadCount) tag and seal files into \(output)")
        }
        throw ExitCode(outcome.report.verdict.exitCode)
    }
}
