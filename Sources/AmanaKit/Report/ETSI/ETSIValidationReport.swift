/// The ETSI TS 119 102-2 (v1.4.1) validation report of one verification: the machine-readable report EU validation
/// tools such as DSS read, written beside the court report by `amana report --etsi` (spec/report.md, "ETSI TS 119 102-2
/// validation report").
///
/// It is a second rendering of the same ``VerificationReport``, never a second verification: every indication comes
/// from the report's statuses, so the XML and `verify --json` cannot disagree. There is one `SignatureValidationReport`
/// per seal; its main indication is the worst status of the seal and of every finding that is not about another seal,
/// because a seal vouches for the whole bundle it signs, so a tampered payload file fails every seal over it.
package enum ETSIValidationReport {
    package static let namespace = "http://uri.etsi.org/19102/v1.4.1#"
    package static let xmldsigNamespace = "http://www.w3.org/2000/09/xmldsig#"
    /// Amana's own elements in `OtherInformation` (the schema admits any element there).
    package static let amanaNamespace = "urn:amana:verification-report:1"
    static let sha256Method = "http://www.w3.org/2001/04/xmlenc#sha256"
    static let proofOfExistenceByValidation = "urn:etsi:019102:poetype:validation"

    /// The report as UTF-8 XML. It throws nothing today; the signature leaves room for a rendering that can fail.
    package static func xml(for report: VerificationReport) throws -> [UInt8] {
        var writer = XMLWriter()
        var objects = ETSIValidationObjects()
        writer.open("ValidationReport", [("xmlns", namespace), ("xmlns:ds", xmldsigNamespace),
                                         ("xmlns:amana", amanaNamespace)])
        let seals = (report.seals ?? []).sorted { $0.number < $1.number }
        if seals.isEmpty {
            writeUnidentified(report, into: &writer)
        }
        let grouped = ETSISealFindings(report)
        // A token's findings name it as their subject (verification-report.md section 3.5).
        var bySubject = [String: [Finding]]()
        for finding in report.findings {
            if let subject = finding.subject { bySubject[subject, default: []].append(finding) }
        }
        for seal in seals {
            writeSeal(seal, answering: grouped.answered(by: seal.number), of: report, tokenFindings: bySubject,
                      objects: &objects, into: &writer)
        }
        if !objects.objects.isEmpty {
            writer.open("SignatureValidationObjects")
            for object in objects.objects { write(object, into: &writer) }
            writer.close()
        }
        writer.close()
        return writer.document()
    }

    /// The findings a seal's report answers for: its own, and every one not about another listed seal.
    static func findings(of seal: VerificationReport.SealResult, in report: VerificationReport) -> [Finding] {
        ETSISealFindings(report).answered(by: seal.number)
    }

    /// A seal's main indication: the worst of its own status and of the findings it answers for.
    package static func indication(of seal: VerificationReport.SealResult, in report: VerificationReport)
        -> ETSIMainIndication {
        indication(of: seal, answering: findings(of: seal, in: report))
    }

    static func indication(of seal: VerificationReport.SealResult, answering findings: [Finding]) -> ETSIMainIndication {
        ETSIMainIndication(signature: findings.map(\.status).reduce(seal.status, max))
    }

    private static func writeSeal(_ seal: VerificationReport.SealResult, answering answered: [Finding],
                                  of report: VerificationReport, tokenFindings: [String: [Finding]],
                                  objects: inout ETSIValidationObjects,
                                  into writer: inout XMLWriter) {
        let evidence = report.sealEvidence[seal.number] ?? SealEvidence()
        let indication = indication(of: seal, answering: answered)
        var keyID: String?
        if let key = evidence.publicKey { keyID = objects.publicKey(key) }
        var tokenIDs = [(id: String, token: ReportToken)]()
        for (offset, token) in seal.tokens.enumerated() {
            let id = objects.token(seal: seal.number, index: offset + 1, entry: token, file: evidence.tokens[token.file],
                                   findings: tokenFindings[token.file] ?? [])
            tokenIDs.append((id, token))
        }

        writer.open("SignatureValidationReport")
        writer.open("SignatureIdentifier", [("id", "S-" + BundleLayout.sealStem(seal.number))])
        if let signature = evidence.signature { writer.element("ds:SignatureValue", Base64.encode(signature)) }
        writer.element("HashOnly", "false")
        writer.element("DocHashOnly", "false")
        writer.element("DAIdentifier", BundleLayout.sealSignature(seal.number))
        writer.close()

        writer.open("ValidationTimeInfo")
        writer.element("ValidationTime", report.validationTime)
        writer.open("BestSignatureTime")
        // The earliest genTime of a token that is trusted and not failed; otherwise, as EN 319 102-1 initialises the
        // best-signature-time, the validation time itself: the signature is known to exist now, and no earlier.
        let proof = tokenIDs.filter { $0.token.trusted && $0.token.status != .failed && $0.token.genTime != nil }
            .min { ($0.token.genTime.flatMap(UTCTime.parseRFC3339) ?? .distantFuture)
                    < ($1.token.genTime.flatMap(UTCTime.parseRFC3339) ?? .distantFuture) }
        writer.element("POETime", proof?.token.genTime ?? report.validationTime)
        writer.element("TypeOfProof", proofOfExistenceByValidation)
        if let proof { writer.element("POEObject", nil, [("VOReference", proof.id)]) }
        writer.close()
        writer.close()

        if let digest = evidence.statementSHA256 {
            writer.open("SignersDocument")
            writeDigest(digest, into: &writer)
            writer.close()
        }

        writer.open("SignatureAttributes")
        // The claimed time is signed by the seal (its statement's Claimed-Time): ETSI's SigningTime is also a claim.
        writer.open("SigningTime", [("Signed", "true")])
        writer.element("Time", seal.claimedTime)
        writer.close()
        for (id, token) in tokenIDs {
            guard let genTime = token.genTime else { continue }
            writer.open("SignatureTimeStamp")
            writer.element("AttributeObject", nil, [("VOReference", id)])
            writer.element("TimeStampValue", genTime)
            writer.close()
        }
        writer.close()

        if let keyID {
            writer.open("SignerInformation")
            writer.element("SignerCertificate", nil, [("VOReference", keyID)])
            writer.element("Signer", signerText(seal))
            writer.close()
        }

        writer.open("SignatureValidationStatus")
        writer.element("MainIndication", indication.rawValue)
        for sub in subIndications(answered, level: indication, seal: seal) { writer.element("SubIndication", sub.uri) }
        if let keyID, seal.signedBy != nil {
            // Amana's trust anchors are the keys the caller trusts: a trusted signer key is its own anchor.
            writer.open("AssociatedValidationReportData")
            writer.element("TrustAnchor", nil, [("VOReference", keyID)])
            writer.close()
        }
        writer.close()
        writeCodes(answered, into: &writer)
        writer.close()
    }

    /// One report for a bundle with no seal to identify (a plain bag, no seals, an unreadable input): the verdict and
    /// what it rests on, with no `SignatureIdentifier`.
    private static func writeUnidentified(_ report: VerificationReport, into writer: inout XMLWriter) {
        let indication: ETSIMainIndication
        switch report.verdict {
        case .totalPassed: indication = .totalPassed
        case .totalFailed: indication = .totalFailed
        case .indeterminate: indication = .indeterminate
        }
        writer.open("SignatureValidationReport")
        writer.open("ValidationTimeInfo")
        writer.element("ValidationTime", report.validationTime)
        writer.open("BestSignatureTime")
        writer.element("POETime", report.validationTime)
        writer.element("TypeOfProof", proofOfExistenceByValidation)
        writer.close()
        writer.close()
        writer.open("SignatureValidationStatus")
        writer.element("MainIndication", indication.rawValue)
        for sub in subIndications(report.findings, level: indication, seal: nil) {
            writer.element("SubIndication", sub.uri)
        }
        writer.close()
        writeCodes(report.findings, into: &writer)
        writer.close()
    }

    /// The sub-indications of the findings at the main indication's own status, each once, in finding order; never a
    /// token's (those are in the token's report).
    static func subIndications(_ findings: [Finding], level: ETSIMainIndication,
                               seal: VerificationReport.SealResult?) -> [ETSISubIndication] {
        var subs = [ETSISubIndication]()
        for finding in findings where finding.status != .passed && !ETSIFindingMapping.isAboutToken(finding.code) {
            guard let sub = ETSIFindingMapping.subIndication(for: finding, seal: seal),
                  ETSIMainIndication(signature: sub.status) == level, !subs.contains(sub) else { continue }
            subs.append(sub)
        }
        return subs
    }

    /// Every code behind the indication that is not `passed`, with its status, each pair once: a reader sees the
    /// findings an ETSI sub-indication cannot name.
    private static func writeCodes(_ findings: [Finding], into writer: inout XMLWriter) {
        var seen = Set<String>()
        let listed = findings.filter { $0.status != .passed && seen.insert($0.code + " " + $0.status.rawValue).inserted }
        guard !listed.isEmpty else { return }
        writer.open("OtherInformation")
        for finding in listed {
            writer.element("amana:Finding", nil, [("code", finding.code), ("status", finding.status.rawValue)])
        }
        writer.close()
    }

    /// Who signed, as far as the trust inputs say: a holder's name only from a trusted key, never from the bundle.
    static func signerText(_ seal: VerificationReport.SealResult) -> String {
        guard seal.signedBy != nil else {
            return "Ed25519 key \(seal.signerKeyId), whose holder no trusted key names"
        }
        let holder = [seal.signerName, seal.signerOrganization].compactMap { $0 }.joined(separator: ", ")
        return holder.isEmpty ? "Ed25519 key \(seal.signerKeyId), trusted" : "\(holder) (Ed25519 key \(seal.signerKeyId))"
    }

    private static func writeDigest(_ sha256: [UInt8], into writer: inout XMLWriter) {
        writer.open("DigestAlgAndValue")
        writer.element("ds:DigestMethod", nil, [("Algorithm", sha256Method)])
        writer.element("ds:DigestValue", Base64.encode(sha256))
        writer.close()
    }

    private static func write(_ object: ETSIValidationObjects.Object, into writer: inout XMLWriter) {
        writer.open("ValidationObject", [("id", object.id)])
        writer.element("ObjectType", object.type)
        writer.open("ValidationObjectRepresentation")
        switch object.representation {
        case .base64(let bytes): writer.element("base64", Base64.encode(bytes))
        case .sha256(let digest): writeDigest(digest, into: &writer)
        }
        writer.close()
        if let token = object.tokenReport {
            writer.open("ValidationReport")
            if let certificate = token.signerCertificate {
                writer.open("SignerInformation")
                writer.element("SignerCertificate", nil, [("VOReference", certificate)])
                if let signer = token.signer { writer.element("Signer", signer) }
                writer.close()
            }
            writer.open("SignatureValidationStatus")
            writer.element("MainIndication", token.indication.rawValue)
            for sub in token.subIndications { writer.element("SubIndication", sub.uri) }
            if let anchor = token.trustAnchor, let signing = token.signerCertificate {
                writer.open("AssociatedValidationReportData")
                writer.element("TrustAnchor", nil, [("VOReference", anchor)])
                writer.open("CertificateChain")
                writer.element("SigningCertificate", nil, [("VOReference", signing)])
                for id in token.intermediates { writer.element("IntermediateCertificate", nil, [("VOReference", id)]) }
                writer.element("TrustAnchor", nil, [("VOReference", anchor)])
                writer.close()
                writer.close()
            }
            writer.close()
            writeTokenFacts(token.token, into: &writer)
            writer.close()
        }
        writer.close()
    }

    /// A token's policy, serial and qualified-certificate statements, as the JSON report's token entry gives them
    /// (verification-report.md section 3.2): claims of the TSA's certificate, which say nothing unless the token is
    /// trusted. Whether the TSA is on an EU trusted list is not answered, there as here.
    private static func writeTokenFacts(_ token: ReportToken, into writer: inout XMLWriter) {
        var attributes: [(String, String)] = [("file", token.file), ("trusted", String(token.trusted)),
                                              ("qualified", String(token.qualified)),
                                              ("qcCompliance", String(token.qcCompliance))]
        if !token.qualifiedStatementIn.isEmpty {
            attributes.append(("qualifiedStatementIn", token.qualifiedStatementIn.joined(separator: " ")))
        }
        if let policy = token.policy { attributes.append(("policy", policy)) }
        if let serial = token.serialNumber { attributes.append(("serialNumber", serial)) }
        writer.open("OtherInformation")
        writer.open("amana:Token", attributes)
        for oid in token.qcStatements { writer.element("amana:QcStatement", nil, [("oid", oid)]) }
        writer.close()
        writer.close()
    }
}
