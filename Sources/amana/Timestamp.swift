import ArgumentParser
import AmanaKit
import Foundation

struct Timestamp: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add RFC 3161 trusted timestamps to the newest seal of a bundle.",
        discussion: """
            For bundles sealed offline: each TSA stamps the seal's signature file, and its token is stored beside it \
            (seals/NNNN.seal.minisig.tsr). Nothing sealed changes. Writes a new bundle, or replaces the input \
            atomically with --in-place.
            """
    )

    @Argument(help: "The bundle .tar.")
    var bundle: String

    @Option(name: .long, help: "A time-stamping authority's URL. Repeat for several (one token each).")
    var tsa: [String] = []

    @Option(name: .long, help: "The new bundle to write.")
    var output: String?

    @Flag(name: .long, help: "Replace the input bundle atomically instead of writing a new one.")
    var inPlace = false

    @Option(name: .long, help: "The imprint digest: sha256 (default), sha384 or sha512.")
    var tsaDigest: String = "sha256"

    func validate() throws {
        if inPlace == (output != nil) { throw ValidationError("give exactly one of --output NEW.tar and --in-place") }
        if tsa.isEmpty { throw ValidationError("give at least one --tsa URL") }
        _ = try TSAOptions.urls(tsa)
        _ = try TSAOptions.digest(tsaDigest)
    }

    func run() throws {
        let result = try BundleStamper.stamp(bundle, output: output, inPlace: inPlace, tsaURLs: try TSAOptions.urls(tsa),
                                             hash: try TSAOptions.digest(tsaDigest))
        Output.line("stamped seal \(result.sealNumber): \(result.tokenPaths.joined(separator: ", ")) in \(result.output)")
    }
}

/// Parsing shared by every verb that talks to a TSA or checks tokens.
enum TSAOptions {
    static func urls(_ texts: [String]) throws -> [URL] {
        try texts.map { text in
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  url.host != nil else {
                throw ValidationError("--tsa \(text) is not an http(s) URL")
            }
            return url
        }
    }

    static func digest(_ name: String) throws -> DigestAlgorithm {
        // The imprints timestamps.md section 3 lets a request carry, the same list the library's TSA client takes.
        guard let algorithm = DigestAlgorithm(bagItName: name), [.sha256, .sha384, .sha512].contains(algorithm) else {
            throw ValidationError("--tsa-digest must be sha256, sha384 or sha512")
        }
        return algorithm
    }

    static func roots(_ files: [String]) throws -> TSARoots? {
        guard !files.isEmpty else { return nil }
        var roots = TSARoots()
        for file in files {
            do { try roots.load(file: file) } catch let error as AmanaError {
                throw AmanaError(.usage, "\(file) is not a certificate file: \(error.reason)")
            }
        }
        return roots
    }

    /// `--at` takes a `utc-time` only, the one spelling every signed time in a bundle has. A time with an offset or a
    /// fraction is refused with the UTC spelling of the same instant as the hint, rather than silently converted.
    static func time(_ text: String?) throws -> Date {
        guard let text else { return Date() }
        if let date = UTCTime.parse(text) { return date }
        let hint = UTCTime.parseRFC3339(text).map { "write the same instant in UTC, whole seconds: --at \(UTCTime.format($0))" }
            ?? "write a UTC time, whole seconds, upper-case T and Z, such as --at 2026-11-29T03:05:41Z"
        throw AmanaError(.usage, "--at \(text) is not a utc-time (YYYY-MM-DDTHH:MM:SSZ)", hint: hint)
    }
}
