import ArgumentParser
import AmanaKit
import Foundation

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a bundle (a tar or an extracted folder) and print a verdict.",
        discussion: """
            Checks the archive's structure, the BagIt bag, every payload digest, the tag manifests, items.json and \
            every seal. Collects every finding. Exit status: 0 TOTAL-PASSED, 1 TOTAL-FAILED, 2 INDETERMINATE \
            (for example a valid seal by a key you did not --trust), 64 usage, 66 unreadable input.
            """
    )

    @Argument(help: "The bundle: a .tar (also .tar.gz, .tar.zst) or an extracted folder.")
    var bundle: String

    @OptionGroup var trustOptions: TrustOptions

    @Flag(name: .long, help: "Print the report as JSON (spec/verification-report.md).")
    var json = false

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let options = try trustOptions.verifyOptions()
        let display = ProgressDisplay.start("verifying", total: ByteProgress.regularFileBytes(under: [bundle]),
                                            options: progress)
        let report: VerificationReport
        do {
            defer { display?.stop() }
            report = try Verifier.verify(bundle, options: options)
        }
        if json {
            Output.write(try report.json())
        } else {
            ReportPrinter.print(report)
        }
        throw ExitCode(report.verdict.exitCode)
    }
}
