import AmanaKit
import Foundation

/// Reading key files for the CLI: size-limited, with errors that name the file.
enum KeyFiles {
    static let sizeLimit = 64 * 1024

    static func bytes(_ path: String, what: String, limit: Int = sizeLimit) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AmanaError(.inputUnreadable, "cannot read the \(what) \(path)")
        }
        defer { try? handle.close() }
        let data = handle.readData(ofLength: limit + 1)
        guard data.count <= limit else { throw AmanaError(.inputInvalid, "\(path) is not a \(what)") }
        return Array(data)
    }

    static func secretKey(_ path: String, passphraseFile: String?) throws -> SecretKey {
        // Bytes, not a String: the parser wipes what it decodes, and a String could not be wiped at all.
        var bytes = try bytes(path, what: "secret key file")
        defer { for index in bytes.indices { bytes[index] = 0 } }
        do {
            return try SecretKey(minisignFile: bytes) {
                try Passphrase.obtain(file: passphraseFile, confirm: false, prompt: "passphrase for \(path): ")
            }
        } catch let error as AmanaError where error.code == .inputInvalid {
            throw AmanaError(.inputInvalid, "\(path) is not a usable secret key: \(error.reason)")
        }
    }

    /// Reads `--trust` arguments: each is a minisign public key file or an Amana keyring (spec/keys.md).
    ///
    /// Every problem with a `--trust` argument, a missing file included, is a usage error (exit 64,
    /// verification-report.md section 6): the caller named trust that cannot be used, and no verdict may rest on it.
    /// The size limit is the keyring's own (keys.md section 9), so the library and the CLI accept the same files.
    static func trusted(_ paths: [String]) throws -> [TrustedKey] {
        var keys = [TrustedKey]()
        for path in paths {
            let bytes: [UInt8]
            do {
                bytes = try self.bytes(path, what: "public key file or keyring", limit: Keyring.maximumSize)
            } catch let error as AmanaError {
                throw AmanaError(.usage, error.reason)
            }
            do {
                if Keyring.isKeyring(bytes) {
                    keys += try Keyring.parse(bytes, source: path)
                } else {
                    keys.append(TrustedKey(key: try PublicKey(minisignFile: bytes), source: path))
                }
            } catch let error as AmanaError {
                throw AmanaError(.usage, "\(path) is not a minisign public key or an amana keyring: \(error.reason)")
            }
        }
        return keys
    }
}
