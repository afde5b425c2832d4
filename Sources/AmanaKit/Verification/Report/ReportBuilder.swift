/// Puts a verification's results into the report as data: `seals` (with their tokens), `items` and `custody`, and the
/// `seal` and `event` numbers on findings (spec/verification-report.md section 3).
///
/// It reads only what the rules already established (their results, the inventory, and every finding before the
/// report's cap), never a finding's `message`: a report generator, and this builder, must not parse prose. An entry's
/// status is the worst status among the findings about it, counted before the cap so that a hidden finding still
/// counts.
struct ReportBuilder {
    let inventory: BagInventory
    /// The worst status of the uncapped findings, by subject.
    private let worstBySubject: [String: Finding.Status]

    /// Malformed custody lines listed one by one; the rest are counted (a hostile log has a million).
    static let malformedEventsListed = FindingCap.perCode

    init(inventory: BagInventory, findings: [Finding]) {
        self.inventory = inventory
        var worst = [String: Finding.Status]()
        for finding in findings {
            guard let subject = finding.subject else { continue }
            worst[subject] = max(worst[subject] ?? finding.status, finding.status)
        }
        worstBySubject = worst
    }

    /// Every payload file the bundle holds, describes in items.json, or is found missing, sorted by path.
    func items() -> [ReportItem] {
        let described = inventory.files[BundleLayout.itemsFile]?.contents.flatMap { try? ItemsFile(parsing: $0) }
        var claims = [String: ItemsFile.Item]()
        for item in described?.items ?? [] where claims[item.path] == nil {
            claims[item.path] = item
        }
        var paths = Set(inventory.files.keys.filter(BagInventory.isPayload))
        paths.formUnion(claims.keys.filter(BagInventory.isPayload))
        paths.formUnion(worstBySubject.keys.filter(BagInventory.isPayload))
        let records = metadataRecords()
        return paths.sorted().map { path in
            let file = inventory.files[path]
            let claim = claims[path]
            var item = ReportItem(
                path: path, status: worstBySubject[path] ?? .passed, size: file?.size,
                digests: file.map { Dictionary(uniqueKeysWithValues: $0.digests.map { ($0.key.bagItName, $0.value.hex) }) },
                mediaType: claim?.mediaType, modified: claim?.modified, originalName: claim?.originalName,
                acquisition: claim?.acquisition)
            item.metadata = records[path].map(ReportItem.Metadata.init(line:))
            return item
        }
    }

    /// The lines of the version 1 records of `amana/metadata.jsonl` by payload path, the first for each; lines that
    /// are not records are left out (the file is sealed like any tag file, and no rule reads it). Each line is a
    /// slice of the inventory's bytes, decoded here only to be checked and again when the report is read.
    private func metadataRecords() -> [String: ArraySlice<UInt8>] {
        guard let bytes = inventory.files[MetadataRecordsFile.path]?.contents else { return [:] }
        var records = [String: ArraySlice<UInt8>]()
        MetadataRecordsFile.forEachRecord(in: bytes) { record, line in
            if records[record.subject.name] == nil { records[record.subject.name] = line }
        }
        return records
    }

    /// The bundle's claimed case and title, its payload totals and every tag file's measured digests.
    /// The tag files `bundle.tagFiles` lists: those whose names BagIt and Amana's profile define, so the list is
    /// bounded by the digest algorithms, whatever a bundle holds. Seals and tokens are in `seals`; anything else
    /// outside `data/` is a finding, and listing it would let a hostile bundle of 20,000 files blow the report up
    /// (19 MB of JSON and 40 MB more memory for 9,999 seals, before this list was bounded).
    static let describedTagFiles: Set<String> = {
        var names: Set<String> = [BagItNames.declaration, BagItNames.bagInfo, BagItNames.legacyPackageInfo, BagItNames.fetch,
                                  BundleLayout.itemsFile, "amana/custody.jsonl", "amana/metadata.jsonl", "amana/store-proofs.json"]
        for algorithm in DigestAlgorithm.allCases {
            names.insert(BagItNames.manifest(algorithm))
            names.insert(BagItNames.tagManifest(algorithm))
        }
        return names
    }()

    func bundle() -> VerificationReport.BundleInfo {
        let described = inventory.files[BundleLayout.itemsFile]?.contents.flatMap { try? ItemsFile(parsing: $0) }
        let payload = inventory.files.filter { BagInventory.isPayload($0.key) }
        let tags = inventory.files.filter { ReportBuilder.describedTagFiles.contains($0.key) }.sorted { $0.key < $1.key }
        return VerificationReport.BundleInfo(
            caseId: described?.caseID, title: described?.title, payloadFiles: payload.count,
            payloadBytes: payload.values.reduce(0) { $0 + $1.size },
            tagFiles: tags.map { path, file in
                .init(path: path, size: file.size,
                      digests: Dictionary(uniqueKeysWithValues: file.digests.map { ($0.key.bagItName, $0.value.hex) }))
            })
    }

    /// The seal rule's results, with their signer's trusted name repeated flat, their tokens and their checkpoints.
    func seals(_ results: [VerificationReport.SealResult], tokens: [String: TimestampVerification],
               statements: [Int: SealStatement]) -> [VerificationReport.SealResult] {
        var tokenPaths = [Int: [String]]()
        for path in inventory.files.keys {
            guard let parsed = BundleLayout.parseSealPath(path), case .token = parsed.kind else { continue }
            tokenPaths[parsed.number, default: []].append(path)
        }
        return results.map { result in
            var seal = result
            seal.signerName = result.signedBy?.name
            seal.signerOrganization = result.signedBy?.organization
            seal.signerSource = result.signedBy?.source
            seal.custodyLength = statements[result.number]?.custodyLength
            // Only tokens that stand beside a signature are checked (an orphan is `seal.file.unexpected`).
            if inventory.files[BundleLayout.sealSignature(result.number)] != nil {
                seal.tokens = (tokenPaths[result.number] ?? []).sorted(by: ReportBuilder.tokenOrder).map { path in
                    ReportToken(file: path, status: worstBySubject[path] ?? .passed, info: tokens[path]?.info)
                }
            }
            return seal
        }
    }

    /// The bytes behind each seal entry (``SealEvidence``), by seal number, for the ETSI report.
    func evidence(for seals: [VerificationReport.SealResult]) -> [Int: SealEvidence] {
        Dictionary(seals.map { seal in
            (seal.number, SealEvidence(number: seal.number, tokenFiles: seal.tokens.map(\.file), inventory: inventory))
        }, uniquingKeysWith: { first, _ in first })
    }

    /// `.tsr` before `.2.tsr` before `.10.tsr`: the order the tokens were added in.
    private static func tokenOrder(_ left: String, _ right: String) -> Bool {
        func index(_ path: String) -> Int {
            if case .token(let index)? = BundleLayout.parseSealPath(path)?.kind { return index }
            return 0
        }
        return (index(left), left) < (index(right), right)
    }

    /// One entry per custody line, each with the seal that covers it. `brokenCheckpoints` are the seals whose
    /// checkpoint does not match the log (`custody.truncated`, `custody.root.mismatch`): they cover nothing. The
    /// lines of the log (`lineCount`) that have no status in `events` are malformed lines the rule did not keep; they
    /// are counted as omitted with the malformed lines beyond the listed ones.
    static func custody(_ events: [CustodyEventStatus], lineCount: Int, statements: [Int: SealStatement],
                        brokenCheckpoints: Set<Int>) -> (entries: [ReportCustodyEvent], omitted: Int) {
        let covering = SealCoverage(statements: statements, broken: brokenCheckpoints)
        var entries = [ReportCustodyEvent]()
        var malformed = 0
        var omitted = max(0, lineCount - events.count)
        for status in events {
            if status.event == nil {
                malformed += 1
                if malformed > malformedEventsListed {
                    omitted += 1
                    continue
                }
            }
            var entry = ReportCustodyEvent(status)
            // A malformed line carries only seq, status and malformed (verification-report.md section 3.4).
            if status.event != nil { entry.seal = covering.firstSeal(covering: status.line) }
            entries.append(entry)
        }
        return (entries, omitted)
    }

    /// Finds the lowest-numbered seal whose checkpoint covers an event, in logarithmic time: a hostile bundle has
    /// 9,999 seals and a million events, and a scan of the seals per event would cost ten billion steps.
    struct SealCoverage {
        /// Seal numbers in order, with the longest checkpoint among them and the seals before them.
        private var numbers = [Int]()
        private var reach = [Int]()

        init(statements: [Int: SealStatement], broken: Set<Int>) {
            var longest = 0
            for number in statements.keys.sorted() where !broken.contains(number) {
                longest = max(longest, statements[number]!.custodyLength)
                numbers.append(number)
                reach.append(longest)
            }
        }

        /// The first seal whose own checkpoint includes event `line`: the first whose running reach does.
        func firstSeal(covering line: Int) -> Int? {
            var low = 0, high = reach.count
            while low < high {
                let middle = (low + high) / 2
                if reach[middle] >= line { high = middle } else { low = middle + 1 }
            }
            return low < numbers.count ? numbers[low] : nil
        }
    }

    /// The seal and event numbers of a finding, from the subject the rules gave it.
    static func link(_ finding: Finding) -> Finding {
        guard let subject = finding.subject else { return finding }
        var linked = finding
        if let parsed = BundleLayout.parseSealPath(subject) {
            linked.seal = parsed.number
        } else if subject.hasBytePrefix(eventSubjectPrefix), let number = Int(subject.dropFirst(eventSubjectPrefix.count)),
                  number >= 1 {
            linked.event = number
        }
        return linked
    }

    /// `amana/custody.jsonl event N`, the subject the custody rule gives a finding about one event.
    static let eventSubjectPrefix = CustodyLog.path + " event "
}
