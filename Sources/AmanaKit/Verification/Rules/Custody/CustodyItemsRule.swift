/// The items a custody event names are the bundle's payload files, with the same digests.
///
/// An event naming a file the bundle does not hold is a warning (a holder may have shared only part of a bundle); a
/// digest that differs is a failure.
struct CustodyItemsRule {
    let inventory: BagInventory

    func check(_ event: CustodyEvent, number: Int) -> [Finding] {
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
}
