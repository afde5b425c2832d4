import ArgumentParser
import AmanaKit

/// The trust inputs of every verb that judges a bundle: whose keys, which TSA roots, and at what time.
struct TrustOptions: ParsableArguments {
    @Option(name: .long, help: "A public key or keyring to trust. Repeat for several.")
    var trust: [String] = []

    @Option(name: .long, help: "A PEM or DER certificate file of TSA roots for timestamps (default: the system store). Repeatable.")
    var tsaRoot: [String] = []

    @Option(name: .long, help: "The validation time as a utc-time, YYYY-MM-DDTHH:MM:SSZ (default: now), for reproducible results.")
    var at: String?

    func verifyOptions() throws -> VerifyOptions {
        VerifyOptions(trust: try TrustSet(KeyFiles.trusted(trust)), validationTime: try TSAOptions.time(at),
                      tsaRoots: try TSAOptions.roots(tsaRoot))
    }
}
