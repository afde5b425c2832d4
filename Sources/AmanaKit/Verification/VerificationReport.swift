import Foundation

/// The result of verifying a bundle: a versioned JSON document (spec/verification-report.md).
///
/// It lists every finding, the trust inputs that were used, the tool and the validation time, so that a reader years
/// later can tell exactly what was checked and against what.
public struct VerificationReport: Codable, Sendable {
    public static let mediaType = "application/vnd.amana.verification-report+json;version=1"

    public struct Subject: Codable, Sendable {
        public var path: String
        /// `tar` or `folder`.
        public var kind: String
        public var bundleId: String?
    }

    public struct TrustedKeyInfo: Codable, Sendable {
        public var keyId: String
        public var name: String?
        public var organization: String?
        public var role: String?
        public var notBefore: String?
        public var notAfter: String?
        public var revokedAt: String?
        /// The file the key was read from.
        public var source: String
    }

    public struct Trust: Codable, Sendable {
        public var keys: [TrustedKeyInfo]
        /// The certificates RFC 3161 tokens were checked against, when the bundle held any.
        public var tsaRoots: [TSARoots.Source]?
        /// The system trust store's path, when it supplied the TSA roots.
        public var tsaRootStore: String?
    }

    public struct Tool: Codable, Sendable {
        public var name: String
        public var version: String
    }

    public struct Summary: Codable, Sendable {
        public var passed = 0
        public var warning = 0
        public var indeterminate = 0
        public var failed = 0
    }

    public var mediaType: String
    public var verdict: Verdict
    public var subject: Subject
    public var findings: [Finding]
    public var trust: Trust
    public var tool: Tool
    public var validationTime: String
    public var summary: Summary

    public init(subject: Subject, findings: [Finding], trusted: [TrustedKey], validationTime: Date) {
        self.mediaType = VerificationReport.mediaType
        self.verdict = Verdict(findings: findings)
        self.subject = subject
        self.findings = findings
        self.trust = Trust(keys: trusted.map {
            TrustedKeyInfo(keyId: $0.key.keyID.description, name: $0.name, organization: $0.organization,
                           role: $0.role, notBefore: $0.notBefore.map(UTCTime.format), notAfter: $0.notAfter.map(UTCTime.format),
                           revokedAt: $0.revokedAt.map(UTCTime.format), source: $0.source)
        })
        self.tool = Tool(name: "amana", version: AmanaVersion.current)
        self.validationTime = UTCTime.format(validationTime)
        var summary = Summary()
        for finding in findings {
            switch finding.status {
            case .passed: summary.passed += 1
            case .warning: summary.warning += 1
            case .indeterminate: summary.indeterminate += 1
            case .failed: summary.failed += 1
            }
        }
        self.summary = summary
    }

    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}
