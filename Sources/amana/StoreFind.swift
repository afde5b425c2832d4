import ArgumentParser
import AmanaKit

struct StoreFind: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Tell whether a file's content is in the store, and since when. Exit status 0 if it is, 1 if not."
    )

    @OptionGroup var location: StoreLocation

    @Argument(help: "The file to look up (read only; never changed).")
    var file: String

    func run() throws {
        let store = try EvidenceStore.open(try location.path(), writing: false)
        let (sha256, item) = try store.find(file: file)
        guard let item else {
            Output.line("not in the store: \(file) (sha256:\(sha256))")
            throw ExitCode(1)
        }
        Output.line("in the store since \(item.first.time): \(file)")
        try StoreText.describe(item, store: store)
    }
}
