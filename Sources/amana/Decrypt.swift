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

    @OptionGroup var identityOptions: AgeIdentityOptions

    @OptionGroup var passphraseOptions: AgePassphraseOptions

    @Option(name: .long, help: "The decrypted file to create.")
    var output: String

    func validate() throws {
        if identityOptions.identity.isEmpty && !passphraseOptions.isUsed {
            throw ValidationError("give an --identity file, or --passphrase")
        }
    }

    func run() throws {
        var identities = try identityOptions.identities() ?? []
        if passphraseOptions.isUsed {
            let secret = try Passphrase.obtain(file: passphraseOptions.passphraseFile, confirm: false, prompt: "passphrase for \(input): ")
            identities.append(AgeScryptIdentity(passphrase: secret))
        }
        let size = try AgeFileDecryption.decrypt(input, to: output, identities: identities)
        Output.line("decrypted \(input) to \(output) (\(Output.bytes(size)); every chunk authenticated)")
    }
}
