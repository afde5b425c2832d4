import ArgumentParser
import AmanaKit
import Foundation

struct Seal: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Seal files and folders into a new signed bundle.",
        discussion: """
            Reads each file once, computing the digests (SHA-256 and SHA-512 unless --digests says otherwise) while \
            writing a BagIt bag inside a pax tar, then signs a seal over the manifests with your key (minisign's \
            prehashed Ed25519). Sources are opened read-only; the bundle appears under its name only when complete. \
            Never overwrites. Shows progress on stderr when it is a terminal.

            With --bag DIR, adopts an existing BagIt bag instead (one made by bagit.py or another tool): the bag is \
            checked first and refused, with the finding that makes it invalid, unless it is a valid BagIt 0.97 or \
            1.0 bag in UTF-8. Its payload, bagit.txt, payload manifests and other tag files are copied byte for byte; \
            bag-info.txt gets the new bundle id as External-Identifier, and amana/items.json, the custody log, tag \
            manifests and the first seal are added. The originals of the rewritten files are kept under \
            amana/adopted/. The bag itself is only read.

            With --store DIR --case ID, seals stored objects of an evidence store instead: every item of the case, or \
            those given with --item. Each is named after the source path of its first acquisition in the case. The \
            custody log begins with the store's own acquisition events, copied byte for byte from its ledger, and \
            amana/store-proofs.json carries their inclusion proofs against a store checkpoint signed with --key, so \
            that 'amana verify' proves them offline. The store's ledger then records the seal.
            """
    )

    @Argument(help: "Files and folders to seal. Folders keep their layout under data/.")
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("An existing BagIt bag (a folder) to adopt as it is, instead of files to seal.",
                                            valueName: "dir"))
    var bag: String?

    @Option(name: .long, help: ArgumentHelp("An evidence store to seal stored objects from (with --case).", valueName: "dir"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("With --store: a stored item of the case to seal, by SHA-256; repeat for several (default: every item of the case).",
                                            valueName: "digest"))
    var item: [String] = []

    @Option(name: .long, help: "The secret key file to sign with (from 'amana keygen' or 'minisign -G').")
    var key: String

    @Option(name: .long, help: "The bundle file to create (a .tar).")
    var output: String

    @Option(name: .long, help: "A case or matter identifier.")
    var `case`: String?

    @Option(name: .long, help: "A short title for the bundle.")
    var title: String?

    @Option(name: .long, help: "Who collected the material.")
    var collector: String?

    @Option(name: .long, help: "Where the material was downloaded from.")
    var sourceUrl: String?

    @Option(name: .long, help: "The device the material came from.")
    var device: String?

    @Option(name: .long, help: "Where the material was collected.")
    var location: String?

    @Option(name: .long, help: "A note for the record.")
    var note: String?

    @Option(name: .long, help: "Your role, recorded in the custody log (documenter, archivist...).")
    var role: String?

    @Option(name: .long, help: "Read the key's passphrase from the first line of this file.")
    var passphraseFile: String?

    @Option(name: .long, help: "A time-stamping authority (RFC 3161) to stamp the seal. Repeat for several.")
    var tsa: [String] = []

    @Option(name: .long, help: "The timestamp imprint digest: sha256 (default), sha384 or sha512.")
    var tsaDigest: String = "sha256"

    @Option(name: .long, help: ArgumentHelp(
        "The digests to seal with: sha256,sha512 (the default, as BagIt advises), sha256 alone, or a SHA-2 paired "
            + "with blake2b512 (sha256,blake2b512 or sha512,blake2b512).",
        valueName: "list"))
    var digests = DigestChoice.spelling(DigestAlgorithm.sealDefault)

    @Flag(name: .long, help: "Do not write the items' derived metadata records (amana/metadata.jsonl).")
    var noMetadata = false

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        if bag != nil && !paths.isEmpty {
            throw ValidationError("give either files to seal or --bag DIR, not both")
        }
        if store != nil {
            guard paths.isEmpty && bag == nil else {
                throw ValidationError("give either files to seal, --bag DIR or --store DIR, not several")
            }
            guard `case` != nil else { throw ValidationError("--store needs --case ID: the case whose items to seal") }
            let given = [("--collector", collector), ("--source-url", sourceUrl), ("--device", device),
                         ("--location", location), ("--note", note)].filter { $0.1 != nil }.map(\.0)
            guard given.isEmpty else {
                throw ValidationError("\(given.joined(separator: ", ")) cannot be given with --store: the acquisition facts come from the store's ledger")
            }
        } else if !item.isEmpty {
            throw ValidationError("--item selects stored items: it needs --store DIR")
        }
    }

    func run() throws {
        // Before the passphrase prompt, so a typo costs nothing.
        let algorithms = try DigestChoice.parse(digests)
        var options = SealOptions(inputs: paths, output: output)
        options.algorithms = algorithms
        options.caseID = `case`
        options.title = title
        options.role = role
        options.keyFile = key
        options.tsaURLs = try TSAOptions.urls(tsa)
        options.tsaHash = try TSAOptions.digest(tsaDigest)
        options.metadata = !noMetadata
        options.acquisition = Acquisition(collector: collector, sourceURL: sourceUrl, device: device,
                                          location: location, note: note)
        let secretKey = try KeyFiles.secretKey(key, passphraseFile: passphraseFile)
        if let store {
            try sealFromStore(store, options: options, key: secretKey)
            return
        }
        let display = ProgressDisplay.start("sealing", total: ByteProgress.regularFileBytes(under: bag.map { [$0] } ?? paths), options: progress)
        let result: SealResult
        do {
            defer { display?.stop() }
            if let bag {
                result = try Sealer.adopt(bag: bag, options: options, key: secretKey)
            } else {
                result = try Sealer.seal(options, key: secretKey)
            }
        }
        if let bag {
            Output.line("adopted the BagIt bag \(bag): checked, and its \(result.fileCount) payload file\(result.fileCount == 1 ? "" : "s") (\(Output.bytes(result.payloadBytes))) and manifests copied unchanged into \(result.output)")
        } else {
            Output.line("sealed \(result.fileCount) file\(result.fileCount == 1 ? "" : "s") (\(Output.bytes(result.payloadBytes))) into \(result.output)")
        }
        Output.line("bundle id: \(result.bundleID)")
        Output.line("seal 1 signed by key \(result.signerKeyID); claimed time \(result.sealedAt)"
                    + (tsa.isEmpty ? " (the signer's clock, not a trusted timestamp)" : "; stamped by \(tsa.count) TSA\(tsa.count == 1 ? "" : "s")"))
    }

    /// `--store`: the store is held locked from reading its ledger until the seal is recorded in it.
    private func sealFromStore(_ path: String, options: SealOptions, key secretKey: SecretKey) throws {
        let evidenceStore = try EvidenceStore.open(path, writing: true)
        let export = try StoreExport(store: evidenceStore, caseID: `case` ?? "", items: item, key: secretKey, time: options.time)
        let total = export.files.reduce(UInt64(0)) { $0 + $1.record.source.size }
        let display = ProgressDisplay.start("sealing", total: total, options: progress)
        let result: SealResult
        do {
            defer { display?.stop() }
            result = try Sealer.seal(export: export, options: options, key: secretKey)
        }
        Output.line("sealed \(result.fileCount) stored item\(result.fileCount == 1 ? "" : "s") of case \(export.caseID) (\(Output.bytes(result.payloadBytes))) into \(result.output)")
        Output.line("carried \(export.lines.count) acquisition event\(export.lines.count == 1 ? "" : "s") from the store's ledger, proven against its checkpoint of \(export.proofs.checkpoint.size) events (root \(export.proofs.checkpoint.root))")
        Output.line("bundle id: \(result.bundleID)")
        Output.line("seal 1 signed by key \(result.signerKeyID); claimed time \(result.sealedAt)"
                    + (tsa.isEmpty ? " (the signer's clock, not a trusted timestamp)" : "; stamped by \(tsa.count) TSA\(tsa.count == 1 ? "" : "s")"))
    }
}
