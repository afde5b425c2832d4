import ArgumentParser
import AmanaKit
import Foundation

struct Decrypt: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decrypt an age v1 file (binary or armored) with an identity file or a passphrase.",
        discussion: """
            The plaintext goes to a hidden temporary file that is renamed to --output only after the last chunk has \
            authenticated: on a wrong key, a truncated file or any changed byte, nothing is left behind. The identity \
            file must be readable by its owner only (mode 0600). Never overwrites a file.
            """
    )

    @Argument(help: "The encrypted file (.age).")
    var input: String

    @Option(name: .long, help: "An age identity file (AGE-SECRET-KEY-1…, as written by 'amana keygen --age' or age-keygen); repeatable.")
    var identity: [String] = []

    @Flag(name: .long, help: "Decrypt with a passphrase (asked for, or --passphrase-file).")
    var passphrase = false

    @Option(name: .long, help: "Read the passphrase from the first line of this file.")
    var passphraseFile: String?

    @Option(name: .long, help: "The decrypted file to create.")
    var output: String

    func validate() throws {
        if identity.isEmpty && !passphrase && passphraseFile == nil {
            throw ValidationError("give an --identity file, or --passphrase")
        }
    }

    func run() throws {
        var identities: [AgeIdentity] = []
        for file in identity { identities += try AgeIdentityFile.read(file) }
        if passphrase || passphraseFile != nil {
            let secret = try Passphrase.obtain(file: passphraseFile, confirm: false, prompt: "passphrase for \(input): ")
            identities.append(AgeScryptIdentity(passphrase: secret))
        }
        let size = try AgeFileDecryption.decrypt(input, to: output, identities: identities)
        Output.line("decrypted \(input) to \(output) (\(Output.bytes(size)); every chunk authenticated)")
    }
}
