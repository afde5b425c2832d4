import ArgumentParser
import AmanaKit
import Foundation

struct StoreInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new, empty evidence store in a private folder (mode 0700), or a station of an organisation store.",
        discussion: """
            Without --catalog and --objects the store is the folder itself. With both, DIR is one station of an \
            organisation store whose catalog and ledger are in PostgreSQL and whose objects are in an S3 bucket with \
            versioning and Object Lock: init creates the store when they hold none, and joins it when they do. \
            Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, PGPASSWORD or .pgpass, or from a \
            credentials file (mode 0600) of NAME=value lines; they are never written anywhere (spec/store.md).
            """
    )

    @Argument(help: "The folder to create (it must not exist, or be empty).")
    var directory: String

    @Option(name: .long, help: "Organisation store: the PostgreSQL catalog, postgres://USER@HOST:PORT/DB (no password).")
    var catalog: String?

    @Option(name: .long, help: "Organisation store: the S3 bucket and prefix, s3://BUCKET/PREFIX.")
    var objects: String?

    @Option(name: .long, help: "The S3 endpoint, http(s)://HOST[:PORT] (default: AWS's for the region).")
    var endpoint: String?

    @Option(name: .long, help: "The S3 region (default: us-east-1).")
    var region: String?

    @Option(name: .long, help: "A credentials file (mode 0600) of NAME=value lines; the environment wins over it.")
    var credentials: String?

    @Option(name: .long, help: "The Object Lock mode of every object: compliance or governance (default: the bucket's).")
    var retention: String?

    @Option(name: .long, help: "How many days each object is locked (with --retention).")
    var retainDays: Int?

    @OptionGroup var keyOptions: StoreKeyOptions

    func run() throws {
        guard let organisation = try organisation() else {
            let key = try keyOptions.secretKey()
            let store = try EvidenceStore.create(at: directory, key: key)
            Output.line("created store \(directory) (id \(store.config.storeID)); its first checkpoint is signed by key \(key.keyID.description)")
            return
        }
        let key = try keyOptions.secretKey()
        let (config, outcome) = try OrganisationStoreSetup.initialise(at: directory, organisation: organisation, key: key)
        let places = "catalog \(organisation.catalog.url), objects \(organisation.objects)"
        switch outcome {
        case .created:
            Output.line("created organisation store \(config.storeID) (\(places)); station \(directory); its first checkpoint is signed by key \(key.keyID.description)")
        case .joined:
            Output.line("joined organisation store \(config.storeID) (\(places)) as station \(directory)")
        case .completed(let signer):
            Output.line("finished creating organisation store \(config.storeID) (\(places)); station \(directory); its first checkpoint is signed by key \(signer)")
        }
    }

    /// The organisation back ends the options name; nil for a local store. One option without the other, or an
    /// organisation option without them, is a usage error.
    private func organisation() throws -> OrganisationBackEnd? {
        guard let catalog, let objects else {
            if catalog != nil || objects != nil {
                throw AmanaError(.usage, "--catalog and --objects go together: an organisation store needs both",
                                 hint: "give both, or neither for a local store")
            }
            let extra = [("--endpoint", endpoint != nil), ("--region", region != nil), ("--credentials", credentials != nil),
                         ("--retention", retention != nil), ("--retain-days", retainDays != nil)]
            if let (name, _) = extra.first(where: { $0.1 }) {
                throw AmanaError(.usage, "\(name) is for an organisation store (with --catalog and --objects)")
            }
            return nil
        }
        // The file is named in store.json, which every command reads from wherever it runs: make it absolute.
        let file = credentials.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        do {
            return try OrganisationBackEnd.parse(catalog: catalog, objects: objects, endpoint: endpoint, region: region,
                                                 credentialsFile: file, retention: retention, retainDays: retainDays)
        } catch let error as StoreConfigError {
            throw AmanaError(.usage, error.reason)
        }
    }
}
