import ArgumentParser
import AmanaKit
import Foundation

struct Encrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Encrypt a bundle to named recipients in the standard age v1 format.",
        discussion: """
            Anyone with age or amana and a matching identity can decrypt the result; the sealed bundle inside still \
            verifies as before. Recipients are age X25519 keys (age1…), or a passphrase (--passphrase, which must be \
            the only recipient). What stays visible to anyone holding the file: how many recipients there are and of \
            which kinds, and the size. Never overwrites a file.
            """
    )

    @Argument(help: "The file to encrypt (normally a sealed bundle .tar).")
    var input: String

    @Option(name: .long, help: "A recipient (age1…); repeat for several.")
    var to: [String] = []

    @Option(name: .customLong("to-file"), help: "A file of recipients, one per line (# comments allowed); repeatable.")
    var toFile: [String] = []

    @Flag(name: .long, help: "Encrypt to a passphrase instead of to keys (asked for twice, or --passphrase-file).")
    var passphrase = false

    @Option(name: .long, help: "Read the passphrase from the first line of this file.")
    var passphraseFile: String?

    @Option(name: .long, help: "The encrypted file to create (conventionally NAME.tar.age).")
    var output: String

    @Flag(name: .long, help: "Write ASCII armor (PEM-like text) instead of binary.")
    var armor = false

    func validate() throws {
        let usesPassphrase = passphrase || passphraseFile != nil
        if usesPassphrase && !(to.isEmpty && toFile.isEmpty) {
            throw ValidationError("a passphrase must be the only recipient; drop --to/--to-file or the passphrase")
        }
        if !usesPassphrase && to.isEmpty && toFile.isEmpty {
            throw ValidationError("name at least one recipient with --to or --to-file, or use --passphrase")
        }
    }

    func run() throws {
        var recipients: [AgeRecipient] = []
        if passphrase || passphraseFile != nil {
            let secret = try Passphrase.obtain(file: passphraseFile, confirm: true, prompt: "passphrase for the encrypted file: ")
            recipients.append(AgeScryptRecipient(passphrase: secret))
        } else {
            recipients += try to.map { try AgeRecipients.parse($0) }
            for file in toFile { recipients += try AgeRecipients.parseFile(file) }
        }
        try AgeFileDecryption.encrypt(input, to: output, recipients: recipients, armor: armor)
        Output.line("encrypted \(input) to \(output) (age v1\(armor ? ", armored" : ""))")
        for recipient in recipients { Output.line("recipient: \(recipient.publicName)") }
        Output.line("no custody event was appended: this version records none for encryption")
    }
}
