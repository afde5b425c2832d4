import AmanaKit
import Foundation

/// The fuzz targets: each runs one input through a parser (or the whole verifier) the way hostile input reaches it.
///
/// A target must never crash, hang or leak whatever the bytes are. Where a format promises a round trip (canonical
/// seal statements, custody events, minisign files), the target also checks it with ``FuzzCheck/expect(_:_:)``, so a
/// broken promise is reported as a crash too. `make fuzz` runs each with libFuzzer; the replayer (and
/// `FuzzRegressionTests`) runs saved inputs through the same closures.
enum FuzzTargets {
    static let all: [String: @Sendable ([UInt8]) -> Void] = [
        // BagIt tag files and manifests (RFC 8493).
        "tag-file": TextTargets.tagFile,
        "bag-declaration": TextTargets.bagDeclaration,
        "bag-info": TextTargets.bagInfo,
        "manifest": TextTargets.manifest,
        "fetch": TextTargets.fetch,
        // minisign keys and signatures (spec/keys.md).
        "public-key": KeyTargets.publicKey,
        "secret-key": KeyTargets.secretKey,
        "signature": KeyTargets.signature,
        "keyring": KeyTargets.keyring,
        // Seals and custody (spec/seal.md, spec/custody-log.md).
        "seal-statement": CustodyTargets.sealStatement,
        "custody-event": CustodyTargets.custodyEvent,
        "custody-log": CustodyTargets.custodyLog,
        "canonical-json": CustodyTargets.canonicalJSON,
        "receipt": CustodyTargets.receipt,
        "store-proofs": CustodyTargets.storeProofs,
        "items": CustodyTargets.items,
        // The whole verify path over a tar (plain or compressed) held in memory.
        "verify": VerifyTarget.verify,
        // RFC 3161 time-stamp tokens (spec/timestamps.md): a bundle's .tsr files, and the TSTInfo inside them.
        "timestamp-token": TimestampTargets.timestampToken,
        "tst-info": TimestampTargets.tstInfo,
    ].merging(MetadataTargets.all) { first, _ in first }

    static var names: [String] { all.keys.sorted() }
}

/// Invariants that a target checks beyond "does not crash".
enum FuzzCheck {
    /// Traps (which libFuzzer records as a crash) when a promised property does not hold.
    static func expect(_ condition: @autoclosure () -> Bool, _ what: @autoclosure () -> String) {
        if !condition() { fatalError("fuzz invariant broken: \(what())") }
    }

    /// The input decoded by every tag-file encoding that accepts it, as the BagIt checker would decode it.
    static func decodings(_ bytes: [UInt8]) -> [String] {
        TagFileEncoding.allCases.compactMap { $0.decode(bytes)?.text }
    }
}
