import Foundation

/// What a token says, for the report: who stamped, when, under which policy, and how far it was trusted.
///
/// Filled from the TSTInfo as soon as the token parses, so it is there even for a token that fails; `trusted` and
/// `chain` say how far verification got.
package struct TimestampInfo: Codable, Sendable, Equatable {
    /// `TimeStampResp` or `TimeStampToken`: which form the file held.
    package var form: String
    /// The TSA: the signer certificate's subject (RFC 4514), or the token's own `tsa` field when no certificate was found.
    package var tsaName: String?
    /// The TSTInfo `tsa` field, when present.
    package var tsaField: String?
    /// When the TSA says the data existed, UTC, RFC 3339 (fractions kept when the token has them).
    package var genTime: String
    /// genTime is right to within this many seconds either way; nil when the token does not say.
    package var accuracySeconds: Double?
    package var policy: String
    /// The token's serial number: hex of the INTEGER's octets (two's complement, as stored).
    package var serialNumber: String
    package var nonce: String?
    package var imprintAlgorithm: String
    package var imprint: String
    /// The signer certificate's issuer (RFC 4514) and serial (hex), when the signer was found.
    package var signerIssuer: String?
    package var signerSerial: String?
    /// SHA-256 of the signer certificate's DER, to identify it in a report.
    package var signerCertificateSHA256: String?
    /// True when esi4-qtstStatement-1 (0.4.0.19422.1.1) is present: the TSA declares an EU qualified time-stamp.
    package var qualified: Bool
    /// Where the statement was found: `token` (TSTInfo extension, ETSI EN 319 422) and/or `certificate` (qcStatements).
    package var qualifiedStatementIn: [String]
    /// The validated chain's subjects, leaf first; empty when no chain to a trusted root was found.
    package var chain: [String]
    /// True when the chain reached a trusted root and was valid at genTime.
    package var trusted: Bool
    /// SHA-256 of the DER of the trust anchor the chain ended at; nil unless `trusted`.
    package var chainRootSHA256: String? = nil
    /// The statement OIDs in the TSA certificate's qcStatements extension (RFC 3739), dotted, in order; nil when the
    /// signer certificate was not found or has no such extension.
    package var qcStatements: [String]? = nil

    /// genTime as a date, for comparisons (sub-millisecond fractions are dropped).
    package var genDate: Date { UTCTime.parseRFC3339(genTime) ?? .distantPast }

    /// `2025-05-09T11:58:55Z (±1s)`.
    package var genTimeDescription: String {
        guard let accuracySeconds else { return genTime }
        return "\(genTime) (±\(Accuracy.format(accuracySeconds)))"
    }
}

extension Accuracy {
    static func format(_ seconds: Double) -> String {
        var text = Substring(String(format: "%.6f", seconds))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return "\(text)s"
    }
}
