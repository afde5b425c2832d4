import ArgumentParser
import AmanaKit

/// `--identity`, shared by every verb that reads an age-encrypted bundle: `decrypt`, and `verify`, `inspect`,
/// `custody show` and `custody receive`, which decrypt in memory and write no plaintext.
struct AgeIdentityOptions: ParsableArguments {
    @Option(name: .long, help: "An age identity file (AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…, as written by 'amana keygen --age' or age-keygen), mode 0600; repeatable. For an encrypted bundle (.tar.age).")
    var identity: [String] = []

    /// The identities of every file given, or nil when none was.
    func identities() throws -> [AgeIdentity]? {
        guard !identity.isEmpty else { return nil }
        var out: [AgeIdentity] = []
        for file in identity { out += try AgeIdentityFile.read(file) }
        return out
    }
}

/// `--passphrase` and `--passphrase-file`, shared by `encrypt` and `decrypt` (age's scrypt recipient).
struct AgePassphraseOptions: ParsableArguments {
    @Flag(name: .long, help: "Use a passphrase instead of keys (asked for on the terminal, or --passphrase-file).")
    var passphrase = false

    @Option(name: .long, help: "Read the passphrase from the first line of this file.")
    var passphraseFile: String?

    var isUsed: Bool { passphrase || passphraseFile != nil }
}
