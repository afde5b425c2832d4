import ArgumentParser
import AmanaKit
import Foundation

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a bundle's items, digests and seals, trusting nothing.",
        discussion: "Shows what the bundle claims. Nothing is verified; use 'amana verify' for a verdict."
    )

    @Argument(help: "The bundle: a .tar or an extracted folder.")
    var bundle: String

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @OptionGroup var identityOptions: AgeIdentityOptions

    func run() throws {
        let summary = try BundleSummary.read(bundle, identities: try identityOptions.identities())
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            Output.write(Array(try encoder.encode(summary)) + [10])
            return
        }
        Output.line("bundle \(summary.bundleId ?? "(unknown id)") (NOT verified: this is what the bundle claims)")
        if let caseId = summary.caseId { Output.line("case: \(caseId)") }
        if let title = summary.title { Output.line("title: \(title)") }
        Output.line("items: \(summary.items.count)")
        for item in summary.items {
            Output.line("  \(item.path)  \(Output.bytes(item.size))  \(item.mediaType)")
            Output.line("    sha256 \(item.digests["sha256"] ?? "-")")
            if let acquisition = item.acquisition {
                let facts = [("collector", acquisition.collector), ("source", acquisition.sourceURL),
                             ("device", acquisition.device), ("location", acquisition.location), ("note", acquisition.note)]
                    .compactMap { label, value in value.map { "\(label): \($0)" } }
                Output.line("    " + facts.joined(separator: "; "))
            }
        }
        if let records = summary.metadata {
            Output.line("metadata records: \(records.count) (the files' own testimony, not proof; not verified by inspect)")
            for record in records {
                Output.line("  \(record.subject.name) (\(record.subject.format))")
                MetadataDisplay.lines(record, indent: "    ").forEach(Output.line)
            }
        }
        Output.line("seals: \(summary.seals.count)")
        for seal in summary.seals {
            if let problem = seal.problem {
                Output.line("  seal \(seal.number): unreadable (\(problem))")
            } else {
                Output.line("  seal \(seal.number): signer key \(seal.keyId ?? "?"), claimed time \(seal.claimedTime ?? "?")")
            }
        }
        for problem in summary.problems {
            Output.warning(problem)
        }
    }
}
