/// Collects one token's findings, each about the same subject (the token file, e.g. `seals/0001.seal.minisig.tsr`).
struct TimestampFindings {
    let subject: String?
    private(set) var all: [Finding] = []

    init(subject: String?) { self.subject = subject }

    mutating func failed(_ code: TimestampCode, _ message: String, expected: String? = nil, found: String? = nil) {
        all.append(.failed(code.rawValue, subject: subject, expected: expected, found: found, message))
    }

    mutating func indeterminate(_ code: TimestampCode, _ message: String) {
        all.append(.indeterminate(code.rawValue, subject: subject, message))
    }

    mutating func warning(_ code: TimestampCode, _ message: String) {
        all.append(.warning(code.rawValue, subject: subject, message))
    }

    mutating func passed(_ code: TimestampCode, _ message: String) {
        all.append(.passed(code.rawValue, subject: subject, message))
    }

    mutating func append(_ finding: Finding) { all.append(finding) }

    var isClean: Bool { all.allSatisfy { $0.status == .passed || $0.status == .warning } }
}

/// Every finding code the timestamp layer emits, named once. spec/timestamps.md section 6 lists them with statuses.
package enum TimestampCode: String, FindingCode {
    /// passed: the token is valid for the data, and its chain reaches a trusted root at genTime.
    case valid = "timestamp.valid"
    /// failed: not DER, trailing bytes, or not a well-formed TimeStampResp / TimeStampToken.
    case encodingInvalid = "timestamp.encoding.invalid"
    /// warning: the signed attributes are not in DER's SET OF order, and the signature verifies over them as received.
    case encodingNonDERAttributes = "timestamp.encoding.non-der-attributes"
    /// failed: a TimeStampResp whose status is not granted.
    case statusRejected = "timestamp.status.rejected"
    /// failed: the token stamps other data.
    case imprintMismatch = "timestamp.imprint.mismatch"
    /// failed: the imprint uses MD5 or SHA-1.
    case imprintWeak = "timestamp.imprint.weak"
    /// indeterminate: the imprint's algorithm is unknown, or its digest of the data was not supplied.
    case imprintUnsupported = "timestamp.imprint.unsupported"
    /// failed: the content-type attribute is missing or is not id-ct-TSTInfo.
    case contentTypeInvalid = "timestamp.content-type.invalid"
    /// failed: the message-digest attribute is missing or differs from the digest of the TSTInfo.
    case messageDigestMismatch = "timestamp.message-digest.mismatch"
    /// indeterminate: no certificate (in the token or given) matches the SignerInfo's issuer and serial or key id.
    case signerMissing = "timestamp.signer.missing"
    /// failed: the CMS signature does not verify with the signer certificate's key.
    case signatureInvalid = "timestamp.signature.invalid"
    /// failed: the signature or its digest uses MD5 or SHA-1.
    case algorithmWeak = "timestamp.algorithm.weak"
    /// indeterminate: a signature or digest algorithm Amana does not implement.
    case algorithmUnsupported = "timestamp.algorithm.unsupported"
    /// failed: neither signingCertificate nor signingCertificateV2 is present.
    case essCertIDMissing = "timestamp.esscertid.missing"
    /// failed: the ESSCertID(v2) does not name the signer certificate.
    case essCertIDMismatch = "timestamp.esscertid.mismatch"
    /// failed: the TSA certificate's extended key usage is not timeStamping alone, marked critical.
    case ekuInvalid = "timestamp.eku.invalid"
    /// failed: the TSTInfo `tsa` field names someone other than the signer certificate.
    case tsaNameMismatch = "timestamp.tsa-name.mismatch"
    /// indeterminate: the TSTInfo has a critical extension Amana does not understand.
    case extensionUnsupported = "timestamp.extension.unsupported"
    /// failed: genTime is later than the validation time (beyond accuracy and tolerance).
    case timeFuture = "timestamp.time.future"
    /// indeterminate: the chain reaches no trusted root.
    case chainUntrusted = "timestamp.chain.untrusted"
    /// failed: a chain to a trusted root exists by name but is not valid at genTime, or is signed by a lookalike.
    case chainInvalid = "timestamp.chain.invalid"
    /// failed: genTime is earlier than the seal's claimed time (beyond accuracy and tolerance).
    case timeBeforeClaim = "timestamp.time.before-claim"
    /// passed: genTime is consistent with the seal's claimed time (the message notes a late stamp).
    case timeConsistent = "timestamp.time.consistent"
    /// warning: a certificate inside the token could not be parsed, and was ignored.
    case certificateUnreadable = "timestamp.certificate.unreadable"
}
