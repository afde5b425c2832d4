import Foundation

/// What the custody check found about each event, for `custody show`.
package struct CustodyEventStatus: Sendable {
    /// 1-based line number in custody.jsonl.
    package let line: Int
    /// The actor's signature verifies over the event.
    package let signatureValid: Bool
    /// The trusted key (from `--trust`) that made the signature, if any, as a label.
    package let trustedAs: String?
    /// Codes of the non-passing findings about this event.
    package let problems: [String]
    /// The worst status among the findings about this event, an untrusted signer counting as indeterminate: the
    /// report's per-event status, which the capped findings can no longer give for a long log.
    package let worst: Finding.Status
    /// The event and its holder, held by reference so that a status is a few words: `custody show` keeps one per
    /// line, and a hostile log has a million malformed ones.
    private let box: Box?

    /// The parsed event, nil when the line is malformed.
    package var event: CustodyEvent? { box?.event }
    /// The trusted key that made the signature: the only source of the actor's name that is believed.
    package var holder: TrustedKey? { box?.holder }

    init(line: Int, event: CustodyEvent?, signatureValid: Bool, trustedAs: String?, problems: [String], holder: TrustedKey? = nil,
         worst: Finding.Status = .failed) {
        self.line = line
        self.worst = worst
        self.box = event.map { Box(event: $0, holder: holder) }
        self.signatureValid = signatureValid
        self.trustedAs = trustedAs
        self.problems = problems
    }

    private final class Box: Sendable {
        let event: CustodyEvent
        let holder: TrustedKey?
        init(event: CustodyEvent, holder: TrustedKey?) {
            self.event = event
            self.holder = holder
        }
    }
}
