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
        /// The file the key was read from; for a key several inputs named, their files joined by ", ".
        public var source: String
        /// What each input said of the key, when more than one named it (spec/keys.md section 11).
        public var sources: [TrustedKeyInfo]?
    }

    /// One seal, and who signed it. `signedBy` is set only when the signature is valid and made by a trusted key: a
    /// name is believed only from the trust inputs, never from the bundle.
    public struct SealResult: Codable, Sendable {
        public var number: Int
        public var signerKeyId: String
        public var claimedTime: String
        /// The worst status among this seal's own findings (signature, trust, commitments, tokens).
        public var status: Finding.Status
        public var signedBy: TrustedKeyInfo?
        /// `signedBy`'s name, organisation and source, repeated flat for report generators; absent with `signedBy`.
        public var signerName: String? = nil
        public var signerOrganization: String? = nil
        public var signerSource: String? = nil
        /// Every RFC 3161 token over this seal's signature, in file-name order; empty when it has none.
        public var tokens: [ReportToken] = []
        /// The number of custody events the seal's checkpoint covers, when its signature verified.
        public var custodyLength: Int? = nil
    }

    public struct Trust: Codable, Sendable {
        public var keys: [TrustedKeyInfo]
        /// The certificates RFC 3161 tokens were checked against, when the bundle held any.
        public var tsaRoots: [TSARoots.Source]?
        /// The system trust store's path, when it supplied the TSA roots.
        public var tsaRootStore: String?
    }

    /// What the bundle says of itself and how large its parts measured (spec/verification-report.md section 3.1a): the
    /// identity block of a court report, as data.
    public struct BundleInfo: Codable, Sendable {
        /// One tag file, measured: the manifests' own fingerprints a reader can recompute with sha256sum.
        public struct TagFile: Codable, Sendable {
            public var path: String
            public var size: UInt64
            public var digests: [String: String]
        }

        /// items.json's `caseId` and `title`: claims bound by the seal, never verified.
        public var caseId: String?
        public var title: String?
        /// Payload files held and their total size, measured.
        public var payloadFiles: Int
        public var payloadBytes: UInt64
        /// Every tag file the bundle holds (manifests, bag-info.txt, Amana's files, seals), sorted by path.
        public var tagFiles: [TagFile]
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

        init(_ findings: [Finding]) {
            for finding in findings {
                switch finding.status {
                case .passed: passed += 1
                case .warning: warning += 1
                case .indeterminate: indeterminate += 1
                case .failed: failed += 1
                }
            }
        }
    }

    public var mediaType: String
    public var verdict: Verdict
    public var subject: Subject
    public var findings: [Finding]
    public var trust: Trust
    public var tool: Tool
    public var validationTime: String
    public var summary: Summary
    /// Every seal that parsed, in order, with its trusted signer; absent when the bag rules did not run.
    public var seals: [SealResult]?
    /// Every payload file, sorted by path: measured size and digests, and what items.json claims; absent when the bag
    /// rules did not run.
    public var items: [ReportItem]?
    /// Every custody event, in log order (malformed lines beyond the first 100 are only counted, in `custodyOmitted`);
    /// absent when the bundle's profile rules did not run.
    public var custody: [ReportCustodyEvent]?
    /// Malformed custody lines not listed in `custody`; absent when none were left out.
    public var custodyOmitted: Int?
    /// The bundle's claimed case and title, payload totals and tag-file digests; absent when the bag rules did not run.
    public var bundle: BundleInfo?

    /// The bytes behind each entry of `seals`, by seal number, for the ETSI report (``SealEvidence``). Not encoded:
    /// ``CodingKeys`` leaves it out, so the JSON report is unchanged by it.
    package var sealEvidence: [Int: SealEvidence] = [:]

    /// Every member of the JSON document; `sealEvidence` is deliberately not among them.
    enum CodingKeys: String, CodingKey {
        case mediaType, verdict, subject, findings, trust, tool, validationTime, summary, seals, items, custody,
             custodyOmitted, bundle
    }

    public init(subject: Subject, findings: [Finding], trusted: [TrustedKey], validationTime: Date) {
        self.mediaType = VerificationReport.mediaType
        self.verdict = Verdict(findings: findings)
        self.subject = subject
        self.findings = findings
        self.trust = Trust(keys: trusted.map(TrustedKeyInfo.init))
        self.tool = Tool(name: "amana", version: AmanaVersion.current)
        self.validationTime = UTCTime.format(validationTime)
        self.summary = Summary(findings)
    }

    /// Adds findings from a check made beside verification (a receipt), and recomputes the verdict and summary.
    public mutating func append(_ more: [Finding]) {
        findings += more
        verdict = Verdict(findings: findings)
        summary = Summary(findings)
    }

    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}

extension VerificationReport.TrustedKeyInfo {
    public init(_ key: TrustedKey) {
        self.init(keyId: key.key.keyID.description, name: key.name, organization: key.organization, role: key.role,
                  notBefore: key.notBefore.map(UTCTime.format), notAfter: key.notAfter.map(UTCTime.format),
                  revokedAt: key.revokedAt.map(UTCTime.format), source: key.source,
                  sources: key.sources.count > 1 ? key.sources.map(VerificationReport.TrustedKeyInfo.init) : nil)
    }
}
