import ArgumentParser
import AmanaKit
import Foundation

struct CustodyTransfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer",
        abstract: "Record that you hand the bundle to a named recipient, and seal it.",
        discussion: "The recipient verifies it and records 'amana custody receive', which completes the hand-off."
    )

    @Argument(help: "The bundle .tar.")
    var bundle: String

    @Option(name: .long, help: "The recipient's public key file.")
    var to: String

    @OptionGroup var write: CustodyWriteOptions

    func run() throws {
        let keys = try KeyFiles.trusted([to])
        guard keys.count == 1, let recipient = keys.first else {
            throw AmanaError(.usage, "--to \(to) must name exactly one key, but it holds \(keys.count)",
                             hint: "give the recipient's own .pub file, or a keyring with only their key")
        }
        let result = try BundleAppender.append(try write.request(bundle: bundle)) { recorder, _, _ in
            var details = ["to": recipient.key.keyID.description, "toPublicKey": recipient.key.base64]
            details["toName"] = recipient.name
            details["toOrganization"] = recipient.organization
            details["note"] = write.note
            try recorder.record(.transferred, items: [], details: details, time: Date())
        }
        write.announce(result)
    }
}
