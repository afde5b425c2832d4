import AmanaKit
import Foundation
import SwiftASN1

/// RFC 3161 time-stamp tokens (spec/timestamps.md): the bytes of a bundle's `seals/NNNN.seal.minisig.tsr`, which
/// reach ``TimestampVerifier`` unchanged, and the TSTInfo inside them, which is parsed before any signature is checked.
enum TimestampTargets {
    /// The bytes the seed tokens stamp (scripts/fuzz/make-corpus.sh writes the same line), so that the imprint matches
    /// for them and the verifier goes on to the signature and chain rules.
    static let stamped = Array("amana fuzz: the stamped seal signature\n".utf8)
    /// Fixed times, so that one input always takes the same path: the seeds were made in late 2026, by a test TSA whose
    /// certificates are valid for ten years.
    static let validationTime = Date(timeIntervalSince1970: 1_812_000_000)  // 2027-06-03
    static let claimedTime = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21

    static func timestampToken(_ bytes: [UInt8]) {
        var roots = TSARoots()
        if case .success(let token) = TimestampToken.parse(bytes) {
            // DER has one encoding per value: a TSTInfo that parsed strictly re-encodes to the bytes it came from.
            FuzzCheck.expect((try? token.tstInfo.derBytes()) == token.signedData.eContent,
                             "a token's TSTInfo re-encodes to its own bytes")
            // Trust the token's own self-signed certificates, so that the seeds reach the chain rule instead of
            // stopping at "no trusted root" (a real verifier's roots are the caller's, never the token's).
            roots = TSARoots(certificates: token.signedData.certificates.compactMap(\.certificate), source: "fuzz")
        }
        let result = TimestampVerifier.verify(token: bytes, data: .bytes(stamped), roots: roots,
                                              validationTime: validationTime, claimedTime: claimedTime,
                                              subject: "seals/0001.seal.minisig.tsr")
        let valid = result.findings.contains { $0.code == "timestamp.valid" && $0.status == .passed }
        FuzzCheck.expect(!valid || !result.findings.contains { $0.status == .failed },
                         "timestamp.valid beside a failed finding")
        FuzzCheck.expect(!valid || result.info?.trusted == true, "timestamp.valid without a trusted chain")
        if let info = result.info {
            _ = try? JSONEncoder().encode(info)
            _ = FuzzingHooks.validMessage(info)
        }
    }

    static func tstInfo(_ bytes: [UInt8]) {
        guard let node = try? DER.parse(bytes), let info = try? TSTInfo(derEncoded: node) else { return }
        FuzzCheck.expect((try? info.derBytes()) == bytes, "a TSTInfo re-encodes to the bytes it was parsed from")
        _ = FuzzingHooks.genTimeText(info)
        _ = info.accuracy?.description
        _ = info.messageImprint.hashAlgorithm.digestAlgorithm
        _ = FuzzingHooks.qualifiedStatementLocations(info)
    }
}
