import AmanaKit
import Foundation

/// The generator's secret keys, kept in fixtures/vectors/keys/ so that regenerating gives the same bytes. They are
/// TEST keys, unencrypted, and sign nothing else. Each case copies the public halves it trusts into its own `trust/`.
struct VectorKeys {
    let folder: URL
    /// Seals the base bundle; the key most cases trust.
    let signer: SecretKey
    /// Receives the handed-off bundle; a second, independent key.
    let other: SecretKey
    /// A different key that carries the signer's key id and name: an impersonation attempt.
    let signerTwin: SecretKey
    /// The same for `other`.
    let otherTwin: SecretKey

    init(folder: URL) throws {
        self.folder = folder
        signer = try VectorKeys.load("signer", in: folder) { try SecretKey.generate(name: "Vector Signer", organization: "Amana test vectors") }
        other = try VectorKeys.load("other", in: folder) { try SecretKey.generate(name: "Vector Other", organization: "Amana test vectors") }
        let signerID = signer.keyID
        signerTwin = try VectorKeys.load("signer-twin", in: folder) {
            try SecretKey.generate(name: "Vector Signer", organization: "Amana test vectors", keyID: signerID)
        }
        let otherID = other.keyID
        otherTwin = try VectorKeys.load("other-twin", in: folder) {
            try SecretKey.generate(name: "Vector Other", organization: "Amana test vectors", keyID: otherID)
        }
    }

    /// Loads `NAME.key`, making it (and `NAME.pub`) the first time.
    private static func load(_ name: String, in folder: URL, make: () throws -> SecretKey) throws -> SecretKey {
        let keyPath = folder.appendingPathComponent("\(name).key")
        if let text = try? String(contentsOf: keyPath, encoding: .utf8) {
            return try SecretKey(minisignFile: text) { "" }
        }
        let key = try make()
        try writeFile(utf8(try key.minisignFile(passphrase: nil)), keyPath)
        try writeFile(utf8(key.publicKey.minisignFile()), folder.appendingPathComponent("\(name).pub"))
        return key
    }

    /// The bytes of a shared public file (`signer.pub`, `other.pub`, `signer-twin.pub`), or nil.
    func publicFile(_ name: String) -> [UInt8]? {
        guard name.hasSuffix(".pub") else { return nil }
        return (try? Data(contentsOf: folder.appendingPathComponent(name))).map(Array.init)
    }

    /// A keyring (keys.md section 10a) with one stanza per key.
    static func keyring(_ stanzas: [(SecretKey, [(String, String)])]) -> [UInt8] {
        var text = "amana-keyring: 1\n"
        for (key, labels) in stanzas {
            text += "\nkey: \(key.publicKey.base64)\n"
            for (label, value) in labels { text += "\(label): \(value)\n" }
        }
        return utf8(text)
    }
}
