import Foundation

/// What the custody check found about each event, for `custody show`.
public struct CustodyEventStatus: Sendable {
    /// 1-based line number in custody.jsonl.
    public let line: Int
    /// The actor's signature verifies over the event.
    public let signatureValid: Bool
    /// The trusted key (from `--trust`) that made the signature, if any, as a label.
    public let trustedAs: String?
    /// Codes of the non-passing findings about this event.
    public let problems: [String]
    /// The worst status among the findings about this event, an untrusted signer counting as indeterminate: the
    /// report's per-event status, which the capped findings can no longer give for a long log.
    public let worst: Finding.Status
    /// The event and its holder, held by reference so that a status is a few words: `custody show` keeps one per
    /// line, and a hostile log has a million malformed ones.
    private let box: Box?

    /// The parsed event, nil when the line is malformed.
    public var event: CustodyEvent? { box?.event }
    /// The trusted key that made the signature: the only source of the actor's name that is believed.
    public var holder: TrustedKey? { box?.holder }

    init(line: Int, event: CustodyEvent?, signatureValid: Bool, trustedAs: String?, problems: [String], holder: TrustedKey? = nil,
         worst: Finding.Status = .failed) {
        self.line = line
        self.worst = worst
        self.box = event.map { Box(event: $0, holder: holder) }
        self.signatureValid = signatureValid
        self.trustedAs = trustedAs
        self.problems = problems
    }

    private final class Box: Sendable {
        let event: CustodyEvent
        let holder: TrustedKey?
        init(event: CustodyEvent, holder: TrustedKey?) {
            self.event = event
            self.holder = holder
        }
    }
}

/// Judges the custody log: its chain, numbering and signatures, who signed each event, the event times, the items it
/// names, and the checkpoints the seals commit to.
///
/// A seal commits to the log's length and RFC 9162 root at the time of sealing. Every seal is checked against the
/// prefix it committed to, so truncation, rewriting and forks show up even though later holders append events.
struct CustodyRule {
    let inventory: BagInventory
    let bundleID: String?
    let trusted: TrustSet
    let statements: [Int: SealStatement]

    /// One shared array for every malformed line's status, rather than one allocation each.
    static let malformedProblems = [CustodyCode.eventMalformed.rawValue]

    /// How far event times may run backwards before it is worth a warning (clock skew between devices).
    static let timeTolerance: TimeInterval = 300

    /// Judges the log. `keepingEvents: false` returns no per-event statuses, so the parsed events are dropped batch by
    /// batch and memory does not grow with the log; verification keeps them for the report's `custody` entries, whose
    /// size grows with the log's own (each parsed event is at least a signature and a key long). `listingMalformed` bounds the statuses kept for malformed lines (the report lists only the first few, and a
    /// hostile log has a million); every parsed event's status is kept when `keepingEvents` is set.
    func check(keepingEvents: Bool = true, listingMalformed: Int = .max) -> (findings: [Finding], events: [CustodyEventStatus]) {
        let path = CustodyLog.path
        guard let file = inventory.files[path] else {
            return ([.failed(CustodyCode.missing, subject: path, "the bundle has no custody log")], [])
        }
        guard let bytes = file.contents else {
            return ([.failed(CustodyCode.malformed, subject: path, "the custody log is too large to read")], [])
        }
        // The lines are read in place (a second copy of a 20,000-event log is 14 MB); only their leaf hashes are
        // kept, for the checkpoints.
        let ranges: [Range<Int>]
        do { ranges = try CustodyLog.lineRanges(in: bytes) } catch let error as AmanaError {
            return ([.failed(CustodyCode.malformed, subject: path, error.reason)], [])
        } catch {
            return ([.failed(CustodyCode.malformed, subject: path, "\(error)")], [])
        }
        // Capped as they come: a hostile log of a million malformed lines must not hold a million findings.
        var findings = FindingCap()
        var statuses = [CustodyEventStatus]()
        var untrusted = [String: (label: String, lines: [Int])]()
        var previousTime: Date?
        var failedBefore = 0
        var malformedListed = 0
        /// Seal number (as the `sealed` event's detail spells it) -> the first event that records it.
        var sealedEvents = [String: Int]()
        var prepared = [PreparedEvent]()
        var preparedFrom = 0

        // One flat array, 32 bytes per event: a million small arrays cost twice as much again in headers.
        var leafHashes = [UInt8]()
        leafHashes.reserveCapacity(ranges.count * MerkleTree.hashSize)
        var expectedPrev = bundleID.map(CustodyLog.genesis(bundleID:))

        for offset in ranges.indices {
            if offset == preparedFrom + prepared.count {
                preparedFrom = offset
                let batch = offset..<min(ranges.count, offset + CustodyRule.batchSize)
                prepared = prepare(bytes: bytes, ranges: ranges, batch: batch)
            }
            let preparedEvent = prepared[offset - preparedFrom]
            leafHashes += preparedEvent.leafHash
            let number = offset + 1
            let subject = "\(path) event \(number)"
            var problems = [Finding]()
            defer { expectedPrev = preparedEvent.chainValue }
            let event: CustodyEvent
            switch preparedEvent.content {
            case .malformed(let reason):
                findings.append(.failed(CustodyCode.eventMalformed, subject: subject, reason))
                failedBefore += 1
                if keepingEvents && malformedListed < listingMalformed {
                    malformedListed += 1
                    statuses.append(CustodyEventStatus(line: number, event: nil, signatureValid: false, trustedAs: nil,
                                                       problems: CustodyRule.malformedProblems))
                }
                continue
            case .parsed(let parsed, _, _, _):
                event = parsed
            }

            if let expectedPrev, event.prev != expectedPrev {
                problems.append(.failed(CustodyCode.chainBroken, subject: subject, expected: expectedPrev, found: event.prev,
                                        offset == 0 ? "the first event is not bound to this bundle: the log may come from another"
                                                    : "the chain breaks at event \(number): an event before it was removed, inserted or edited"))
            }
            if event.action == .sealed, let seal = event.details["seal"], sealedEvents[seal] == nil {
                sealedEvents[seal] = number
            }
            if event.seq != number {
                problems.append(.failed(CustodyCode.seqInvalid, subject: subject, expected: String(number), found: String(event.seq),
                                        "event \(number) carries seq \(event.seq): events were reordered, replayed or duplicated"))
            }
            let eventTime = preparedEvent.time
            var signatureValid = false
            var trustedAs: String?
            var holder: TrustedKey?
            if case .parsed(_, let key, let signatureVerifies, _) = preparedEvent.content, let actorKey = key {
                signatureValid = signatureVerifies
                if !signatureValid {
                    problems.append(.failed(CustodyCode.signatureInvalid, subject: subject,
                                            "the signature of event \(number) does not verify: the event was altered after signing"))
                } else if let match = trusted.key(raw: actorKey.rawKey) {
                    trustedAs = match.label
                    holder = match
                    if let time = eventTime, let problem = match.validityProblem(at: time) {
                        problems.append(Finding(CustodyCode.actorValidity, problem.status, subject: subject,
                                                message: "event \(number) by \(match.label): \(problem.reason)"))
                    }
                } else if let impostor = trusted.key(id: actorKey.keyID) {
                    problems.append(.failed(CustodyCode.actorSubstituted, subject: subject, expected: impostor.key.base64,
                                            found: actorKey.base64, "event \(number) uses the key id of trusted key \(impostor.label), but a different key"))
                } else {
                    let who = [event.actor.name, event.actor.organization].compactMap { $0 }.joined(separator: ", ")
                    let label = who.isEmpty ? event.actor.keyID : "\(event.actor.keyID) (claims to be \(who))"
                    untrusted[event.actor.keyID, default: (label, [])].lines.append(number)
                }
            } else {
                problems.append(.failed(CustodyCode.eventMalformed, subject: subject, "the actor's key id does not match its public key"))
            }
            if let time = eventTime {
                if let previousTime, time < previousTime.addingTimeInterval(-CustodyRule.timeTolerance) {
                    problems.append(.warning(CustodyCode.timeBackwards, subject: subject,
                                             "event \(number) claims \(event.time), earlier than the event before it"))
                }
                previousTime = max(previousTime ?? time, time)
            }
            if case .parsed(_, _, _, let itemProblems) = preparedEvent.content {
                problems += itemProblems
            }
            failedBefore += problems.filter { $0.status == .failed }.count
            findings.append(contentsOf: problems)
            if keepingEvents {
                statuses.append(CustodyEventStatus(line: number, event: event, signatureValid: signatureValid, trustedAs: trustedAs,
                                                   problems: problems.filter { $0.status != .passed }.map(\.code), holder: holder,
                                                   worst: max(problems.map(\.status).max() ?? .passed,
                                                              signatureValid && holder == nil ? .indeterminate : .passed)))
            }
        }
        var result = findings.findings
        for (keyID, entry) in untrusted.sorted(by: { $0.key < $1.key }) {
            let listed = entry.lines.prefix(FindingCap.perCode).map(String.init).joined(separator: ", ")
                + (entry.lines.count > FindingCap.perCode ? " and \(entry.lines.count - FindingCap.perCode) more" : "")
            result.append(.indeterminate(CustodyCode.actorUntrusted, subject: path,
                                         "events \(listed) are signed by key \(entry.label), which is not among the trusted keys (\(keyID))"))
        }
        if failedBefore == 0 {
            result.insert(.passed(CustodyCode.chain, subject: path,
                                  "\(ranges.count) events, hash-chained from this bundle's id, each signed by its actor"), at: 0)
        }
        result += checkpoints(leafHashes, eventCount: ranges.count, sealedEvents: sealedEvents)
        return (result, statuses)
    }

    /// One event, with everything about it that does not depend on the events before it: parsed, its signature
    /// checked, its time read, the items it names compared with the bundle's files, and its hashes computed.
    private struct PreparedEvent {
        enum Content {
            case malformed(String)
            /// `key` is nil when the actor's public key does not decode or does not match its key id.
            case parsed(CustodyEvent, key: PublicKey?, signatureValid: Bool, itemProblems: [Finding])
        }
        let content: Content
        let time: Date?
        /// RFC 9162 leaf hash of the line, for the checkpoints.
        let leafHash: [UInt8]
        /// The `prev` the next event must carry.
        let chainValue: String
    }

    /// Events prepared at a time: enough to keep every core busy, few enough that memory stays flat.
    static let batchSize = 4096

    /// Prepares the events in `batch` on all cores: per event this is most of the work (a seal of 20,000 photos has
    /// a log of 20,000 events), and none of it depends on another event. Judging the chain stays in order, in `check`.
    private func prepare(bytes: [UInt8], ranges: [Range<Int>], batch: Range<Int>) -> [PreparedEvent] {
        let count = batch.count
        let workers = max(1, min(count / 256, ProcessInfo.processInfo.activeProcessorCount * 4))
        let results = UnsafeMutableBufferPointer<PreparedEvent>.allocate(capacity: count)
        defer {
            results.baseAddress!.deinitialize(count: count)
            results.deallocate()
        }
        let out = SendableBuffer(results)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in (count * worker / workers)..<(count * (worker + 1) / workers) {
                let offset = batch.lowerBound + index
                let line = Array(bytes[ranges[offset]])
                (out.buffer.baseAddress! + index).initialize(to: prepareOne(line, number: offset + 1))
            }
        }
        return Array(results)
    }

    private func prepareOne(_ line: [UInt8], number: Int) -> PreparedEvent {
        let leafHash = MerkleTree.leafHash(line)
        let chainValue = CustodyLog.chainValue(after: line)
        let event: CustodyEvent
        do { event = try CustodyEvent(line: line) } catch let error as AmanaError {
            return PreparedEvent(content: .malformed(error.reason), time: nil, leafHash: leafHash, chainValue: chainValue)
        } catch {
            return PreparedEvent(content: .malformed("\(error)"), time: nil, leafHash: leafHash, chainValue: chainValue)
        }
        let time = UTCTime.parse(event.time)
        let itemProblems = checkItems(event, number: number)
        guard let key = try? PublicKey(base64: event.actor.publicKey), key.keyID.description == event.actor.keyID else {
            return PreparedEvent(content: .parsed(event, key: nil, signatureValid: false, itemProblems: itemProblems),
                                 time: time, leafHash: leafHash, chainValue: chainValue)
        }
        let valid = Base64.decode(event.sig).map { key.isValidDetached($0, message: event.signingInput) } ?? false
        return PreparedEvent(content: .parsed(event, key: key, signatureValid: valid, itemProblems: itemProblems),
                             time: time, leafHash: leafHash, chainValue: chainValue)
    }

    /// The items an event names, against the bundle's payload files.
    private func checkItems(_ event: CustodyEvent, number: Int) -> [Finding] {
        let subject = "\(CustodyLog.path) event \(number)"
        var problems = [Finding]()
        for item in event.items {
            guard BagInventory.isPayload(item.path), let payload = inventory.files[item.path] else {
                problems.append(.warning(CustodyCode.itemAbsent, subject: subject, "event \(number) names \(item.path), which this bundle does not hold"))
                continue
            }
            for (name, hex) in item.digests.sorted(by: { $0.key < $1.key }) {
                guard let algorithm = DigestAlgorithm(bagItName: name), let found = payload.digests[algorithm] else { continue }
                if found.hex != hex {
                    problems.append(.failed(CustodyCode.itemMismatch, subject: subject, expected: hex, found: found.hex,
                                            "event \(number) names \(item.path) with another \(name) digest than the file's"))
                }
            }
        }
        return problems
    }

    /// Lets `concurrentPerform` write disjoint slots of one buffer.
    private struct SendableBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<PreparedEvent>
        init(_ buffer: UnsafeMutableBufferPointer<PreparedEvent>) { self.buffer = buffer }
    }

    /// Every seal against the prefix of the log it committed to. `sealedEvents` maps a seal number to the first event
    /// that records it (found while the events were checked, so no event is parsed twice). The roots of every committed
    /// prefix come from one pass over the leaves (``MerkleTree/prefixRoots(leafHashes:lengths:)``), so many seals
    /// claiming long prefixes cost no more than one.
    private func checkpoints(_ leafHashes: [UInt8], eventCount: Int, sealedEvents: [String: Int]) -> [Finding] {
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
