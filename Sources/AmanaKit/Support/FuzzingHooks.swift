import Foundation

/// The internals the fuzz targets (Sources/amana-fuzz) drive directly, and nothing else uses.
///
/// The targets once reached these through `@testable import`, which a release build of the whole package refuses
/// (`swift build -c release`, as any packager runs it). With `package` access they build in every configuration
/// and stay out of the public API: only this package's own targets see them.
/// Each hook is a thin call into the real code, so the fuzzer exercises exactly what `amana` runs.
package enum FuzzingHooks {
    /// The custody rule over a log held in memory, with one seal statement to hold its checkpoints to.
    package static func checkCustodyLog(_ bytes: [UInt8], bundleID: String, trusted: [TrustedKey],
                                       statement: SealStatement) -> [Finding] {
        var inventory = BagInventory()
        inventory.files[CustodyLog.path] = BagInventory.File(size: UInt64(bytes.count), digests: [:], contents: bytes)
        guard let trust = try? TrustSet(trusted) else { return [] }
        var context = VerificationContext(inventory: inventory, trust: trust, bundleID: bundleID, statements: [1: statement])
        return CustodyRule().check(&context)
    }

    /// Whether a minisign secret key file is encrypted, and its scrypt limits; nil when it does not parse.
    package static func secretKeyLimits(_ bytes: [UInt8]) -> (isEncrypted: Bool, opsLimit: UInt64, memLimit: UInt64)? {
        guard let file = try? SecretKeyFile(bytes: bytes) else { return nil }
        return (file.isEncrypted, file.opsLimit, file.memLimit)
    }

    /// A secret key file encrypted with the given scrypt limits (the CLI always uses minisign's own).
    package static func secretKeyFile(_ key: SecretKey, passphrase: String, opsLimit: UInt64, memLimit: UInt64) throws -> String {
        try key.minisignFile(passphrase: passphrase, opsLimit: opsLimit, memLimit: memLimit)
    }

    /// A public key with this key id and key bytes, and no name.
    package static func publicKey(keyID: KeyID, rawKey: [UInt8]) -> PublicKey {
        PublicKey(keyID: keyID, rawKey: rawKey, metadata: KeyComment())
    }

    /// What the checker makes of a `bagit.txt` that does not parse strictly.
    package static func salvageDeclaration(_ bytes: [UInt8]) -> BagDeclaration? {
        BagDeclaration.salvage(bytes)
    }

    /// The texts and lookups the timestamp verifier derives from a token it read.
    package static func validMessage(_ info: TimestampInfo) -> String { TimestampVerifier.validMessage(info) }
    package static func genTimeText(_ tst: TSTInfo) -> String { TimestampVerifier.genTimeText(tst) }
    package static func qualifiedStatementLocations(_ tst: TSTInfo) -> [String] {
        QualifiedStatement.locations(tstInfo: tst, signer: nil)
    }

    /// The size from which compressed input is judged for decompression bombs (``TarReader``); the fuzzer lowers
    /// it so one small input cannot make a run inflate a gigabyte.
    package static var tarExpansionFloor: Int64 {
        get { TarReader.expansionFloor }
        set { TarReader.expansionFloor = newValue }
    }
}
