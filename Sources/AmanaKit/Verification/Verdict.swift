/// The overall result, in the terms of ETSI EN 319 102-1 section 5.1.3.
public enum Verdict: String, Codable, Sendable {
    /// Every check passed and every signature is by a trusted key.
    case totalPassed = "TOTAL-PASSED"
    /// Some bytes contradict a digest or a signature, or the bundle breaks the format.
    case totalFailed = "TOTAL-FAILED"
    /// Nothing contradicts the bundle, but something could not be established (an untrusted key, for example).
    case indeterminate = "INDETERMINATE"

    /// The rule: any failure fails; otherwise anything indeterminate is indeterminate; warnings never change the
    /// verdict. An empty list is indeterminate, because nothing was shown to hold.
    public init(findings: [Finding]) {
        if findings.contains(where: { $0.status == .failed }) {
            self = .totalFailed
        } else if findings.isEmpty || findings.contains(where: { $0.status == .indeterminate }) {
            self = .indeterminate
        } else {
            self = .totalPassed
        }
    }

    /// The process exit status for this verdict: 0, 1 or 2.
    public var exitCode: Int32 {
        switch self {
        case .totalPassed: return 0
        case .totalFailed: return 1
        case .indeterminate: return 2
        }
    }
}
