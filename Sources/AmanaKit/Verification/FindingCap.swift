/// Keeps a report's size bounded however hostile the bundle: at most ``perCode`` findings of each code are listed,
/// and the rest of that code become one summary finding that says how many were left out (threat-model.md section 7).
///
/// A 2 KB compressed custody log of a million one-byte lines is a million malformed events; listing each cost a
/// gigabyte of memory and told a reader nothing the first hundred did not. The summary keeps the worst status of what
/// it stands for, so capping never changes a verdict, and the set of codes stays the same.
struct FindingCap {
    static let perCode = 100

    private(set) var kept: [Finding] = []
    private var counts = [String: Int]()
    private var omitted = [String: (count: Int, status: Finding.Status, group: String)]()
    private var omittedOrder = [String]()

    init() {}

    mutating func append(_ finding: Finding) {
        if let extra = finding.omitted {
            omit(finding.code, status: finding.status, count: extra)
            return
        }
        let seen = counts[finding.code, default: 0]
        counts[finding.code] = seen + 1
        if seen < FindingCap.perCode {
            kept.append(finding)
        } else {
            omit(finding.code, status: finding.status, count: 1)
        }
    }

    mutating func append<S: Sequence>(contentsOf findings: S) where S.Element == Finding {
        for finding in findings { append(finding) }
    }

    private mutating func omit(_ code: String, status: Finding.Status, count: Int) {
        if let entry = omitted[code] {
            omitted[code] = (entry.count + count, max(entry.status, status), entry.group)
        } else {
            omitted[code] = (count, status, code)
            omittedOrder.append(code)
        }
    }

    /// The kept findings, then one summary per capped code.
    var findings: [Finding] {
        kept + omittedOrder.map { code in
            let entry = omitted[code]!
            var summary = Finding(code, entry.status,
                                  message: "\(entry.count) more finding\(entry.count == 1 ? "" : "s") of this kind are not listed (only the first \(FindingCap.perCode) are)")
            summary.omitted = entry.count
            return summary
        }
    }

    /// Caps a finished list.
    static func apply(_ findings: [Finding]) -> [Finding] {
        var cap = FindingCap()
        cap.append(contentsOf: findings)
        return cap.findings
    }
}
