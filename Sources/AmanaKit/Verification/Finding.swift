/// One result of one check: the unit a verification report is made of.
///
/// A failed check is a `Finding` with status `failed`, never a thrown error, so that verification can go on and
/// report everything that is wrong with a bundle rather than the first thing. `code` is stable (outside scripts
/// match on it); `message` is for people and may be reworded.
public struct Finding: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable, Comparable {
        case passed
        case warning
        case indeterminate
        case failed

        private var rank: Int {
            switch self {
            case .passed: return 0
            case .warning: return 1
            case .indeterminate: return 2
            case .failed: return 3
            }
        }

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    /// Stable dotted code, e.g. `payload.digest.mismatch`. The part before the first dot is the check group.
    public var code: String
    public var status: Status
    /// What the finding is about: a path inside the bag, a seal file, or an archive entry.
    public var subject: String?
    public var expected: String?
    public var found: String?
    public var message: String
    /// Set on a summary finding only: how many further findings of this code it stands for, which the report does not
    /// list one by one (spec/verification-report.md section 3, threat-model.md section 7).
    public var omitted: Int?
    /// The seal the finding is about (its number), so that a report links it to `seals[]` without reading `subject` or
    /// `message`; set by the verifier from the subject it names (spec/verification-report.md section 3.5).
    public var seal: Int?
    /// The custody event the finding is about (its line number in amana/custody.jsonl, as in `custody[].seq`).
    public var event: Int?

    public init(
        _ code: String, _ status: Status, subject: String? = nil, expected: String? = nil, found: String? = nil,
        message: String
    ) {
        self.code = code
        self.status = status
        self.subject = subject
        self.expected = expected
        self.found = found
        self.message = message
    }

    public static func passed(_ code: String, subject: String? = nil, _ message: String) -> Finding {
        Finding(code, .passed, subject: subject, message: message)
    }

    public static func failed(
        _ code: String, subject: String? = nil, expected: String? = nil, found: String? = nil, _ message: String
    ) -> Finding {
        Finding(code, .failed, subject: subject, expected: expected, found: found, message: message)
    }

    public static func warning(_ code: String, subject: String? = nil, _ message: String) -> Finding {
        Finding(code, .warning, subject: subject, message: message)
    }

    public static func indeterminate(_ code: String, subject: String? = nil, _ message: String) -> Finding {
        Finding(code, .indeterminate, subject: subject, message: message)
    }

    /// The check group: `payload` for `payload.digest.mismatch`.
    public var group: String {
        String(code.prefix { $0 != "." })
    }
}
