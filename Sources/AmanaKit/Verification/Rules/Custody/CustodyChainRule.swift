/// Each custody event carries the hash of the line before it (the first, the bundle's genesis value) and its own
/// line number as `seq`: an event removed, inserted, edited or replayed breaks one or the other.
struct CustodyChainRule {
    /// `firstOwn`: the first event after a store bundle's carried events, bound to the bundle like a first event.
    func check(_ event: CustodyEvent, expectedPrev: String?, number: Int, subject: String, firstOwn: Bool = false) -> [Finding] {
        var problems = [Finding]()
        if let expectedPrev, event.prev != expectedPrev {
            problems.append(.failed(CustodyCode.chainBroken, subject: subject, expected: expectedPrev, found: event.prev,
                                    number == 1 ? "the first event is not bound to this bundle: the log may come from another"
                                    : firstOwn ? "event \(number), the first after the carried store events, is not bound to this bundle: the log may come from another"
                                                : "the chain breaks at event \(number): an event before it was removed, inserted or edited"))
        }
        if event.seq != number {
            problems.append(.failed(CustodyCode.seqInvalid, subject: subject, expected: String(number), found: String(event.seq),
                                    "event \(number) carries seq \(event.seq): events were reordered, replayed or duplicated"))
        }
        return problems
    }
}
