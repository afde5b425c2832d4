import ArgumentParser
import AmanaKit
import Foundation

struct Metadata: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what files say about themselves: capture time, place, device, with where each value came from.",
        discussion: """
            Reads JPEG and TIFF EXIF, PNG text and eXIf, and MP4/MOV (QuickTime) metadata without changing the files. Metadata is the \
            file's own testimony, not proof; observations are worth a person's attention, never a verdict. \
            See spec/metadata.md.
            """
    )

    @Argument(help: "The files to read.")
    var files: [String]

    @Flag(name: .long, help: "Print one JSON record per file, as a JSON array.")
    var json = false

    func run() throws {
        let records = try files.map { try MetadataReader.read(path: $0) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            Output.write(Array(try encoder.encode(records)) + [10])
            return
        }
        for (index, record) in records.enumerated() {
            if index > 0 { Output.line("") }
            Output.line("\(record.subject.name) (\(record.subject.format), \(Output.bytes(record.subject.size)))")
            for value in record.values {
                let zone = value.timeZone.map { "  [zone: \($0.rawValue)]" } ?? ""
                let shown = value.normalised.isEmpty ? "(unreadable) \(value.raw)" : value.normalised
                Output.line("  \(value.field): \(shown)  from \(value.source)\(zone)")
            }
            if record.values.allSatisfy({ $0.field == .fileModifyTime }) {
                Output.line("  no embedded metadata found")
            }
            for observation in record.observations {
                Output.line("  worth a person's attention: \(observation.message) [\(observation.code)]")
            }
            for finding in record.findings {
                Output.line("  could not read all metadata: \(finding.message) [\(finding.code)]")
            }
        }
        Output.line("metadata is the files' own testimony, not proof; nothing here is a verdict")
    }
}
