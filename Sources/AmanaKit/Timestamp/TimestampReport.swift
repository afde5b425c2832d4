import Foundation

/// `amana verify-timestamp`'s result: a ``VerificationReport`` (same media type, verdict rule and exit codes as
/// `amana verify`) plus the TSA roots it was checked against and what the token says.
///
/// The JSON is the verification report with two additions that version 1 allows (unknown fields are ignored):
/// `trust.tsaRoots` (every certificate given with `--tsa-root`, or the system store's) and `timestamp` (the
/// ``TimestampInfo``).
package struct TimestampReport: Sendable {
    package let report: VerificationReport
    package let roots: TSARoots
    package let info: TimestampInfo?
    package let dataPath: String

    /// Largest token file read: real tokens are a few kilobytes.
    package static let maximumTokenSize = 1 << 20

    /// Reads the token and the data and verifies one against the other.
    /// - Throws: `AmanaError` `input.unreadable` (exit 66) when either file cannot be read.
    package static func verify(tokenPath: String, dataPath: String, roots: TSARoots,
                              validationTime: Date) throws -> TimestampReport {
        let tokenBytes = try readToken(tokenPath)
        let data = try TimestampedData.file(dataPath)
        let result = TimestampVerifier.verify(token: tokenBytes, data: data, roots: roots,
                                              validationTime: validationTime)
        let report = VerificationReport(subject: .init(path: tokenPath, kind: "timestamp", bundleId: nil),
                                        findings: result.findings, trusted: [], validationTime: validationTime)
        return TimestampReport(report: report, roots: roots, info: result.info, dataPath: dataPath)
    }

    static func readToken(_ path: String) throws -> [UInt8] {
        let file = try ReadOnlyFile(path: path)
        guard file.size <= UInt64(maximumTokenSize) else {
            throw AmanaError(.inputInvalid, "\(path) is \(file.size) bytes, too large to be a time-stamp token")
        }
        var bytes = [UInt8](repeating: 0, count: Int(file.size))
        var filled = 0
        while filled < bytes.count {
            let count = try bytes.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if count == 0 { break }
            filled += count
        }
        return Array(bytes.prefix(filled))
    }

    private struct Document: Encodable {
        struct Trust: Encodable {
            var keys: [VerificationReport.TrustedKeyInfo]
            /// Every certificate the token was checked against, as `verify` lists them: those named with --tsa-root,
            /// or the system store's (spec/verification-report.md section 3.1).
            var tsaRoots: [TSARoots.Source]
            /// The system trust store's path, when it was used instead.
            var tsaRootStore: String?
        }
        var mediaType: String
        var verdict: Verdict
        var subject: VerificationReport.Subject
        var data: String
        var findings: [Finding]
        var trust: Trust
        var tool: VerificationReport.Tool
        var validationTime: String
        var summary: VerificationReport.Summary
        var timestamp: TimestampInfo?
    }

    /// The report as JSON, formatted as `VerificationReport.json()` formats it.
    package func json() throws -> [UInt8] {
        let document = Document(
            mediaType: report.mediaType, verdict: report.verdict, subject: report.subject, data: dataPath,
            findings: report.findings,
            // Listed as `amana verify` lists them (verification-report.md section 3): every certificate checked
            // against, the system store's included, with the store's path beside them.
            trust: .init(keys: report.trust.keys, tsaRoots: roots.sources,
                         tsaRootStore: roots.isSystem ? TSARoots.systemBundlePath : nil),
            tool: report.tool, validationTime: report.validationTime, summary: report.summary, timestamp: info)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(UTCTime.format(date))
        }
        return Array(try encoder.encode(document)) + [UInt8(ascii: "\n")]
    }
}
