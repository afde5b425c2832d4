/// Every seal against the prefix of the custody log it committed to: its length and RFC 9162 root, never shrinking
/// from one seal to the next, a `sealed` event within it, and no event after the newest seal's prefix.
///
/// A seal commits to the log's length and root at the time of sealing. Every seal is checked against the prefix it
/// committed to, so truncation, rewriting and forks show up even though later holders append events. Only the
/// statements whose signatures verified (``VerificationContext/statements``) are held to the log.
struct CustodyCheckpointRule: VerificationRule {
    /// The leaf hash of every line, 32 bytes each, in one flat array.
    let leafHashes: [UInt8]
    let eventCount: Int
    /// Seal number (as the `sealed` event's detail spells it) -> the first event that records it (found while the
    /// events were checked, so no event is parsed twice).
    let sealedEvents: [String: Int]

    /// The roots of every committed prefix come from one pass over the leaves
    /// (``MerkleTree/prefixRoots(leafHashes:lengths:)``), so many seals claiming long prefixes cost no more than one.
    func check(_ context: inout VerificationContext) -> [Finding] {
        let statements = context.statements
        var findings = [Finding]()
        var matched = [Int: Bool]()
        var previousLength = 0
        let numbers = statements.keys.sorted()
        let size = MerkleTree.hashSize
        let roots = MerkleTree.prefixRoots(
            leafHashes: (0..<eventCount).lazy.map { Array(leafHashes[$0 * size..<($0 + 1) * size]) },
            lengths: Set(numbers.map { statements[$0]!.custodyLength }.filter { $0 <= eventCount }))
        for number in numbers {
            let statement = statements[number]!
            let subject = BundleLayout.sealFile(number)
            if statement.custodyLength < previousLength {
                findings.append(.failed(CustodyCode.checkpointRegressed, subject: subject,
                                        "seal \(number) commits to \(statement.custodyLength) events, fewer than the seal before it"))
            }
            previousLength = max(previousLength, statement.custodyLength)
            guard statement.custodyLength <= eventCount, let rootBytes = roots[statement.custodyLength] else {
                findings.append(.failed(CustodyCode.truncated, subject: subject, expected: String(statement.custodyLength),
                                        found: String(eventCount), "seal \(number) committed to \(statement.custodyLength) events, but the log holds only \(eventCount): events were removed"))
                matched[number] = false
                continue
            }
            let root = Hex.encode(rootBytes)
            matched[number] = root == statement.custodyRoot
            if root != statement.custodyRoot {
                findings.append(.failed(CustodyCode.rootMismatch, subject: subject, expected: statement.custodyRoot, found: root,
                                        "events 1–\(statement.custodyLength) are not the events seal \(number) signed"))
            }
            let recorded = sealedEvents[String(number)].map { $0 <= statement.custodyLength } ?? false
            if !recorded {
                findings.append(.warning(CustodyCode.sealUnrecorded, subject: subject,
                                         "the log has no 'sealed' event for seal \(number) within the events it covers"))
            }
        }
        // A later seal that matches while an earlier one does not means history was rewritten in between: a fork.
        // The nearest later seal that matches, found in one backward pass (a search per seal was quadratic, and a
        // hostile bundle has 9,999 seals).
        var nextMatching = [Int?](repeating: nil, count: numbers.count)
        var found: Int?
        for index in numbers.indices.reversed() {
            nextMatching[index] = found
            if matched[numbers[index]] == true { found = numbers[index] }
        }
        for (index, earlier) in numbers.enumerated() where matched[earlier] == false {
            if let later = nextMatching[index] {
                findings.append(.failed(CustodyCode.fork, subject: BundleLayout.sealFile(earlier),
                                        "seal \(earlier) and seal \(later) disagree about the first \(statements[earlier]!.custodyLength) events: the log was rewritten after seal \(earlier)"))
            }
        }
        if let newest = numbers.last, let statement = statements[newest], statement.custodyLength < eventCount {
            findings.append(.failed(CustodyCode.unsealed, subject: CustodyLog.path, expected: String(statement.custodyLength),
                                    found: String(eventCount), "events \(statement.custodyLength + 1)–\(eventCount) are not covered by any seal"))
        }
        if !numbers.isEmpty && !findings.contains(where: { $0.status == .failed }) {
            let spans = numbers.map { "seal \($0) covers events 1–\(statements[$0]!.custodyLength)" }.joined(separator: ", ")
            findings.append(.passed(CustodyCode.checkpoints, subject: CustodyLog.path, "\(spans); each later seal extends the earlier ones"))
        }
        return findings
    }
}
