import AmanaKit

/// The human lines of one record, shared by `metadata` and `inspect`.
enum MetadataDisplay {
    static func lines(_ record: MetadataRecord, indent: String) -> [String] {
        var out: [String] = []
        for value in record.values {
            let zone = value.timeZone.map { "  [zone: \($0.rawValue)]" } ?? ""
            let shown = value.normalised.isEmpty ? "(unreadable) \(value.raw)" : value.normalised
            out.append("\(indent)\(value.field): \(shown)  from \(value.source)\(zone)")
        }
        if record.values.allSatisfy({ $0.field == .fileModifyTime }) { out.append("\(indent)no embedded metadata found") }
        for observation in record.observations {
            out.append("\(indent)worth a person's attention: \(observation.message) [\(observation.code)]")
        }
        for finding in record.findings {
            out.append("\(indent)could not read all metadata: \(finding.message) [\(finding.code)]")
        }
        return out
    }
}
