/// The bag metadata, `bag-info.txt` (RFC 8493 section 2.2.2; `package-info.txt` before BagIt 0.96).
///
/// Fields keep their order and may repeat. The reserved labels Amana uses have typed accessors; RFC 8493 makes
/// reserved labels case-insensitive, so `payload-oxum` is read as `Payload-Oxum`. Writing keeps the field order as
/// it is, so the same ``BagInfo`` always gives the same bytes.
package struct BagInfo: Equatable, Sendable {
    package var fields: [TagFile.Field]

    package init(fields: [TagFile.Field] = []) {
        self.fields = fields
    }

    /// Parses decoded text. A line that cannot be read is a problem, and the fields around it are kept.
    package static func parse(_ text: String, version: BagItVersion) -> (bagInfo: BagInfo, problems: [TagFile.Problem]) {
        let parsed = TagFile.parse(text, separator: TagFile.Separator(for: version))
        return (BagInfo(fields: parsed.tagFile.fields), parsed.problems)
    }

    /// Every value of `label`, compared without regard to case, in file order.
    package func values(_ label: String) -> [String] {
        TagFile(fields: fields).values(label)
    }

    /// The first value of `label`, if any.
    package func first(_ label: String) -> String? { values(label).first }

    /// Replaces every field labelled `label` (in any case) by one field with `value`, where the first of them was,
    /// or appends it. A nil value removes the label.
    package mutating func set(_ label: String, _ value: String?) {
        let key = label.lowercased()
        let position = fields.firstIndex { $0.label.lowercased() == key }
        fields.removeAll { $0.label.lowercased() == key }
        guard let value else { return }
        fields.insert(TagFile.Field(label, value), at: min(position ?? fields.count, fields.count))
    }

    /// Nil when absent or malformed; ``payloadOxumValues`` shows every declared value.
    package var payloadOxum: PayloadOxum? {
        get { first(BagItNames.payloadOxumLabel).flatMap(PayloadOxum.init) }
        set { set(BagItNames.payloadOxumLabel, newValue?.description) }
    }

    /// Every `Payload-Oxum` value as written (RFC 8493 says it SHOULD NOT repeat; a checker must look at all).
    package var payloadOxumValues: [String] { values(BagItNames.payloadOxumLabel) }

    package var baggingDate: BaggingDate? {
        get { first(BagItNames.baggingDateLabel).flatMap(BaggingDate.init) }
        set { set(BagItNames.baggingDateLabel, newValue?.description) }
    }

    package var externalIdentifier: String? {
        get { first(BagItNames.externalIdentifierLabel) }
        set { set(BagItNames.externalIdentifierLabel, newValue) }
    }

    package var bagSoftwareAgent: String? {
        get { first(BagItNames.bagSoftwareAgentLabel) }
        set { set(BagItNames.bagSoftwareAgentLabel, newValue) }
    }

    /// UTF-8 bytes, `label: value\n` per field in order. Throws when a field would not read back unchanged.
    package func serialized() throws -> [UInt8] {
        Array(try TagFile(fields: fields).serialized().utf8)
    }
}
