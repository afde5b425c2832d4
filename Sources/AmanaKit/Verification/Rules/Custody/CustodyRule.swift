import Foundation

/// Judges the custody log: each event in order through the per-event rules (chain and numbering, signature and
/// signer, time, items), then the checkpoints the seals commit to (``CustodyCheckpointRule``).
///
/// The per-event work that does not depend on earlier events is done on every core first
/// (``PreparedCustodyEvent``); the rules that follow the chain run in order here.
struct CustodyRule: VerificationRule {
    /// Whether to leave each event's status in ``VerificationContext/custodyEvents``. Without it the parsed events are
    /// dropped batch by batch and memory does not grow with the log; verification keeps them for the report's `custody`
    /// entries, whose size grows with the log's own (each parsed event is at least a signature and a key long).
    var keepingEvents = true
    /// How many malformed lines get a status (the report lists only the first few, and a hostile log has a million);
    /// every parsed event's status is kept when ``keepingEvents`` is set.
    var listingMalformed = Int.max

    /// One shared array for every malformed line's status, rather than one allocation each.
    static let malformedProblems = [CustodyCode.eventMalformed.rawValue]

    /// How far event times may run backwards before it is worth a warning (clock skew between devices).
    static let timeTolerance: TimeInterval = 300

    func check(_ context: inout VerificationContext) -> [Finding] {
        let path = CustodyLog.path
        guard let file = context.inventory.files[path] else {
            return [.failed(CustodyCode.missing, subject: path, "the bundle has no custody log")]
        }
        guard let bytes = file.contents else {
            return [.failed(CustodyCode.malformed, subject: path, "the custody log is too large to read")]
        }
        // The lines are read in place (a second copy of a 20,000-event log is 14 MB); only their leaf hashes are
        // kept, for the checkpoints.
        let ranges: [Range<Int>]
        do { ranges = try CustodyLog.lineRanges(in: bytes) } catch let error as AmanaError {
            return [.failed(CustodyCode.malformed, subject: path, error.reason)]
        } catch {
            return [.failed(CustodyCode.malformed, subject: path, "\(error)")]
        }
        let items = CustodyItemsRule(inventory: context.inventory)
        let chain = CustodyChainRule()
        let signatures = CustodySignatureRule(trust: context.trust)
        // Capped as they come: a hostile log of a million malformed lines must not hold a million findings.
        var findings = FindingCap()
        var statuses = [CustodyEventStatus]()
        var untrusted = [String: (label: String, lines: [Int])]()
        var previousTime: Date?
        var failures = 0
        var malformedListed = 0
        /// Seal number (as the `sealed` event's detail spells it) -> the first event that records it.
        var sealedEvents = [String: Int]()
        var prepared = [PreparedCustodyEvent]()
        var preparedFrom = 0

        // One flat array, 32 bytes per event: a million small arrays cost twice as much again in headers.
        var leafHashes = [UInt8]()
        leafHashes.reserveCapacity(ranges.count * MerkleTree.hashSize)
        var expectedPrev = context.bundleID.map(CustodyLog.genesis(bundleID:))
        // A bundle sealed from an evidence store begins with the store's own acquisition events, byte for byte: their
        // `seq` and `prev` are the ledger's, and their items name store objects. Those lines are held to the store's
        // signed checkpoint instead (``StoreProofRule``); the chain starts again after them.
        let store = StoreProofRule(inventory: context.inventory, lineCount: ranges.count)
        let carried = store.carriedCount
        var carriedEvents = [CustodyEvent?]()
        if carried > 0 { expectedPrev = nil }

        for offset in ranges.indices {
            if offset == preparedFrom + prepared.count {
                preparedFrom = offset
                let batch = offset..<min(ranges.count, offset + PreparedCustodyEvent.batchSize)
                prepared = PreparedCustodyEvent.prepare(bytes: bytes, ranges: ranges, batch: batch, items: items)
            }
            let preparedEvent = prepared[offset - preparedFrom]
            leafHashes += preparedEvent.leafHash
            let number = offset + 1
            let subject = "\(path) event \(number)"
            defer {
                // After the last carried store event, the bundle's own first event is bound to the bundle again.
                expectedPrev = offset + 1 == carried
                    ? context.bundleID.map { CustodyLog.genesis(bundleID: $0, after: Array(bytes[ranges[offset]])) }
                    : preparedEvent.chainValue
            }
            let event: CustodyEvent
            switch preparedEvent.content {
            case .malformed(let reason):
                if offset < carried { carriedEvents.append(nil) }
                findings.append(.failed(CustodyCode.eventMalformed, subject: subject, reason))
                failures += 1
                if keepingEvents && malformedListed < listingMalformed {
                    malformedListed += 1
                    statuses.append(CustodyEventStatus(line: number, event: nil, signatureValid: false, trustedAs: nil,
                                                       problems: CustodyRule.malformedProblems))
                }
                continue
            case .parsed(let parsed, _, _, _):
                event = parsed
            }
            let isCarried = offset < carried
            if isCarried { carriedEvents.append(event) }

            var problems = isCarried ? [] : chain.check(event, expectedPrev: expectedPrev, number: number, subject: subject,
                                                                firstOwn: carried > 0 && offset == carried)
            if event.action == .sealed, let seal = event.details["seal"], sealedEvents[seal] == nil {
                sealedEvents[seal] = number
            }
            let signer = signatures.check(event, prepared: preparedEvent, number: number, subject: subject)
            problems += signer.problems
            if let label = signer.untrustedLabel {
                untrusted[event.actor.keyID, default: (label, [])].lines.append(number)
            }
            if let time = preparedEvent.time {
                if let previousTime, time < previousTime.addingTimeInterval(-CustodyRule.timeTolerance) {
                    problems.append(.warning(CustodyCode.timeBackwards, subject: subject,
                                             "event \(number) claims \(event.time), earlier than the event before it"))
                }
                previousTime = max(previousTime ?? time, time)
            }
            if !isCarried, case .parsed(_, _, _, let itemProblems) = preparedEvent.content {
                problems += itemProblems
            }
            failures += problems.filter { $0.status == .failed }.count
            findings.append(contentsOf: problems)
            if keepingEvents {
                statuses.append(CustodyEventStatus(line: number, event: event, signatureValid: signer.signatureValid,
                                                   trustedAs: signer.holder?.label,
                                                   problems: problems.filter { $0.status != .passed }.map(\.code), holder: signer.holder,
                                                   worst: max(problems.map(\.status).max() ?? .passed,
                                                              signer.signatureValid && signer.holder == nil ? .indeterminate : .passed)))
            }
        }
        var result = findings.findings
        for (keyID, entry) in untrusted.sorted(by: { $0.key < $1.key }) {
            let listed = entry.lines.prefix(FindingCap.perCode).map(String.init).joined(separator: ", ")
                + (entry.lines.count > FindingCap.perCode ? " and \(entry.lines.count - FindingCap.perCode) more" : "")
            result.append(.indeterminate(CustodyCode.actorUntrusted, subject: path,
                                         "events \(listed) are signed by key \(entry.label), which is not among the trusted keys (\(keyID))"))
        }
        if failures == 0 {
            let chained = carried == 0 ? "\(ranges.count) events, hash-chained from this bundle's id"
                : "\(ranges.count) events, the first \(carried) carried from an evidence store (\(StoreProofs.path)), the rest hash-chained after them"
            result.insert(.passed(CustodyCode.chain, subject: path, chained + ", each signed by its actor"), at: 0)
        }
        if carried > 0 || !store.loadFindings.isEmpty {
            result += store.check(bytes: bytes, ranges: ranges.prefix(carried), events: carriedEvents,
                                  inventory: context.inventory, trust: context.trust,
                                  bundleCase: context.bag?.bagInfo?.first("Internal-Sender-Identifier"))
        }
        result += CustodyCheckpointRule(leafHashes: leafHashes, eventCount: ranges.count, sealedEvents: sealedEvents).check(&context)
        context.custodyEvents = statuses
        return result
    }
}
