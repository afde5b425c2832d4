/// One line of the custody log, as the report states it (spec/verification-report.md section 3.4).
///
/// Who acted is believed only from the trust inputs: `name`, `organization`, `role` and `source` come from the trusted
/// key whose signature verified. What the event itself says of its actor is kept apart, under `claimed...`, so that a
/// court report can show it as a claim and never as an identity.
public struct ReportCustodyEvent: Codable, Equatable, Sendable {
    public struct Actor: Codable, Equatable, Sendable {
        /// The key id the event names (the signature is checked with the public key it carries).
        public var keyId: String
        /// From the trusted key that made a valid signature; absent otherwise.
        public var name: String?
        public var organization: String?
        public var role: String?
        public var source: String?
        /// What the event claims; never verified.
        public var claimedName: String?
        public var claimedOrganization: String?
        public var claimedRole: String?
    }

    public struct Item: Codable, Equatable, Sendable {
        public var path: String
        /// BagIt algorithm name to lowercase hex, as the event states them.
        public var digests: [String: String]
    }

    /// The line's number in amana/custody.jsonl, from 1: the number findings give in `event`.
    public var seq: Int
    /// The worst status among the findings about this event.
    public var status: Finding.Status
    /// True for a line that is not an event; such an entry has no other fields but `seq` and `status`.
    public var malformed: Bool?
    /// The event's own `seq` member, only when it differs from the line number (`custody.seq.invalid`).
    public var claimedSeq: Int?
    /// The event's `time`: the actor's claim, a utc-time.
    public var time: String?
    public var action: String?
    public var actor: Actor?
    public var items: [Item]?
    public var details: [String: String]?
    /// The actor's signature verifies over the event.
    public var signatureValid: Bool?
    /// The lowest-numbered seal whose signed checkpoint includes this event and matches the log; absent when none.
    public var seal: Int?
}

extension ReportCustodyEvent {
    /// An entry from the custody rule's status for one line; `seal` is filled by the caller.
    init(_ status: CustodyEventStatus) {
        guard let event = status.event else {
            self.init(seq: status.line, status: .failed, malformed: true)
            return
        }
        let holder = status.holder
        self.init(seq: status.line, status: status.worst, claimedSeq: event.seq == status.line ? nil : event.seq,
                  time: event.time, action: event.action.rawValue,
                  actor: Actor(keyId: event.actor.keyID, name: holder?.name, organization: holder?.organization,
                               role: holder?.role, source: holder?.source, claimedName: event.actor.name,
                               claimedOrganization: event.actor.organization, claimedRole: event.actor.role),
                  items: event.items.map { Item(path: $0.path, digests: $0.digests) }, details: event.details,
                  signatureValid: status.signatureValid)
    }
}
