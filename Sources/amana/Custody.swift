import ArgumentParser
import AmanaKit
import Foundation

struct Custody: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or extend a bundle's custody log: who held it, when, and what they did.",
        discussion: """
            Every event is signed by its actor and chained to the one before; every seal commits to the log as it \
            was. A hand-off is two events: the sender's 'transfer' and the recipient's 'receive', each sealed.
            """,
        subcommands: [CustodyShow.self, CustodyAppend.self, CustodyTransfer.self, CustodyReceive.self]
    )
}

/// Options every custody verb that writes a new seal shares.
struct CustodyWriteOptions: ParsableArguments {
    @Option(name: .long, help: "Your secret key file: you sign the new event and the new seal.")
    var key: String

    @Option(name: .long, help: "The new bundle to write (the input is never changed).")
    var output: String?

    @Flag(name: .long, help: "Replace the input bundle atomically instead of writing a new one.")
    var inPlace = false

    @Option(name: .long, help: "Your role, recorded in the event (documenter, archivist, prosecutor...).")
    var role: String?

    @Option(name: .long, help: "A note recorded in the event.")
    var note: String?

    @Option(name: .long, help: "A public key or keyring to trust when verifying the input. Repeat for several.")
    var trust: [String] = []

    @Option(name: .long, help: "Read your key's passphrase from the first line of this file.")
    var passphraseFile: String?

    func validate() throws {
        if inPlace == (output != nil) { throw ValidationError("give exactly one of --output NEW.tar and --in-place") }
        for (label, value) in [("--role", role), ("--note", note)] {
            if let value, value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                throw ValidationError("\(label) must be one line without control characters")
            }
        }
    }

    func request(bundle: String) throws -> BundleAppender.Request {
        var request = BundleAppender.Request(input: bundle, output: output,
                                             key: try KeyFiles.secretKey(key, passphraseFile: passphraseFile))
        request.inPlace = inPlace
        request.role = role
        request.trusted = try KeyFiles.trusted(trust)
        return request
    }

    func announce(_ result: BundleAppender.Result) {
        let actions = result.events.map(\.action.rawValue).joined(separator: ", ")
        Output.line("recorded \(actions) (events \(result.events.first!.seq)–\(result.events.last!.seq)) in \(result.output)")
        Output.line("seal \(result.sealNumber) signed by key \(result.events.last!.actor.keyID); the log now holds \(result.custodyLength) events")
    }
}
