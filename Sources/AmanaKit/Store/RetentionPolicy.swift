import Foundation

/// How long S3 Object Lock keeps each object the store writes.
package enum RetentionPolicy: Equatable, Sendable {
    /// Each PUT names no retention: the bucket's default retention applies (store init checks there is one).
    case bucketDefault
    /// COMPLIANCE mode for this many days: nobody, not even the root account, can shorten it or delete the version.
    case compliance(days: Int)
    /// GOVERNANCE mode for this many days: only a user with the bypass permission can.
    case governance(days: Int)

    /// The longest retention accepted: 100 years.
    static let maximumDays = 36_500

    init(mode: String?, days: Int?) throws {
        switch (mode, days) {
        case (nil, nil):
            self = .bucketDefault
        case (nil, .some):
            throw StoreConfigError("a retention period needs a retention mode (compliance or governance)")
        case (.some, nil):
            throw StoreConfigError("a retention mode needs a period in days")
        case (.some(let mode), .some(let days)):
            guard (1...RetentionPolicy.maximumDays).contains(days) else {
                throw StoreConfigError("the retention period must be 1 to \(RetentionPolicy.maximumDays) days")
            }
            switch mode {
            case "compliance": self = .compliance(days: days)
            case "governance": self = .governance(days: days)
            default: throw StoreConfigError("unknown retention mode '\(StoreConfigError.shown(mode))' (known: compliance, governance)")
            }
        }
    }

    /// `compliance` or `governance`; nil for the bucket's default.
    package var mode: String? {
        switch self {
        case .bucketDefault: nil
        case .compliance: "compliance"
        case .governance: "governance"
        }
    }

    package var days: Int? {
        switch self {
        case .bucketDefault: nil
        case .compliance(let days), .governance(let days): days
        }
    }

    /// The retention every PUT names (spec/store.md 2.3, step 5): this policy's mode until `now` plus its days; nil
    /// when the bucket's default applies. Objects, ledger objects and the store identity all follow this one rule.
    package func objectLock(now: Date = Date()) -> S3ObjectLock? {
        switch self {
        case .bucketDefault: nil
        case .compliance(let days): S3ObjectLock(mode: .compliance, retainUntil: now + Double(days) * 86_400)
        case .governance(let days): S3ObjectLock(mode: .governance, retainUntil: now + Double(days) * 86_400)
        }
    }
}
