import ArgumentParser
import AmanaKit
import Foundation

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a bundle (a tar or an extracted folder) and print a verdict.",
        discussion: """
            Checks the archive's structure, the BagIt bag, every payload digest, the tag manifests, items.json and \
            every seal. Collects every finding. Exit status: 0 TOTAL-PASSED, 1 TOTAL-FAILED, 2 INDETERMINATE \
            (for example a valid seal by a key you did not --trust), 64 usage, 66 unreadable input. With --identity, \
            an age-encrypted bundle (.tar.age) is decrypted in memory as it is read, never to disk; a key that does \
            not open it exits 77, a damaged one 65, with no verdict.
            """
    )

    @Argument(help: "The bundle: a .tar (also .tar.gz, .tar.zst), an extracted folder, or with --identity an encrypted .tar.age.")
    var bundle: String

    @OptionGroup var trustOptions: TrustOptions

    @Flag(name: .long, help: "Print the report as JSON (spec/verification-report.md).")
    var json = false

    @OptionGroup var progress: ProgressOptions

    @OptionGroup var identityOptions: AgeIdentityOptions

    func run() throws {
        let report = try VerificationRun.run(bundle, trust: trustOptions, identity: identityOptions, progress: progress)
        if json {
            Output.write(try report.json())
        } else {
            ReportPrinter.print(report)
        }
        throw ExitCode(report.verdict.exitCode)
    }
}
