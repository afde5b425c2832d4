import Foundation

/// What to trust and when. Trust is never implied: with no keys, a valid seal is INDETERMINATE.
public struct VerifyOptions: Sendable {
    /// Every `--trust` input, merged by raw key: order never matters (``TrustSet``).
    public var trust: TrustSet
    public var validationTime: Date
    /// Roots for RFC 3161 tokens; nil means the system trust store, loaded only if the bundle holds a token.
    public var tsaRoots: TSARoots?
    /// Set for an age-encrypted bundle (`B.tar.age`): it is decrypted as it is read, never to disk
    /// (spec/encryption.md section 4.1).
    public var identities: [AgeIdentity]?

    public init(trust: TrustSet = TrustSet(), validationTime: Date = Date(), tsaRoots: TSARoots? = nil) {
        self.trust = trust
        self.validationTime = validationTime
        self.tsaRoots = tsaRoots
    }

    /// Merges `trustedKeys` into a ``TrustSet``; throws when two of them give one key id to different keys.
    public init(trustedKeys: [TrustedKey], validationTime: Date = Date(), tsaRoots: TSARoots? = nil) throws {
        self.init(trust: try TrustSet(trustedKeys), validationTime: validationTime, tsaRoots: tsaRoots)
    }
}

/// Verifies a bundle, given as a tar (compressed or not) or as an extracted folder, and reports every finding.
///
/// One pass over the container builds a ``BagInventory``; the rules then judge it: BagIt (RFC 8493), coverage,
/// items and seals. A failed check is a finding in the report, never a thrown error. `verify` throws only when the
/// input cannot be read at all.
public enum Verifier {
    public static func verify(_ path: String, options: VerifyOptions = VerifyOptions()) throws -> VerificationReport {
        try verifyKeepingInventory(path, options: options).report
    }

    /// What one verification found, with what `custody show` and `extract` need besides the report.
    struct Judgement {
        var report: VerificationReport
        var inventory: BagInventory
        /// Each custody event's status, only when asked for (`keepingEvents`): a long log's statuses cost memory.
        var events: [CustodyEventStatus] = []
        /// The seal statements whose signatures verified, by number.
        var statements: [Int: SealStatement] = [:]
    }

    /// Also returns what was read, so `extract` can hold its second pass to exactly the bytes that were verified.
    static func verifyKeepingInventory(_ path: String, options: VerifyOptions) throws -> (report: VerificationReport, inventory: BagInventory) {
        let judged = try judge(path, options: options, keepingEvents: false)
        return (judged.report, judged.inventory)
    }

    /// Verifies a bundle tar or folder once, keeping each custody event's status when `keepingEvents` is set.
    static func judge(_ path: String, options: VerifyOptions, keepingEvents: Bool) throws -> Judgement {
        guard let info = POSIX.lstat(path) else {
            throw AmanaError(.inputUnreadable, "cannot read \(path): \(POSIX.errorText())")
        }
        if POSIX.isDirectory(info) {
            if options.identities != nil { throw AgeDecryptingSource.folderGiven(path) }
            return judge(try FolderReader.read(path), path: path, isFolder: true, options: options, keepingEvents: keepingEvents)
        }
        return try judge(file: BundleFile(path: path, identities: options.identities), options: options, keepingEvents: keepingEvents)
    }

    /// Verifies an open bundle file, reading it from its start; the caller may read the same file again afterwards.
    static func verifyKeepingInventory(file: BundleFile, options: VerifyOptions) throws -> (report: VerificationReport, inventory: BagInventory) {
        let judged = try judge(file: file, options: options, keepingEvents: false)
        return (judged.report, judged.inventory)
    }

    private static func judge(file: BundleFile, options: VerifyOptions, keepingEvents: Bool) throws -> Judgement {
        var inventory = try TarBagReader.read(file, payloadAlgorithms: DigestAlgorithm.sealDefault)
        // A tar is read in one pass, and its manifests come after the payload. A bag from another tool may use
        // algorithms Amana did not hash on the first pass; only then is the tar read a second time.
        let needed = manifestAlgorithms(inventory).subtracting(inventory.payloadAlgorithms)
        if !needed.isEmpty {
            inventory = try TarBagReader.read(file, payloadAlgorithms: Array(needed.union(inventory.payloadAlgorithms)).sorted())
        }
        return judge(inventory, path: file.path, isFolder: false, options: options, keepingEvents: keepingEvents)
    }

    private static func judge(_ inventory: BagInventory, path: String, isFolder: Bool, options: VerifyOptions,
                              keepingEvents: Bool) -> Judgement {
        var events = [CustodyEventStatus]()
        var statements = [Int: SealStatement]()
        var findings = options.trust.conflictFindings + inventory.findings
        var tsaTrust: TSARoots?
        var sealResults: [VerificationReport.SealResult]?
        var custodyEntries: (entries: [ReportCustodyEvent], omitted: Int)?
        var sealTokens = [String: TimestampVerification]()
        let unreadable = findings.contains { $0.code == ArchiveCode.formatInvalid.rawValue || $0.code == ArchiveCode.empty.rawValue }
        let bag = unreadable ? nil : BagChecker.check(inventory)
        let declared = bag?.bagInfo?.externalIdentifier
        let bundleID = isFolder ? declared : inventory.rootName
        if let bag, !inventory.hasAmanaProfile {
            // A plain BagIt bag (bundle.md section 8.1): RFC 8493 alone judges it; Amana's profile rules would accuse
            // a partner's honest bag of tampering, so one finding says what is missing instead.
            findings += bag.findings
            findings.append(.indeterminate(BundleCode.unsealed,
                                           "a plain BagIt bag with no Amana seal or custody log: its manifests show whether its files are intact, but nothing shows who made it or when"))
        } else if let bag {
            findings += bag.findings
            // The profile requires External-Identifier (bundle.md section 4): for a folder it is the only bundle id there
            // is, and without it no seal's Bundle-Id could be held to anything.
            if declared == nil {
                findings.append(.failed(BundleCode.idMissing, subject: BagItNames.bagInfo,
                                        "bag-info.txt is missing or has no External-Identifier, which an Amana bundle must carry"))
            }
            if !isFolder, let root = inventory.rootName, let declared, declared != root {
                findings.append(.failed(BundleCode.idMismatch, subject: BagItNames.bagInfo, expected: root, found: declared,
                                        "External-Identifier does not match the bundle's root folder"))
            }
            var context = VerificationContext(inventory: inventory, bag: bag, trust: options.trust, bundleID: bundleID,
                                              declaredID: declared, tsaRoots: options.tsaRoots,
                                              validationTime: options.validationTime)
            // Every parsed event's status is kept for the report's `custody` entries; of the malformed lines only
            // those the report lists, unless `custody show` asks for them all.
            let custodyRule = CustodyRule(keepingEvents: true,
                                          listingMalformed: keepingEvents ? .max : ReportBuilder.malformedEventsListed)
            // In this order: the custody rule holds the log only to the seals the seal rule found signed.
            for rule in [CoverageRule(), ItemsRule(), SealRule(), custodyRule] as [any VerificationRule] {
                findings += rule.check(&context)
            }
            tsaTrust = context.tsaRootsUsed
            sealResults = context.sealResults
            sealTokens = context.tokenResults
            custodyEntries = ReportBuilder.custody(context.custodyEvents, lineCount: custodyLineCount(inventory),
                                                   statements: context.statements,
                                                   brokenCheckpoints: brokenCheckpoints(findings))
            events = keepingEvents ? context.custodyEvents : []
            statements = context.statements
        }
        let builder = ReportBuilder(inventory: inventory, findings: findings)
        findings = FindingCap.apply(findings).map(ReportBuilder.link)
        let subject = VerificationReport.Subject(path: path, kind: isFolder ? "folder" : "tar", bundleId: bundleID)
        var report = VerificationReport(subject: subject, findings: findings, trusted: options.trust.keys,
                                        validationTime: options.validationTime)
        if bag != nil {
            report.items = builder.items()
            report.seals = sealResults.map { builder.seals($0, tokens: sealTokens, statements: statements) }
            report.sealEvidence = builder.evidence(for: report.seals ?? [])
            report.custody = custodyEntries?.entries
            report.custodyOmitted = custodyEntries.flatMap { $0.omitted > 0 ? $0.omitted : nil }
            report.bundle = builder.bundle()
        }
        if let tsaTrust {
            report.trust.tsaRoots = tsaTrust.sources
            report.trust.tsaRootStore = tsaTrust.isSystem ? TSARoots.systemBundlePath : nil
        }
        return Judgement(report: report, inventory: inventory, events: events, statements: statements)
    }

    /// The number of lines in the custody log, malformed ones included; 0 when it is missing or unreadable.
    private static func custodyLineCount(_ inventory: BagInventory) -> Int {
        guard let bytes = inventory.files[CustodyLog.path]?.contents else { return 0 }
        return (try? CustodyLog.lineRanges(in: bytes).count) ?? 0
    }

    /// The seals whose custody checkpoint does not match the log: they cover no event in the report. Only the custody
    /// rule gives these codes, so the findings may hold any other rule's too.
    private static func brokenCheckpoints(_ findings: [Finding]) -> Set<Int> {
        Set(findings.compactMap { finding -> Int? in
            guard finding.code == CustodyCode.truncated.rawValue || finding.code == CustodyCode.rootMismatch.rawValue,
                  let subject = finding.subject, let parsed = BundleLayout.parseSealPath(subject) else { return nil }
            return parsed.number
        })
    }

    static func manifestAlgorithms(_ inventory: BagInventory) -> Set<DigestAlgorithm> {
        Set(inventory.files.keys.compactMap { path -> DigestAlgorithm? in
            guard path.utf8.allSatisfy({ $0 < 0x80 }), path.hasPrefix(BagItNames.payloadManifestPrefix),
                  path.hasSuffix(BagItNames.manifestSuffix), !path.contains("/") else { return nil }
            return DigestAlgorithm(bagItName: String(path.dropFirst(BagItNames.payloadManifestPrefix.count)
                .dropLast(BagItNames.manifestSuffix.count)))
        })
    }
}
