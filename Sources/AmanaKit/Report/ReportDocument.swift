import Foundation

/// Everything the court report shows, as strings, built from one verification report and nothing else.
///
/// Pure data to text: it reads the report's fields (never a finding's `message` for meaning, spec/verification-report.md
/// section 3), picks words from the language's table, and leaves escaping to the template engine, whose every `{{ }}`
/// goes through ``ReportHTMLEscaper``. Because it is built from the same `VerificationReport` that `verify --json`
/// prints, a test can hold the two to each other field by field.
package struct ReportDocument {
    /// A UTC time in ISO 8601, with the language's long form beside it when Amana wrote the time.
    package struct Time {
        package var iso: String
        package var long: String?
    }

    /// A digest in lowercase hex, cut into groups of eight so that it wraps legibly and can be read aloud.
    package struct Digest {
        package var algorithm: String
        package var hex: String
        package var groups: [String]
    }

    package struct Status {
        package var code: String
        package var word: String
    }

    package struct Verdict {
        package var code: String
        package var cssClass: String
        package var word: String
        package var meaning: String
        package var counts: String
    }

    /// One check that did not pass, named by the exact thing it is about.
    package struct Problem {
        package var status: Status
        package var code: String
        package var about: String
        package var subject: String
        package var expected: String?
        package var found: String?
    }

    package struct Key {
        package var keyId: String
        package var holder: String?
        package var organization: String?
        package var role: String?
        package var source: String
        package var validity: String?
    }

    package struct Root {
        package var subject: String
        package var sha256: Digest
        package var source: String
        package var notAfter: Time?
        package var anchor: String
    }

    package struct Checked {
        package var input: String
        package var kind: String
        package var validationTime: Time
        package var tool: String
        package var keys: [Key]
        package var noKeys: Bool
        package var roots: [Root]
        package var rootStore: String?
        package var noRoots: Bool
    }

    package struct TagFile {
        package var path: String
        package var size: String
        package var sha256: Digest?
    }

    package struct Bundle {
        package var id: String
        package var caseId: String?
        package var title: String?
        package var payload: String?
        package var tagFiles: [TagFile]
    }

    package struct Token {
        package var file: String
        package var status: Status
        package var genTime: Time?
        package var tsa: String?
        package var trusted: String
        package var root: String?
        package var qualified: String
        package var qcCompliance: String
        package var qcStatements: String?
    }

    package struct Seal {
        package var number: Int
        package var anchor: String
        package var status: Status
        package var keyId: String
        package var signer: String?
        package var signerSource: String?
        package var untrusted: Bool
        package var claimedTime: Time
        package var custodyLength: String?
        package var tokens: [Token]
        package var noTokens: Bool
    }

    /// One row of an item's table: a value and where it came from.
    package struct Row {
        package var label: String
        package var value: String?
        package var time: Time?
        package var digest: Digest?
        package var source: String
    }

    package struct Item {
        package var path: String
        package var anchor: String
        package var status: Status
        package var rows: [Row]
        package var metadata: [Row]
        package var observations: [String]
        package var hasObservations: Bool
        package var noMetadata: Bool
    }

    package struct Event {
        package var seq: Int
        package var anchor: String
        package var status: Status
        package var malformed: Bool
        package var time: Time?
        package var action: String?
        package var actor: String?
        package var claimedActor: String?
        package var keyId: String?
        package var signatureValid: String?
        /// A `received` event: the receiver's own signature over the hand-off, its countersignature.
        package var countersigned: Bool
        package var seal: String?
        package var details: [Row]
        package var items: [String]
    }

    package struct FindingRow {
        package var status: Status
        package var code: String
        package var subject: String?
        package var expected: String?
        package var found: String?
        package var message: String
        package var omitted: String?
    }

    package struct FindingGroup {
        package var name: String
        package var findings: [FindingRow]
    }

    package struct Step {
        package var label: String
        package var command: String
    }

    package var lang: String
    package var dir: String
    package var t: [String: String]
    package var verdict: Verdict
    package var problems: [Problem]
    package var hasProblems: Bool
    package var checked: Checked
    package var bundle: Bundle
    package var seals: [Seal]
    package var noSeals: Bool
    package var items: [Item]
    package var noItems: Bool
    package var custody: [Event]
    package var noCustody: Bool
    package var custodyOmitted: String?
    package var groups: [FindingGroup]
    package var steps: [Step]
    package var generatedBy: String
    /// The style sheet, set by the renderer (fonts and the running footer); the only `{{{ }}}` in the template.
    package var style: String = ""
}
