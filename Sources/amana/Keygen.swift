import ArgumentParser
import AmanaKit
import Foundation

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make an Ed25519 signing key pair (minisign format), or with --age an age encryption key pair.",
        discussion: """
            With --age, writes PREFIX.agekey (the age identity, mode 0600, as age-keygen writes it) and PREFIX.agepub \
            (the recipient, age1…, to give to whoever encrypts bundles for you). Otherwise writes PREFIX.key (the secret key, mode 0600, encrypted with a passphrase unless --unencrypted) and \
            PREFIX.pub (the public key, to give to whoever verifies your bundles). Never overwrites a file. \
            minisign reads and writes both files too.
            """
    )

    @Option(name: .long, help: "Write PREFIX.key and PREFIX.pub (with --age: PREFIX.agekey and PREFIX.agepub).")
    var output: String

    @Flag(name: .long, help: "Make an age encryption key pair (for 'amana encrypt --to' and 'amana decrypt --identity').")
    var age = false

    @Flag(name: .long, help: "With --age: a post-quantum hybrid key (ML-KEM-768 + X25519, age1pq1…), recommended for material about people.")
    var pq = false

    @Option(name: .long, help: "Your name, recorded in the key files' comment lines.")
    var name: String?

    @Option(name: .long, help: "Your organisation, recorded in the key files' comment lines.")
    var organization: String?

    @Flag(name: .long, help: "Store the secret key without a passphrase (for automation and tests only).")
    var unencrypted = false

    @Option(name: .long, help: "Read the passphrase from the first line of this file.")
    var passphraseFile: String?

    func validate() throws {
        if pq && !age { throw ValidationError("--pq only applies to --age keys") }
        if age && (unencrypted || passphraseFile != nil || name != nil || organization != nil) {
            throw ValidationError("--age keys take only --output (and --pq)")
        }
        if unencrypted && passphraseFile != nil {
            throw ValidationError("--unencrypted and --passphrase-file cannot be used together")
        }
    }

    func run() throws {
        if age { return try runAge() }
        let secretPath = output + ".key"
        let publicPath = output + ".pub"
        for path in [secretPath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw AmanaError(.outputExists, "\(path) already exists; amana never overwrites a key",
                             hint: "choose another --output prefix")
        }
        let key = try SecretKey.generate(name: name, organization: organization)
        let passphrase = unencrypted ? nil
            : try Passphrase.obtain(file: passphraseFile, confirm: true, prompt: "passphrase for the new secret key: ")
        let secretText = try key.minisignFile(passphrase: passphrase)
        try AtomicOutput.write(Array(secretText.utf8), to: secretPath, mode: 0o600)
        do {
            try AtomicOutput.write(Array(key.publicKey.minisignFile().utf8), to: publicPath, mode: 0o644)
        } catch {
            unlink(secretPath)
            throw error
        }
        Output.line("key id: \(key.keyID)")
        Output.line("secret key: \(secretPath) (\(passphrase == nil ? "NOT encrypted" : "encrypted with your passphrase"); keep it private)")
        Output.line("public key: \(publicPath) (give it to whoever must verify your bundles)")
    }

    /// An age identity file is not encrypted, as age-keygen's is not: its protection is mode 0600, which every reader
    /// of it checks.
    private func runAge() throws {
        let secretPath = output + ".agekey"
        let publicPath = output + ".agepub"
        for path in [secretPath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw AmanaError(.outputExists, "\(path) already exists; amana never overwrites a key",
                             hint: "choose another --output prefix")
        }
        let created = UTCTime.format(Date())
        let text: String, recipient: String
        if pq {
            let identity = try AgeHybridIdentity()
            (text, recipient) = (AgeIdentityFile.text(for: identity, created: created), identity.recipient.publicName)
        } else {
            let identity = AgeX25519Identity()
            (text, recipient) = (AgeIdentityFile.text(for: identity, created: created), identity.recipient.publicName)
        }
        try AtomicOutput.write(Array(text.utf8), to: secretPath, mode: 0o600)
        do {
            try AtomicOutput.write(Array((recipient + "\n").utf8), to: publicPath, mode: 0o644)
        } catch {
            unlink(secretPath)
            throw error
        }
        Output.line("age identity: \(secretPath) (mode 0600\(pq ? ", post-quantum hybrid" : ""); keep it private)")
        // A hybrid recipient is about 1,950 characters: point at the file rather than fill the terminal.
        Output.line(pq ? "age recipient: in \(publicPath) (age1pq1…, \(recipient.count) characters; give it to whoever encrypts for you)"
                       : "age recipient: \(recipient) (in \(publicPath); give it to whoever encrypts for you)")
    }
}
