import Foundation

/// Builds a ``ReportDocument`` from a verification report in one language.
///
/// Names come only from the report's trust-derived fields (`signedBy`, `actor.name`); what the bundle claims is shown
/// with a note saying so. Nothing here parses a finding's message: subjects, seal and event numbers are fields.
package struct ReportDocumentBuilder {
    let report: VerificationReport
    let language: ReportLanguage

    package init(_ report: VerificationReport, language: ReportLanguage) {
        self.report = report
        self.language = language
    }

    private func t(_ key: String, _ values: [String: String] = [:]) -> String { language.text(key, values) }

    package func build() -> ReportDocument {
        let problems = self.problems()
        let seals = (report.seals ?? []).map(seal)
        let items = (report.items ?? []).enumerated().map { item($1, index: $0 + 1) }
        let custody = (report.custody ?? []).map(event)
        return ReportDocument(
            lang: language.rawValue, dir: language.direction,
            // Mustache reads a dot as a path step: `section.items` is `{{t.section_items}}` in the template.
            t: Dictionary(uniqueKeysWithValues: language.strings.map { ($0.key.replacingOccurrences(of: ".", with: "_"), $0.value) }), verdict: verdict(),
            problems: problems, hasProblems: !problems.isEmpty, checked: checked(), bundle: bundle(),
            seals: seals, noSeals: seals.isEmpty, items: items, noItems: items.isEmpty, custody: custody,
            noCustody: custody.isEmpty, custodyOmitted: report.custodyOmitted.map { t("custodyOmitted", ["count": String($0)]) },
            groups: groups(), steps: steps(),
            generatedBy: t("generatedBy", ["tool": report.tool.name, "version": report.tool.version]))
    }

    // MARK: pieces

    func time(_ iso: String) -> ReportDocument.Time {
        ReportDocument.Time(iso: iso, long: language.longDate(iso))
    }

    static func digest(_ algorithm: String, _ hex: String) -> ReportDocument.Digest {
        var groups = [String]()
        var rest = Substring(hex)
        while !rest.isEmpty {
            groups.append(String(rest.prefix(8)))
            rest = rest.dropFirst(8)
        }
        return ReportDocument.Digest(algorithm: algorithm, hex: hex, groups: groups)
    }

    func status(_ status: Finding.Status) -> ReportDocument.Status {
        ReportDocument.Status(code: status.rawValue, word: t("status.\(status.rawValue)"))
    }

    func yesNo(_ value: Bool) -> String { t(value ? "yes" : "no") }

    static func verdictClass(_ verdict: Verdict) -> String {
        switch verdict {
        case .totalPassed: return "passed"
        case .totalFailed: return "failed"
        case .indeterminate: return "indeterminate"
        }
    }

    func verdict() -> ReportDocument.Verdict {
        let code = report.verdict.rawValue
        let s = report.summary
        return ReportDocument.Verdict(
            code: code, cssClass: Self.verdictClass(report.verdict), word: t("verdict.\(code)"),
            meaning: t("meaning.\(code)"),
            counts: t("counts", ["passed": String(s.passed), "warning": String(s.warning),
                                 "indeterminate": String(s.indeterminate), "failed": String(s.failed)]))
    }

    /// What a finding is about, most specific first: a seal or custody event by number, else an item by path, else
    /// the file it names, else the bundle.
    func about(_ finding: Finding) -> (kind: String, subject: String) {
        if let seal = finding.seal { return (t("about.seal"), String(seal)) }
        if let event = finding.event { return (t("about.event"), String(event)) }
        if let subject = finding.subject {
            return (subject.hasPrefix("data/") ? t("about.item") : t("about.file"), subject)
        }
        return (t("about.bundle"), report.subject.bundleId ?? report.subject.path)
    }

    /// Every finding that did not pass, failed first, for the top of the report.
    func problems() -> [ReportDocument.Problem] {
        let ranked = report.findings.enumerated().filter { $0.element.status != .passed }
            .sorted { ($0.element.status, -$0.offset) > ($1.element.status, -$1.offset) }
        return ranked.map { _, finding in
            let target = self.about(finding)
            return ReportDocument.Problem(status: status(finding.status), code: finding.code, about: target.kind,
                                          subject: target.subject, expected: finding.expected, found: finding.found)
        }
    }

    func checked() -> ReportDocument.Checked {
        let keys = report.trust.keys.map { key -> ReportDocument.Key in
            var validity = [String]()
            if let from = key.notBefore { validity.append(from) }
            if let until = key.notAfter { validity.append(until) }
            var text = validity.isEmpty ? nil : validity.joined(separator: " – ")
            if let revoked = key.revokedAt {
                text = [text, t("revoked", ["time": revoked])].compactMap { $0 }.joined(separator: "; ")
            }
            return ReportDocument.Key(keyId: key.keyId, holder: key.name, organization: key.organization, role: key.role,
                                      source: key.source, validity: text)
        }
        // The system store's hundred-odd roots are named by the store's path, not listed one by one.
        let listed = report.trust.tsaRootStore == nil ? report.trust.tsaRoots ?? [] : []
        let roots = listed.map { root in
            ReportDocument.Root(subject: root.subject, sha256: Self.digest("sha256", root.sha256), source: root.source,
                                notAfter: time(root.notAfter), anchor: yesNo(root.anchor))
        }
        return ReportDocument.Checked(
            input: report.subject.path, kind: t("inputKind.\(report.subject.kind)"),
            validationTime: time(report.validationTime), tool: "\(report.tool.name) \(report.tool.version)",
            keys: keys, noKeys: keys.isEmpty, roots: roots,
            rootStore: report.trust.tsaRootStore.map { t("tsaRootStore", ["path": $0]) },
            noRoots: report.trust.tsaRoots == nil)
    }

    func bundle() -> ReportDocument.Bundle {
        let info = report.bundle
        return ReportDocument.Bundle(
            id: report.subject.bundleId ?? t("unknown"), caseId: info?.caseId, title: info?.title,
            payload: info.map { t("payloadSummary", ["files": String($0.payloadFiles), "bytes": String($0.payloadBytes)]) },
            tagFiles: (info?.tagFiles ?? []).filter { Self.isShownTagFile($0.path) }.map { file in
                ReportDocument.TagFile(path: file.path, size: String(file.size),
                                       sha256: file.digests["sha256"].map { Self.digest("sha256", $0) })
            })
    }

    /// The tag files a reader checks by hand: the manifests, bag-info.txt and Amana's own files; seals have their own
    /// section.
    static func isShownTagFile(_ path: String) -> Bool {
        !path.hasPrefix("seals/")
    }

    func seal(_ seal: VerificationReport.SealResult) -> ReportDocument.Seal {
        let signer = [seal.signerName, seal.signerOrganization].compactMap { $0 }.joined(separator: ", ")
        let tokens = seal.tokens.map { token in
            ReportDocument.Token(
                file: token.file, status: status(token.status), genTime: token.genTime.map(time),
                tsa: token.tsaName ?? token.tsaField, trusted: yesNo(token.trusted), root: token.root?.subject,
                qualified: yesNo(token.qualified), qcCompliance: yesNo(token.qcCompliance),
                qcStatements: token.qcStatements.isEmpty ? nil : token.qcStatements.joined(separator: ", "))
        }
        return ReportDocument.Seal(
            number: seal.number, anchor: "seal-\(seal.number)", status: status(seal.status), keyId: seal.signerKeyId,
            signer: seal.signedBy == nil ? nil : (signer.isEmpty ? seal.signerKeyId : signer),
            signerSource: seal.signerSource, untrusted: seal.signedBy == nil, claimedTime: time(seal.claimedTime),
            custodyLength: seal.custodyLength.map(String.init), tokens: tokens, noTokens: tokens.isEmpty)
    }

    func item(_ item: ReportItem, index: Int) -> ReportDocument.Item {
        let measured = t("measured"), claimed = t("claimedItems")
        var rows = [ReportDocument.Row]()
        if let size = item.size { rows.append(.init(label: t("size"), value: String(size), source: measured)) }
        for algorithm in ["sha256", "sha512"] + (item.digests ?? [:]).keys.sorted().filter({ $0 != "sha256" && $0 != "sha512" }) {
            guard let hex = item.digests?[algorithm] else { continue }
            rows.append(.init(label: algorithm.uppercased().replacingOccurrences(of: "SHA", with: "SHA-"),
                              digest: Self.digest(algorithm, hex), source: measured))
        }
        if let mediaType = item.mediaType { rows.append(.init(label: t("mediaType"), value: mediaType, source: claimed)) }
        if let name = item.originalName { rows.append(.init(label: t("originalName"), value: name, source: claimed)) }
        if let modified = item.modified { rows.append(.init(label: t("modified"), time: time(modified), source: claimed)) }
        if let acquisition = item.acquisition {
            for (label, value) in [("collector", acquisition.collector), ("sourceURL", acquisition.sourceURL),
                                   ("device", acquisition.device), ("location", acquisition.location),
                                   ("note", acquisition.note)] {
                guard let value else { continue }
                rows.append(.init(label: "\(t("acquisition")): \(label)", value: value, source: claimed))
            }
        }
        let parts = item.metadata?.parts  // decoded once: a verifier keeps each record as its JSON line
        let metadata = (parts?.values ?? []).map { value in
            ReportDocument.Row(label: value.field.rawValue, value: value.normalised.isEmpty ? value.raw : value.normalised,
                               source: value.source)
        }
        let observations = (parts.map { $0.observations + $0.findings } ?? []).map { "\($0.code): \($0.message)" }
        return ReportDocument.Item(path: item.path, anchor: "item-\(index)",
                                   status: status(item.status), rows: rows, metadata: metadata,
                                   observations: observations, hasObservations: !observations.isEmpty, noMetadata: metadata.isEmpty && observations.isEmpty)
    }

    func event(_ event: ReportCustodyEvent) -> ReportDocument.Event {
        let actor = event.actor
        let trustedName = [actor?.name, actor?.organization].compactMap { $0 }.joined(separator: ", ")
        let claimedName = [actor?.claimedName, actor?.claimedOrganization].compactMap { $0 }.joined(separator: ", ")
        let details = (event.details ?? [:]).sorted { $0.key < $1.key }.map {
            ReportDocument.Row(label: $0.key, value: $0.value, source: t("claimedActor"))
        }
        return ReportDocument.Event(
            seq: event.seq, anchor: "event-\(event.seq)", status: status(event.status), malformed: event.malformed == true,
            time: event.time.map(time), action: event.action, actor: trustedName.isEmpty ? nil : trustedName,
            claimedActor: claimedName.isEmpty ? nil : claimedName, keyId: actor?.keyId,
            signatureValid: event.signatureValid.map(yesNo), countersigned: event.action == "received",
            seal: event.malformed == true ? nil : (event.seal.map { "\(t("seal")) \($0)" } ?? t("notCovered")),
            details: details, items: (event.items ?? []).map(\.path))
    }

    /// Findings grouped exactly as `amana verify` prints them: groups in order of first appearance, then within a
    /// group passed findings first, then the rest, each in check order.
    func groups() -> [ReportDocument.FindingGroup] {
        var names = [String]()
        for finding in report.findings where !names.contains(finding.group) { names.append(finding.group) }
        return names.map { name in
            let members = report.findings.filter { $0.group == name }
            let ordered = members.filter { $0.status == .passed } + members.filter { $0.status != .passed }
            return ReportDocument.FindingGroup(name: name, findings: ordered.map { finding in
                ReportDocument.FindingRow(status: status(finding.status), code: finding.code, subject: finding.subject,
                                          expected: finding.expected, found: finding.found, message: finding.message,
                                          omitted: finding.omitted.map { t("omitted", ["count": String($0)]) })
            })
        }
    }

    /// The by-hand check (README, "Checking a bundle without Amana"), with this bundle's own paths, key ids and
    /// manifest digests. Every value from the bundle is single-quoted for the shell.
    func steps() -> [ReportDocument.Step] {
        var steps = [ReportDocument.Step]()
        let root = report.subject.bundleId ?? "BUNDLE"
        if report.subject.kind == "tar" {
            steps.append(.init(label: t("step.extract"),
                               command: "mkdir check && tar -xf \(Self.shellQuoted(report.subject.path)) -C check && cd check/\(Self.shellQuoted(root))"))
        } else {
            steps.append(.init(label: t("step.extract"), command: "cd \(Self.shellQuoted(report.subject.path))"))
        }
        steps.append(.init(label: t("step.bagit"), command: "bagit.py --validate ."))
        steps.append(.init(label: t("step.manifest"), command: "sha256sum -c manifest-sha256.txt"))
        let manifests = (report.bundle?.tagFiles ?? []).filter {
            ($0.path.hasPrefix("manifest-") || $0.path.hasPrefix("tagmanifest-")) && $0.digests["sha256"] != nil
        }
        if !manifests.isEmpty {
            let names = manifests.map { Self.shellQuoted($0.path) }.joined(separator: " ")
            let expected = manifests.map { "# \($0.digests["sha256"]!)  \($0.path)" }.joined(separator: "\n")
            steps.append(.init(label: t("step.tagDigests"), command: "sha256sum \(names)\n\(expected)"))
        }
        for seal in report.seals ?? [] {
            let stem = BundleLayout.sealFile(seal.number)
            let pub = seal.signerSource.map(Self.shellQuoted) ?? "\(seal.signerKeyId).pub"
            steps.append(.init(label: t("step.minisign", ["number": String(seal.number), "keyId": seal.signerKeyId]),
                               command: "minisign -V -p \(pub) -m \(stem)"))
            for token in seal.tokens {
                steps.append(.init(label: t("step.timestamp", ["number": String(seal.number)]),
                                   command: "openssl ts -verify -data \(BundleLayout.sealSignature(seal.number)) -in \(Self.shellQuoted(token.file)) -CAfile roots.pem"))
            }
        }
        return steps
    }

    /// `'text'` for a POSIX shell, with every `'` closed, escaped and reopened; plain words are left as they are.
    static func shellQuoted(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy {
            ($0.value < 0x80) && (CharacterSetPlain.contains($0))
        }
        if plain && !text.isEmpty { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Characters a shell word may hold unquoted.
private enum CharacterSetPlain {
    static func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", "+", ":", "@", ",", "=": return true
        default: return false
        }
    }
}
