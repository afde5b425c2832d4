import AmanaKit
import Foundation

/// Seeds that the CLI cannot make: a secret key encrypted with cheap scrypt limits (the CLI always uses minisign's
/// 1 GiB ones, which the secret-key target skips as too slow), under the passphrase the target tries.
enum Seeds {
    static func write(key path: String, into folder: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let key = try SecretKey(minisignFile: text, passphrase: { KeyTargets.passphrase })
        // opslimit 32768 and memlimit 2 MiB give N = 1024, r = 8, p = 1: about a millisecond.
        let encrypted = try FuzzingHooks.secretKeyFile(key, passphrase: KeyTargets.passphrase, opsLimit: 32768, memLimit: 2 << 20)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(encrypted.utf8).write(to: URL(fileURLWithPath: "\(folder)/encrypted-cheap.key"))
    }
}
