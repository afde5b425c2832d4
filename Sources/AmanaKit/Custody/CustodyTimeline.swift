/// The custody log of a bundle as `amana custody show` presents it: every event with its own verdict, and the
/// bundle's overall verification report.
package struct CustodyTimeline: Sendable {
    package var report: VerificationReport
    package let events: [CustodyEventStatus]
    /// Each seal's checkpoint: seal number, event count, Merkle root.
    package let checkpoints: [(seal: Int, length: Int, root: String)]
    /// The custody log's bytes, split into lines only when asked for (``log``): a receipt needs them, a timeline not.
    let logBytes: [UInt8]?

    /// The custody log, for checking a receipt against its prefix.
    package var log: CustodyLog {
        (logBytes.flatMap { try? CustodyLog(bytes: $0) }) ?? CustodyLog()
    }

    /// Verifies the bundle once, keeping every event's status: the same judgement `verify` makes, never a second one.
    package static func read(_ path: String, options: VerifyOptions) throws -> CustodyTimeline {
        let judged = try Verifier.judge(path, options: options, keepingEvents: true)
        let statements = judged.statements
        return CustodyTimeline(report: judged.report, events: judged.events,
                               checkpoints: statements.keys.sorted().map { ($0, statements[$0]!.custodyLength, statements[$0]!.custodyRoot) },
                               logBytes: judged.inventory.files[CustodyLog.path]?.contents)
    }
}
