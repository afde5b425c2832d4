import ArgumentParser
import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

@main
struct Amana: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amana",
        abstract: "Seal evidence into signed, verifiable bundles, and verify them years later.",
        discussion: """
            Exit status: 0 TOTAL-PASSED (or success), 1 TOTAL-FAILED, 2 INDETERMINATE, 64 usage error, \
            65 bad input data, 66 input not readable, 69 time-stamping authority, s3 or postgresql server unreachable (or no chromium for report --pdf), 70 internal error, \
            73 output exists, 74 output failed, 76 time-stamping authority answered wrongly, 77 wrong passphrase or no matching age identity.
            """,
        version: AmanaVersion.current,
        subcommands: [Keygen.self, Seal.self, Verify.self, Extract.self, Inspect.self, Metadata.self, Custody.self, Timestamp.self,
                      VerifyTimestamp.self, Report.self, Encrypt.self, Decrypt.self, Ingest.self, Store.self]
    )

    /// Parses and runs a verb, turning every error into one `amana: error:` line and the documented exit status.
    static func main() {
        // Past a file-size limit (RLIMIT_FSIZE) the kernel sends SIGXFSZ, whose default action kills the process and
        // leaves its .amana-partial-* file behind. Ignored, the write fails with EFBIG instead, and the command
        // reports it, removes its partial output and exits 74 like any other failed write.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            Glibc.exit(Output.fail(error))
        }
    }
}
