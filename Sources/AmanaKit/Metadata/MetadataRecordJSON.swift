/// A record's JSON line, written by hand: byte for byte what Foundation's `JSONEncoder` writes for a
/// ``MetadataRecord`` with `[.sortedKeys, .withoutEscapingSlashes]` (the format of every bundle sealed so far; the
/// tests compare the two on random records).
///
/// Why by hand: the encoder builds a tree of boxed values per record, and a seal writes one record per item. For
/// 5,000 photos of 100 KB the encoder was a visible share of the metadata's cost, which must stay within 5% of a
/// seal without it (issue 14). Members are written in sorted order; strings are escaped as items.json and the
/// custody log escape them (``CanonicalJSON/writeString(_:into:)``), which is the encoder's escaping too.
enum MetadataRecordJSON {
    static func serialize(_ record: MetadataRecord) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(512 + record.values.count * 160)
        out += #"{"findings":"#.utf8
        observations(record.findings, into: &out)
        out += #","mediaType":"#.utf8
        CanonicalJSON.writeString(record.mediaType, into: &out)
        out += #","notice":"#.utf8
        CanonicalJSON.writeString(record.notice, into: &out)
        out += #","observations":"#.utf8
        observations(record.observations, into: &out)
        out += #","subject":{"format":"#.utf8
        CanonicalJSON.writeString(record.subject.format, into: &out)
        out += #","name":"#.utf8
        CanonicalJSON.writeString(record.subject.name, into: &out)
        out += #","size":"#.utf8
        out += String(record.subject.size).utf8
        out += #"},"values":["#.utf8
        for (index, value) in record.values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += #"{"field":"#.utf8
            CanonicalJSON.writeString(value.field.rawValue, into: &out)
            out += #","normalised":"#.utf8
            CanonicalJSON.writeString(value.normalised, into: &out)
            out += #","raw":"#.utf8
            CanonicalJSON.writeString(value.raw, into: &out)
            out += #","source":"#.utf8
            CanonicalJSON.writeString(value.source, into: &out)
            // An absent zone basis is left out, as the encoder's synthesised `encodeIfPresent` does.
            if let zone = value.timeZone {
                out += #","timeZone":"#.utf8
                CanonicalJSON.writeString(zone.rawValue, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out += "]}".utf8
        return out
    }

    private static func observations(_ list: [MetadataObservation], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, observation) in list.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += #"{"code":"#.utf8
            CanonicalJSON.writeString(observation.code, into: &out)
            out += #","message":"#.utf8
            CanonicalJSON.writeString(observation.message, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }
}
