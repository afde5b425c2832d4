/// A group of stable finding codes: one enum per group, each case's raw value the dotted code a report carries.
///
/// Codes are typed so that a misspelt code does not compile, and so that `CodeTableTests` can hold the set the source
/// declares to the table in spec/verification-report.md section 5. A ``Finding`` keeps its code as a string: that is
/// what the JSON report carries and what scripts match on.
package protocol FindingCode: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {}

extension FindingCode {
    static var rawValues: [String] { allCases.map(\.rawValue) }
    /// Each case's Swift name beside its code, for tests that read the rules' source.
    static var caseNames: [(name: String, code: String)] { allCases.map { ("\($0)", $0.rawValue) } }
}

extension Finding {
    package init(
        _ code: some FindingCode, _ status: Status, subject: String? = nil, expected: String? = nil, found: String? = nil,
        message: String
    ) {
        self.init(code.rawValue, status, subject: subject, expected: expected, found: found, message: message)
    }

    package static func passed(_ code: some FindingCode, subject: String? = nil, _ message: String) -> Finding {
        Finding(code.rawValue, .passed, subject: subject, message: message)
    }

    package static func failed(
        _ code: some FindingCode, subject: String? = nil, expected: String? = nil, found: String? = nil, _ message: String
    ) -> Finding {
        Finding(code.rawValue, .failed, subject: subject, expected: expected, found: found, message: message)
    }

    package static func warning(_ code: some FindingCode, subject: String? = nil, _ message: String) -> Finding {
        Finding(code.rawValue, .warning, subject: subject, message: message)
    }

    package static func indeterminate(_ code: some FindingCode, subject: String? = nil, _ message: String) -> Finding {
        Finding(code.rawValue, .indeterminate, subject: subject, message: message)
    }

    /// Whether this finding carries `code`.
    package func has(_ code: some FindingCode) -> Bool { self.code == code.rawValue }
}
