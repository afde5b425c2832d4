import AmanaKit
import Foundation

/// Reading key files for the CLI: size-limited, with errors that name the file.
enum KeyFiles {
    static let sizeLimit = 64 * 1024

    static func text(_ path: String, what: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AmanaError(.inputUnreadable, "cannot read the \(what) \(path)")
        }
        defer { try? handle.close() }
        let data = handle.readData(ofLength: sizeLimit + 1)
        guard data.count <= sizeLimit, let text = String(data: data, encoding: .utf8) else {
            throw AmanaError(.inputInvalid, "\(path) is not a \(what)")
        }
        return text
    }

    static func secretKey(_ path: String, passphraseFile: String?) throws -> SecretKey {
        let text = try text(path, what: "secret key file")
        do {
            return try SecretKey(minisignFile: text) {
                try Passphrase.obtain(file: passphraseFile, confirm: false, prompt: "passphrase for \(path): ")
            }
        } catch let error as AmanaError where error.code == .inputInvalid {
            throw AmanaError(.inputInvalid, "\(path) is not a usable secret key: \(error.reason)")
        }
    }

    static func trusted(_ paths: [String]) throws -> [TrustedKey] {
        try paths.map { path in
            let text = try text(path, what: "public key file")
            do {
                return TrustedKey(key: try PublicKey(minisignFile: text), source: path)
            } catch let error as AmanaError {
                throw AmanaError(.usage, "\(path) is not a minisign public key: \(error.reason)")
            }
        }
    }
}
