import ArgumentParser
import AmanaKit
import Foundation

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make an Ed25519 key pair in minisign's file formats.",
        discussion: """
            Writes PREFIX.key (the secret key, mode 0600, encrypted with a passphrase unless --unencrypted) and \
            PREFIX.pub (the public key, to give to whoever verifies your bundles). Never overwrites a file. \
            minisign reads and writes both files too.
            """
    )

    @Option(name: .long, help: "Write PREFIX.key and PREFIX.pub.")
    var output: String

    @Option(name: .long, help: "Your name, recorded in the key files' comment lines.")
    var name: String?

    @Option(name: .long, help: "Your organisation, recorded in the key files' comment lines.")
    var organization: String?

    @Flag(name: .long, help: "Store the secret key without a passphrase (for automation and tests only).")
    var unencrypted = false

    @Option(name: .long, help: "Read the passphrase from the first line of this file.")
    var passphraseFile: String?

    func validate() throws {
        if unencrypted && passphraseFile != nil {
            throw ValidationError("--unencrypted and --passphrase-file cannot be used together")
        }
    }

    func run() throws {
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
}
