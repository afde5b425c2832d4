import Foundation

/// Time checks around genTime. A TSA's clock is right to within its stated accuracy; a further tolerance absorbs the
/// signer's clock drift, so that honest seals never fail on a few seconds.
package enum TimestampTimeRule {
    /// Slack added to the token's accuracy in every comparison: 5 minutes.
    package static let tolerance: TimeInterval = 300
    /// A token obtained this long after the claimed time is noted in the message (field work is often offline).
    package static let lateStampNote: TimeInterval = 24 * 3600

    /// genTime must not be later than the validation time: a token from the future cannot be genuine.
    static func checkNotFuture(_ info: TimestampInfo, validationTime: Date, _ findings: inout TimestampFindings) {
        let slack = (info.accuracySeconds ?? 0) + tolerance
        if info.genDate.timeIntervalSince(validationTime) > slack {
            findings.failed(.timeFuture, "genTime \(info.genTime) is later than the validation time "
                            + "\(UTCTime.format(validationTime))", expected: "at most \(UTCTime.format(validationTime))",
                            found: info.genTime)
        }
    }

    /// Checks genTime against the seal's Claimed-Time. The token stamps the seal's signature, so the signature existed
    /// at genTime: a genTime earlier than the claimed time (beyond accuracy and tolerance) shows the claimed time is
    /// false, and fails. A genTime much later than the claimed time is normal for offline work and only noted.
    package static func checkClaimedTime(_ claimed: Date, info: TimestampInfo, subject: String?) -> Finding {
        var findings = TimestampFindings(subject: subject)
        let slack = (info.accuracySeconds ?? 0) + tolerance
        let gap = info.genDate.timeIntervalSince(claimed)
        if gap < -slack {
            findings.failed(.timeBeforeClaim, "the TSA saw this seal's signature at \(info.genTime), "
                            + "\(duration(-gap)) before the seal's claimed time: the claimed time is false",
                            expected: "at or after \(UTCTime.format(claimed))", found: info.genTime)
        } else if gap > lateStampNote {
            findings.passed(.timeConsistent, "time-stamped \(duration(gap)) after the seal's claimed time "
                            + "\(UTCTime.format(claimed)); the token proves the seal existed by \(info.genTime), not earlier")
        } else {
            findings.passed(.timeConsistent, "genTime \(info.genTime) agrees with the seal's claimed time "
                            + "\(UTCTime.format(claimed))")
        }
        return findings.all[0]
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s < 120 { return "\(s) seconds" }
        if s < 7200 { return "\(s / 60) minutes" }
        if s < 2 * 86400 { return "\(s / 3600) hours" }
        return "\(s / 86400) days"
    }
}
