/// One RFC 3161 token of a seal, as the report states it (spec/verification-report.md section 3.2).
///
/// Every field a court report shows is here as data, so that a report generator never reads a finding's `message`:
/// who stamped, when, under which policy, over which digest, whether the chain reached a root the caller trusted, and
/// which qualified-certificate statements the TSA's certificate carries. Whether that TSA is on an EU trusted list is
/// not answered (Amana verifies offline); the statements are the certificate's own, signed under the chain.
public struct ReportToken: Codable, Equatable, Sendable {
    /// The trust anchor a valid chain ended at.
    public struct Root: Codable, Equatable, Sendable {
        /// RFC 4514 subject of the anchor.
        public var subject: String
        /// SHA-256 of the anchor's DER, lowercase hex.
        public var sha256: String
    }

    /// The token's path in the bag, `seals/NNNN.seal.minisig.tsr` or `...minisig.N.tsr`.
    public var file: String
    /// The worst status among the findings about this token.
    public var status: Finding.Status
    /// `TimeStampResp` or `TimeStampToken`; absent (as is everything read from the token) when it did not parse.
    public var form: String?
    public var genTime: String?
    public var accuracySeconds: Double?
    /// The subject (RFC 4514) of the certificate that signed the token; absent when no signer certificate was found.
    public var tsaName: String?
    /// The TSTInfo `tsa` GeneralName, when the token carries one.
    public var tsaField: String?
    /// The TSA policy OID, dotted.
    public var policy: String?
    /// The message imprint's digest algorithm (`sha256`, ... or a dotted OID) and value (lowercase hex).
    public var imprintAlgorithm: String?
    public var imprint: String?
    /// The token's serial number, lowercase hex.
    public var serialNumber: String?
    /// SHA-256 of the TSA certificate's DER, when it was found.
    public var tsaCertificateSHA256: String?
    /// True when the chain reached a trust anchor the caller gave and was valid at genTime.
    public var trusted: Bool
    /// The anchor the chain ended at; present exactly when `trusted` is true.
    public var root: Root?
    /// The validated chain's subjects, leaf first; present exactly when `trusted` is true.
    public var chain: [String]?
    /// esi4-qtstStatement-1 (0.4.0.19422.1.1) is present in the token or in the TSA certificate's qcStatements.
    public var qualified: Bool
    /// Where esi4-qtstStatement-1 was found: `token` and/or `certificate`.
    public var qualifiedStatementIn: [String]
    /// Every statement OID (dotted) in the TSA certificate's qcStatements extension, in certificate order; empty when
    /// the certificate has none or was not found.
    public var qcStatements: [String]
    /// id-etsi-qcs-QcCompliance (0.4.0.1862.1.1) is among `qcStatements`: the certificate claims to be EU-qualified.
    public var qcCompliance: Bool
}

extension ReportToken {
    /// A token entry from what verification read (nil info: the token did not parse).
    init(file: String, status: Finding.Status, info: TimestampInfo?) {
        self.init(file: file, status: status, trusted: false, qualified: false, qualifiedStatementIn: [], qcStatements: [],
                  qcCompliance: false)
        guard let info else { return }
        form = info.form
        genTime = info.genTime
        accuracySeconds = info.accuracySeconds
        tsaCertificateSHA256 = info.signerCertificateSHA256
        // TimestampInfo.tsaName falls back to the TSTInfo field when no certificate was found; here the two stay apart.
        tsaName = info.signerCertificateSHA256 == nil ? nil : info.tsaName
        tsaField = info.tsaField
        policy = info.policy
        imprintAlgorithm = info.imprintAlgorithm
        imprint = info.imprint
        serialNumber = info.serialNumber
        trusted = info.trusted
        if info.trusted {
            chain = info.chain
            if let subject = info.chain.last, let sha256 = info.chainRootSHA256 {
                root = Root(subject: subject, sha256: sha256)
            }
        }
        qualified = info.qualified
        qualifiedStatementIn = info.qualifiedStatementIn
        qcStatements = info.qcStatements ?? []
        qcCompliance = qcStatements.contains(QualifiedStatement.qcComplianceID)
    }
}
