/// Which findings each seal's ETSI report answers for: its own (those whose `seal` is its number) and every finding
/// about no other listed seal, in the report's order (spec/report.md, "Main indication").
///
/// Grouped once, so that a bundle of 9,999 seals and thousands of findings costs one pass, not one per seal.
struct ETSISealFindings {
    /// Findings about no listed seal, with their index in the report.
    private var common: [(index: Int, finding: Finding)] = []
    private var bySeal: [Int: [(index: Int, finding: Finding)]] = [:]

    init(_ report: VerificationReport) {
        let listed = Set((report.seals ?? []).map(\.number))
        for (index, finding) in report.findings.enumerated() {
            if let number = finding.seal, listed.contains(number) {
                bySeal[number, default: []].append((index, finding))
            } else {
                common.append((index, finding))
            }
        }
    }

    /// The findings seal `number` answers for, in the report's order.
    func answered(by number: Int) -> [Finding] {
        let own = bySeal[number] ?? []
        var merged = [Finding]()
        merged.reserveCapacity(common.count + own.count)
        var i = 0, j = 0
        while i < common.count || j < own.count {
            if j == own.count || (i < common.count && common[i].index < own[j].index) {
                merged.append(common[i].finding)
                i += 1
            } else {
                merged.append(own[j].finding)
                j += 1
            }
        }
        return merged
    }
}
