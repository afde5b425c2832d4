import Foundation
import X509

/// The result of verifying one token: every finding, and what the token says (nil when it could not be parsed).
package struct TimestampVerification: Sendable {
    package var findings: [Finding]
    package var info: TimestampInfo?

    /// The verdict these findings alone give.
    package var verdict: Verdict { Verdict(findings: findings) }
}

/// Verifies an RFC 3161 time-stamp token offline, against the stamped data and the caller's trusted TSA roots.
///
/// It never throws for a bad token: every problem is a ``Finding`` with a stable `timestamp.` code (STYLE rules 4
/// and 5), and every check runs even after one fails. What it checks, in order (spec/timestamps.md section 5):
///
/// 1. the encoding: DER only, no trailing bytes; a TimeStampResp must be granted;
/// 2. the message imprint against the data (no MD5 or SHA-1);
/// 3. the signed attributes: content-type id-ct-TSTInfo, and message-digest over the TSTInfo's bytes;
/// 4. the signer certificate, chosen by the SignerInfo's issuer and serial (or key id) and bound by ESSCertID(v2);
/// 5. the CMS signature over the signed attributes' original bytes;
/// 6. the TSA certificate's extended key usage (timeStamping only, critical) and the `tsa` field;
/// 7. genTime not in the future, and against the seal's claimed time when one is given;
/// 8. the chain, validated at genTime, to a self-signed certificate among `roots`.
///
/// A valid token whose chain reaches no trusted root is INDETERMINATE; an imprint mismatch or a bad signature is
/// TOTAL-FAILED; a fully valid one yields a single passed `timestamp.valid` naming the TSA and genTime.
package enum TimestampVerifier {
    /// Verifies `token` (a DER TimeStampResp or TimeStampToken).
    /// - Parameters:
    ///   - data: the stamped bytes (for Amana, the seal's `.minisig` file), or their digests.
    ///   - roots: the TSA certificates the caller trusts; self-signed ones are the anchors, the others help build the
    ///     chain and may supply a signer certificate the token does not carry.
    ///   - validationTime: "now" for the report and the future-genTime check (default: the current time). The chain
    ///     is always validated at genTime, whatever this is.
    ///   - claimedTime: the seal's `Claimed-Time`, when checking a seal's token.
    ///   - subject: what the findings are about (the token's path in the bag).
    package static func verify(token: [UInt8], data: TimestampedData, roots: TSARoots, validationTime: Date? = nil,
                              claimedTime: Date? = nil, subject: String? = nil) -> TimestampVerification {
        var findings = TimestampFindings(subject: subject)
        let parsed: TimestampToken
        switch TimestampToken.parse(token) {
        case .success(let token):
            parsed = token
        case .failure(.malformed(let reason)):
            findings.failed(.encodingInvalid, "not a valid DER RFC 3161 time-stamp: \(reason)")
            return TimestampVerification(findings: findings.all, info: nil)
        case .failure(.rejected(let status)):
            findings.failed(.statusRejected, "the TSA did not grant a time-stamp: \(status.summary)",
                            expected: "granted", found: status.statusName)
            return TimestampVerification(findings: findings.all, info: nil)
        }
        let tst = parsed.tstInfo
        let signedData = parsed.signedData
        for embedded in signedData.certificates where embedded.certificate == nil {
            findings.warning(.certificateUnreadable, "a certificate in the token could not be parsed and was ignored "
                             + "(SHA-256 \(MultiDigest.digests(of: embedded.der, [.sha256])[.sha256]!.hex))")
        }

        ImprintRule(imprint: tst.messageImprint, data: data).check(&findings)
        let signature = SignatureRule(signerInfo: signedData.signerInfo)
        SignedAttributesRule(signedData: signedData, digest: signature.digestAlgorithm).check(&findings)
        let signer = SignerSelection(signedData: signedData, roots: roots).select(&findings)
        let signatureValid = signature.check(signer: signer?.certificate, &findings)
        if let signer {
            TimestampingEKURule(signer: signer.certificate).check(&findings)
            TSANameRule(tsa: tst.tsa, signer: signer.certificate).check(&findings)
        }
        TSTExtensionsRule(tstInfo: tst).check(&findings)

        var info = TimestampVerifier.info(parsed, signer: signer)
        TimestampTimeRule.checkNotFuture(info, validationTime: validationTime ?? Date(), &findings)

        // The chain is only worth building for a certificate that really signed this token.
        if let signer, signatureValid {
            let embedded = signedData.certificates.compactMap(\.certificate)
            if let chain = ChainRule(signer: signer.certificate, embedded: embedded, roots: roots,
                                     genTime: info.genDate).check(&findings) {
                info.chain = chain.map { $0.subject.description }
                info.chainRootSHA256 = chain.last.map(ChainRule.fingerprint)
                info.trusted = true
            }
        }
        if let claimedTime {
            findings.append(TimestampTimeRule.checkClaimedTime(claimedTime, info: info, subject: subject))
        }
        if findings.isClean && info.trusted {
            findings.passed(.valid, validMessage(info))
        }
        return TimestampVerification(findings: orderedValidFirst(findings.all), info: info)
    }

    /// Convenience for callers holding certificates rather than files.
    package static func verify(token: [UInt8], data: TimestampedData, roots: [Certificate],
                              validationTime: Date? = nil, claimedTime: Date? = nil,
                              subject: String? = nil) -> TimestampVerification {
        verify(token: token, data: data, roots: TSARoots(certificates: roots, source: "caller"),
               validationTime: validationTime, claimedTime: claimedTime, subject: subject)
    }

    /// `timestamp.valid` first, so the human output reads "ok <who, when>" before the notes.
    private static func orderedValidFirst(_ findings: [Finding]) -> [Finding] {
        findings.filter { $0.code == TimestampCode.valid.rawValue } + findings.filter { $0.code != TimestampCode.valid.rawValue }
    }

    static func validMessage(_ info: TimestampInfo) -> String {
        var text = "time-stamped \(info.genTimeDescription) by \(info.tsaName ?? "an unnamed TSA")"
        if info.qualified { text += ", qualified (eIDAS)" }
        text += "; policy \(info.policy), serial \(info.serialNumber)"
        if let root = info.chain.last { text += "; chain to \(root) valid at genTime" }
        return text
    }

    static func info(_ token: TimestampToken, signer: SignerSelection.Candidate?) -> TimestampInfo {
        let tst = token.tstInfo
        let qualified = QualifiedStatement.locations(tstInfo: tst, signer: signer?.certificate)
        var info = TimestampInfo(
            form: token.form.rawValue,
            tsaName: signer?.certificate.subject.description ?? tst.tsa.map { "\($0)" },
            tsaField: tst.tsa.map { "\($0)" },
            genTime: genTimeText(tst),
            accuracySeconds: tst.accuracy?.interval,
            policy: tst.policy.description,
            serialNumber: Hex.encode(tst.serialNumber.first.map { $0 & 0x80 == 0 } ?? true
                ? SignerSelection.magnitude(tst.serialNumber) : tst.serialNumber),
            nonce: tst.nonce.map { Hex.encode($0) },
            imprintAlgorithm: tst.messageImprint.hashAlgorithm.digestAlgorithm?.rawValue
                ?? tst.messageImprint.hashAlgorithm.algorithm.description,
            imprint: Hex.encode(tst.messageImprint.hashedMessage),
            signerIssuer: signer?.certificate.issuer.description,
            signerSerial: signer.map { Hex.encode(SignerSelection.magnitude(Array($0.certificate.serialNumber.bytes))) },
            signerCertificateSHA256: signer.map { MultiDigest.digests(of: $0.der, [.sha256])[.sha256]!.hex },
            qualified: !qualified.isEmpty,
            qualifiedStatementIn: qualified,
            chain: [],
            trusted: false)
        info.qcStatements = signer.flatMap { QualifiedStatement.statementIDs(certificate: $0.certificate) }
        return info
    }

    /// RFC 3339 UTC, with the token's fraction of a second when it has one.
    static func genTimeText(_ tst: TSTInfo) -> String {
        let whole = UTCTime.format(Date(timeIntervalSince1970: tst.genDate.timeIntervalSince1970.rounded(.down)))
        let fraction = tst.genTime.rawFractionalSeconds
        guard !fraction.isEmpty else { return whole }
        return String(whole.dropLast()) + "." + String(decoding: fraction, as: UTF8.self) + "Z"
    }
}
