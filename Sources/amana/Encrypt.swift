import ArgumentParser
import AmanaKit
import Foundation

struct Encrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Encrypt a bundle to named recipients in the standard age v1 format.",
        discussion: """
            Anyone with age or amana and a matching identity can decrypt the result; the sealed bundle inside still \
            verifies as before. Recipients are hybrid post-quantum keys (age1pq1…, recommended for material about \
            people), age X25519 keys (age1…), or a passphrase (--passphrase, which must be the only recipient). \
            With --key, an 'exported' custody event naming the recipients is sealed into what is encrypted. What stays visible to anyone holding the file: how many recipients there are and of \
            which kinds, and the size. Never overwrites a file.
            """
    )

    @Argument(help: "The file to encrypt (normally a sealed bundle .tar).")
    var input: String

    @Option(name: .long, help: "A recipient (age1pq1… or age1…); repeat for several.")
    var to: [String] = []

    @Option(name: .customLong("to-file"), help: "A file of recipients, one per line (# comments allowed); repeatable.")
    var toFile: [String] = []

    @OptionGroup var passphraseOptions: AgePassphraseOptions

    @Option(name: .long, help: "The encrypted file to create (conventionally NAME.tar.age).")
    var output: String

    @Flag(name: .long, help: "Write ASCII armor (PEM-like text) instead of binary.")
    var armor = false

    @Option(name: .long, help: "Your secret key file: first record an 'exported' custody event naming the recipients, sealed with this key, in what is encrypted (the input is not changed).")
    var key: String?

    @Option(name: .long, help: "With --key: read the key's passphrase from the first line of this file.")
    var keyPassphraseFile: String?

    @Option(name: .long, help: "With --key: your role, recorded in the event.")
    var role: String?

    @Option(name: .long, help: "With --key: a note recorded in the event.")
    var note: String?

    @Option(name: .long, help: "With --key: a public key or keyring to trust when verifying the input. Repeatable.")
    var trust: [String] = []

    func validate() throws {
        let usesPassphrase = passphraseOptions.isUsed
        if usesPassphrase && !(to.isEmpty && toFile.isEmpty) {
            throw ValidationError("a passphrase must be the only recipient; drop --to/--to-file or the passphrase")
        }
        if !usesPassphrase && to.isEmpty && toFile.isEmpty {
            throw ValidationError("name at least one recipient with --to or --to-file, or use --passphrase")
        }
        if key == nil && (keyPassphraseFile != nil || role != nil || note != nil || !trust.isEmpty) {
            throw ValidationError("--key-passphrase-file, --role, --note and --trust apply only with --key")
        }
        for (label, value) in [("--role", role), ("--note", note)] {
            if let value, value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                throw ValidationError("\(label) must be one line without control characters")
            }
        }
    }

    func run() throws {
        var recipients: [AgeRecipient] = []
        if passphraseOptions.isUsed {
            let secret = try Passphrase.obtain(file: passphraseOptions.passphraseFile, confirm: true, prompt: "passphrase for the encrypted file: ")
            recipients.append(AgeScryptRecipient(passphrase: secret))
        } else {
            recipients += try to.map { try AgeRecipients.parse($0) }
            for file in toFile { recipients += try AgeRecipients.parseFile(file) }
        }
        if FileManager.default.fileExists(atPath: output) {
            throw AmanaError(.outputExists, "\(output) already exists; amana never overwrites", hint: "choose another --output")
        }
        guard let key else {
            try AgeFileDecryption.encrypt(input, to: output, recipients: recipients, armor: armor)
            announce(recipients)
            Output.line("no custody event was appended (give --key to record an 'exported' event before encrypting)")
            return
        }
        // The event goes into a sealed copy, which is encrypted and removed: the input stays byte-identical, and what
        // the recipients get says to whom it was exported. The copy is plaintext, so it is made beside the input,
        // where the plaintext already is, and not beside the output: the output is often a stick meant to carry only
        // ciphertext, and a copy left there by a kill would put the plaintext on it. Only an input folder that cannot
        // be written sends the copy beside the output, and the command says so.
        let target = URL(fileURLWithPath: output)
        let inputFolder = URL(fileURLWithPath: input).deletingLastPathComponent()
        let copyFolder = access(inputFolder.path, W_OK) == 0 ? inputFolder : target.deletingLastPathComponent()
        if copyFolder != inputFolder {
            Output.line("\(inputFolder.path) cannot be written: the plaintext working copy is made beside the output and removed")
        }
        let copy = copyFolder.appendingPathComponent(
            AtomicOutput.partialPrefix + "export-\(getpid())-" + target.lastPathComponent).path
        defer { unlink(copy) }
        var request = BundleAppender.Request(input: input, output: copy,
                                             key: try KeyFiles.secretKey(key, passphraseFile: keyPassphraseFile))
        request.role = role
        request.trusted = try KeyFiles.trusted(trust)
        let result = try BundleAppender.append(request) { recorder, _, _ in
            // Recipient strings only: they are public keys. Identities and passphrases never enter the log.
            var details = ["recipients": recipients.map(\.publicName).joined(separator: " "), "format": "age-v1"]
            details["note"] = note
            try recorder.record(.exported, items: [], details: details, time: Date())
        }
        try AgeFileDecryption.encrypt(copy, to: output, recipients: recipients, armor: armor)
        announce(recipients)
        Output.line("recorded exported, sealed (events \(result.events.first!.seq)–\(result.events.last!.seq)) in the encrypted copy; seal \(result.sealNumber) signed by key \(result.events.last!.actor.keyID)")
        Output.line("\(input) itself is unchanged")
    }

    private func announce(_ recipients: [AgeRecipient]) {
        Output.line("encrypted \(input) to \(output) (age v1\(armor ? ", armored" : ""))")
        // A hybrid recipient is about 1,950 characters: its start and end identify it for a person.
        for recipient in recipients {
            let name = recipient.publicName
            Output.line("recipient: " + (name.count > 100 ? "\(name.prefix(24))…\(name.suffix(12))" : name))
        }
    }
}
