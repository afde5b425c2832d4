import ArgumentParser
import AmanaKit
import Foundation

struct Metadata: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what files say about themselves: capture time, place, device, with where each value came from.",
        discussion: """
            Reads JPEG, TIFF and HEIF EXIF, XMP, PNG text and eXIf, MP4/MOV/M4A (QuickTime) metadata, WAV and MP3 tags and \
            durations, and a PDF's information dictionary, without changing the files. Metadata is the \
            file's own testimony, not proof; observations are worth a person's attention, never a verdict. \
            See spec/metadata.md.
            """
    )

    @Argument(help: "The files to read.")
    var files: [String]

    @Flag(name: .long, help: "Print one JSON record per file, as a JSON array.")
    var json = false

    @Option(name: .long, help: ArgumentHelp(
        "When the files were acquired (UTC, like 2024-05-01T10:00:00Z): capture times later than this are flagged.",
        valueName: "utc-time"))
    var acquiredAt: String?

    func run() throws {
        var acquired: Date?
        if let acquiredAt {
            guard let time = MetadataReader.acquisitionTime(acquiredAt) else {
                throw AmanaError(.usage, "--acquired-at '\(acquiredAt)' is not a UTC time",
                                 hint: "give it as YYYY-MM-DDTHH:MM:SSZ, or with an offset like +02:00")
            }
            acquired = time
        }
        let records = try files.map { try MetadataReader.read(path: $0, acquisitionTime: acquired) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            Output.write(Array(try encoder.encode(records)) + [10])
            return
        }
        for (index, record) in records.enumerated() {
            if index > 0 { Output.line("") }
            Output.line("\(record.subject.name) (\(record.subject.format), \(Output.bytes(record.subject.size)))")
            MetadataDisplay.lines(record, indent: "  ").forEach(Output.line)
        }
        Output.line("metadata is the files' own testimony, not proof; nothing here is a verdict")
    }
}
