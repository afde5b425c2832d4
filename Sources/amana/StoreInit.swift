import ArgumentParser
import AmanaKit

struct StoreInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new, empty evidence store in a private folder (mode 0700)."
    )

    @Argument(help: "The folder to create (it must not exist, or be empty).")
    var directory: String

    @OptionGroup var keyOptions: StoreKeyOptions

    func run() throws {
        let key = try keyOptions.secretKey()
        let store = try EvidenceStore.create(at: directory, key: key)
        Output.line("created store \(directory) (id \(store.config.storeID)); its first checkpoint is signed by key \(key.keyID.description)")
    }
}
