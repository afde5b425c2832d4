/// The custody log of a bundle as `amana custody show` presents it: every event with its own verdict, and the
/// bundle's overall verification report.
public struct CustodyTimeline: Sendable {
    public var report: VerificationReport
    public let events: [CustodyEventStatus]
    /// Each seal's checkpoint: seal number, event count, Merkle root.
    public let checkpoints: [(seal: Int, length: Int, root: String)]
    public let log: CustodyLog

    public static func read(_ path: String, options: VerifyOptions) throws -> CustodyTimeline {
        let (report, inventory) = try Verifier.verifyKeepingInventory(path, options: options)
        var seals = SealRule(inventory: inventory, bundleID: report.subject.bundleId, trusted: options.trust)
        _ = seals.check()
        let custody = CustodyRule(inventory: inventory, bundleID: report.subject.bundleId, trusted: options.trust,
                                  statements: seals.statements).check()
        let log = (try? inventory.files[CustodyLog.path]?.contents.map(CustodyLog.init(bytes:))) ?? nil
        return CustodyTimeline(report: report, events: custody.events,
                               checkpoints: seals.statements.keys.sorted().map { ($0, seals.statements[$0]!.custodyLength, seals.statements[$0]!.custodyRoot) },
                               log: log ?? CustodyLog())
    }

}
