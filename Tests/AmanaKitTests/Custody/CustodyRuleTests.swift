@testable import AmanaKit
import XCTest

/// Each test builds a real signed log, damages it one way, and checks the exact finding.
final class CustodyRuleTests: XCTestCase {
    private let bundleID = "custody-test-bundle"
    private let payload = Array("exhibit".utf8)
    private var alice: SecretKey!
    private let start = Date(timeIntervalSince1970: 1_790_000_000)

    override func setUpWithError() throws {
        alice = try SecretKey.generate(name: "Alice", organization: "Field")
    }

    private var item: CustodyEvent.Item {
        CustodyEvent.Item(path: "data/a.txt", digests: ["sha256": MultiDigest.digests(of: payload, [.sha256])[.sha256]!.hex])
    }

    /// acquired, note, sealed (seal 1), note, note, sealed (seal 2)
    private func makeLog(bundle: String? = nil, times: [TimeInterval]? = nil) throws -> CustodyLog {
        var recorder = CustodyRecorder(log: CustodyLog(), bundleID: bundle ?? bundleID, key: alice, role: "documenter")
        let plan: [(CustodyEvent.Action, [CustodyEvent.Item], [String: String])] = [
            (.acquired, [item], [:]), (.note, [], ["note": "one"]), (.sealed, [], ["seal": "1"]),
            (.note, [], ["note": "two"]), (.accessed, [item], [:]), (.sealed, [], ["seal": "2"]),
        ]
        for (index, step) in plan.enumerated() {
            try recorder.record(step.0, items: step.1, details: step.2,
                                time: start.addingTimeInterval(times?[index] ?? TimeInterval(index * 60)))
        }
        return recorder.log
    }

    private func statement(_ number: Int, length: Int, root: String) -> SealStatement {
        SealStatement(bundleID: bundleID, number: number, claimedTime: UTCTime.format(start), signerKeyID: alice.keyID.description,
                      signerPublicKey: alice.publicKey.base64, manifests: [.init(algorithm: .sha256, hex: String(repeating: "a", count: 64))],
                      tagManifests: [.init(algorithm: .sha256, hex: String(repeating: "b", count: 64))],
                      custodyLength: length, custodyRoot: root, previousSeal: number == 1 ? nil : String(repeating: "c", count: 64))
    }

    private func checkpoints(for log: CustodyLog) -> [Int: SealStatement] {
        [1: statement(1, length: 3, root: Hex.encode(log.root(ofFirst: 3))),
         2: statement(2, length: 6, root: Hex.encode(log.root(ofFirst: 6)))]
    }

    private func findings(_ log: CustodyLog, statements: [Int: SealStatement]? = nil, trusted: [TrustedKey]? = nil,
                          payloadBytes: [UInt8]? = nil) -> [Finding] {
        var inventory = BagInventory()
        let bytes = log.bytes
        inventory.files[CustodyLog.path] = .init(size: UInt64(bytes.count), digests: [:], contents: bytes)
        let data = payloadBytes ?? payload
        inventory.files["data/a.txt"] = .init(size: UInt64(data.count), digests: MultiDigest.digests(of: data, [.sha256, .sha512]))
        var context = VerificationContext(inventory: inventory,
                                          trust: try! TrustSet(trusted ?? [TrustedKey(key: alice.publicKey, source: "alice.pub")]),
                                          bundleID: bundleID, statements: statements ?? checkpoints(for: log))
        return CustodyRule().check(&context)
    }

    private func codes(_ findings: [Finding], _ status: Finding.Status = .failed) -> Set<String> {
        Set(findings.filter { $0.status == status }.map(\.code))
    }

    func testAnIntactLogPasses() throws {
        let result = findings(try makeLog())
        XCTAssertEqual(codes(result), [], "\(result)")
        XCTAssertEqual(codes(result, .passed), ["custody.chain", "custody.checkpoints"])
        XCTAssertEqual(codes(result, .warning), [])
    }

    func testChainBreakWhenAnEventIsRemoved() throws {
        let log = try makeLog()
        var lines = log.lines
        lines.remove(at: 3)
        let result = findings(CustodyLog(lines: lines), statements: checkpoints(for: log))
        XCTAssertTrue(result.contains { $0.code == "custody.chain.broken" && $0.subject == "amana/custody.jsonl event 4" }, "\(result)")
    }

    func testReorderedReplayedAndDuplicateEvents() throws {
        let log = try makeLog()
        var swapped = log.lines
        swapped.swapAt(3, 4)
        XCTAssertTrue(codes(findings(CustodyLog(lines: swapped), statements: checkpoints(for: log))).isSuperset(of: ["custody.seq.invalid", "custody.chain.broken"]))
        var duplicated = log.lines
        duplicated.insert(log.lines[1], at: 2)
        XCTAssertTrue(codes(findings(CustodyLog(lines: duplicated), statements: checkpoints(for: log))).contains("custody.seq.invalid"))
    }

    func testABadSignature() throws {
        let log = try makeLog()
        var event = try CustodyEvent(line: log.lines[1])
        event.details["note"] = "edited"  // the old signature stays
        var lines = log.lines
        lines[1] = event.line
        let result = findings(CustodyLog(lines: lines), statements: checkpoints(for: log))
        XCTAssertTrue(result.contains { $0.code == "custody.signature.invalid" && $0.subject == "amana/custody.jsonl event 2" }, "\(result)")
    }

    func testAnUnknownActorIsIndeterminateNotFailed() throws {
        let result = findings(try makeLog(), trusted: [])
        XCTAssertEqual(codes(result), [])
        XCTAssertEqual(codes(result, .indeterminate), ["custody.actor.untrusted"])
        XCTAssertEqual(Verdict(findings: result), .indeterminate)
    }

    func testTruncationBelowASealsCommittedLength() throws {
        let log = try makeLog()
        let truncated = CustodyLog(lines: Array(log.lines.prefix(4)))
        let result = findings(truncated, statements: checkpoints(for: log))
        XCTAssertTrue(codes(result).contains("custody.truncated"), "\(result)")
    }

    func testMerkleRootMismatch() throws {
        let log = try makeLog()
        var statements = checkpoints(for: log)
        statements[2]!.custodyRoot = String(repeating: "0", count: 64)
        XCTAssertTrue(codes(findings(log, statements: statements)).contains("custody.root.mismatch"))
    }

    /// History rewritten after seal 1 and sealed again: seal 2 matches the rewritten log, seal 1 does not.
    func testForkBetweenTwoSeals() throws {
        let original = try makeLog()
        var rewritten = CustodyRecorder(log: CustodyLog(), bundleID: bundleID, key: alice, role: nil)
        for step in 0..<6 {
            try rewritten.record(step == 2 || step == 5 ? .sealed : .note, items: [],
                                 details: step == 2 ? ["seal": "1"] : step == 5 ? ["seal": "2"] : ["note": "rewritten \(step)"],
                                 time: start.addingTimeInterval(TimeInterval(step)))
        }
        let statements = [1: checkpoints(for: original)[1]!,
                          2: statement(2, length: 6, root: Hex.encode(rewritten.log.root(ofFirst: 6)))]
        let result = findings(rewritten.log, statements: statements)
        XCTAssertTrue(codes(result).isSuperset(of: ["custody.fork", "custody.root.mismatch"]), "\(result)")
        XCTAssertTrue(result.contains { $0.code == "custody.fork" && $0.message.contains("seal 1 and seal 2") })
    }

    func testTimesGoingBackwardsBeyondToleranceWarn() throws {
        let log = try makeLog(times: [0, 60, 120, 180 - 3600, 200, 260])
        let result = findings(log)
        XCTAssertEqual(codes(result), [])
        XCTAssertEqual(codes(result, .warning), ["custody.time.backwards"])
        // Small clock skew is tolerated.
        XCTAssertEqual(codes(findings(try makeLog(times: [0, 60, 120, 100, 200, 260])), .warning), [])
    }

    func testAnItemWhoseDigestDiffersFromThePayload() throws {
        XCTAssertTrue(codes(findings(try makeLog(), payloadBytes: Array("swapped".utf8))).contains("custody.item.mismatch"))
    }

    func testALogFromAnotherBundleBreaksAtTheFirstEvent() throws {
        let foreign = try makeLog(bundle: "another-bundle")
        let result = findings(foreign)
        XCTAssertTrue(result.contains { $0.code == "custody.chain.broken" && $0.subject == "amana/custody.jsonl event 1" }, "\(result)")
    }

    func testKeyringValidityAgainstClaimedTimes() throws {
        var revokedEarly = TrustedKey(key: alice.publicKey, source: "keyring")
        revokedEarly.revokedAt = start.addingTimeInterval(30)  // after event 1, before event 2
        let early = findings(try makeLog(), trusted: [revokedEarly])
        XCTAssertTrue(early.contains { $0.code == "custody.actor.validity" && $0.status == .failed })
        XCTAssertTrue(early.contains { $0.code == "custody.actor.validity" && $0.status == .indeterminate && $0.subject == "amana/custody.jsonl event 1" })
        var expired = TrustedKey(key: alice.publicKey, source: "keyring")
        expired.notAfter = start.addingTimeInterval(-1)
        XCTAssertTrue(codes(findings(try makeLog(), trusted: [expired])).contains("custody.actor.validity"))
    }

    func testEventsAreCanonicalAndStrict() throws {
        let log = try makeLog()
        let event = try CustodyEvent(line: log.lines[0])
        XCTAssertEqual(event.line, log.lines[0])
        let text = String(decoding: log.lines[0], as: UTF8.self)
        for variant in [text.replacingOccurrences(of: "\"seq\":1", with: "\"seq\":1,\"extra\":1"),
                        text.replacingOccurrences(of: "\"action\":\"acquired\"", with: "\"action\":\"stolen\""),
                        text.replacingOccurrences(of: ",", with: ", "),
                        text.replacingOccurrences(of: "\"sha256\":\"", with: "\"md5\":\"")] {
            XCTAssertThrowsError(try CustodyEvent(line: Array(variant.utf8)), variant)
        }
    }
}
