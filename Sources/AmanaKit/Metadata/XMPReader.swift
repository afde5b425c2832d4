/// Reads the few XMP properties Amana records from an XMP packet, without a general XML parser.
///
/// Strict and small on purpose: a property is found only under its conventional prefix (`xmp:`, `exif:`,
/// `photoshop:`, `tiff:`), written either as an attribute (`exif:DateTimeOriginal="…"`) or as a simple element
/// (`<exif:DateTimeOriginal>…</exif:DateTimeOriginal>`). Nested structures, other prefixes bound to the same
/// namespaces, and entities beyond XML's five predefined ones are not read. The packet is capped at
/// ``MetadataLimits/structureBytes`` by the reader that hands it over.
struct XMPReader {
    /// Properties read, in the priority order each field uses (`spec/metadata.md` section 4).
    static let properties: [(name: String, field: MetadataField)] = [
        ("exif:DateTimeOriginal", .captureTime), ("photoshop:DateCreated", .captureTime),
        ("xmp:CreateDate", .createTime), ("xmp:ModifyDate", .modifyTime),
        ("exif:GPSLatitude", .latitude), ("exif:GPSLongitude", .longitude),
        ("tiff:Make", .make), ("tiff:Model", .model), ("xmp:CreatorTool", .software),
    ]
    /// The identifier before an XMP packet in a JPEG APP1 segment.
    static let jpegHeader: [UInt8] = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]
    /// The ISO BMFF `uuid` box type that holds XMP.
    static let uuid: [UInt8] = [0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC]

    /// Property name and text, in ``properties`` order.
    private(set) var found: [(name: String, text: String)] = []

    init(_ packet: [UInt8]) {
        let text = XMPReader.decode(packet)
        for (name, _) in XMPReader.properties {
            if let value = XMPReader.attribute(name, in: text) ?? XMPReader.element(name, in: text) {
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { found.append((name, trimmed)) }
            }
        }
    }

    /// XMP packets may be UTF-8, UTF-16 or UTF-32 (XMP part 1, 7.3.3): UTF-16 is told by its byte order mark or by
    /// a zero byte beside the first `<`. UTF-32 is not read (no writer Amana has met uses it).
    static func decode(_ packet: [UInt8]) -> String {
        guard packet.count >= 2 else { return String(decoding: packet, as: UTF8.self) }
        var bytes = packet[...]
        var bigEndian: Bool?
        if bytes.starts(with: [0xFE, 0xFF]) { bigEndian = true; bytes = bytes.dropFirst(2) }
        else if bytes.starts(with: [0xFF, 0xFE]) { bigEndian = false; bytes = bytes.dropFirst(2) }
        else if packet[0] == 0, packet[1] != 0 { bigEndian = true }
        else if packet[0] != 0, packet[1] == 0 { bigEndian = false }
        guard let bigEndian else { return String(decoding: packet, as: UTF8.self) }
        let pairs = Array(bytes)
        var units: [UInt16] = []
        units.reserveCapacity(pairs.count / 2)
        var index = 0
        while index + 1 < pairs.count {
            let high = UInt16(pairs[bigEndian ? index : index + 1])
            let low = UInt16(pairs[bigEndian ? index + 1 : index])
            units.append(high << 8 | low)
            index += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// `name="value"` or `name='value'`, preceded by white space so that `xmp:CreateDate` never matches inside
    /// `myxmp:CreateDate`.
    static func attribute(_ name: String, in text: String) -> String? {
        var search = text[...]
        while let range = search.range(of: name + "=") {
            let before = range.lowerBound == text.startIndex ? " " : text[text.index(before: range.lowerBound)]
            let rest = text[range.upperBound...]
            if before.isWhitespace, let quote = rest.first, quote == "\"" || quote == "'" {
                let body = rest.dropFirst()
                guard let close = body.firstIndex(of: quote) else { return nil }
                return unescape(String(body[..<close]))
            }
            search = text[range.upperBound...]
        }
        return nil
    }

    /// `<name>value</name>` with text content only (no child elements).
    static func element(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<" + name + ">"),
              let close = text[open.upperBound...].range(of: "</" + name + ">") else { return nil }
        let body = text[open.upperBound..<close.lowerBound]
        return body.contains("<") ? nil : unescape(String(body))
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The record values, with sources `xmp:<prefix>:<Name>`.
    var values: [MetadataValue] {
        var out: [MetadataValue] = []
        for (name, text) in found {
            guard let field = XMPReader.properties.first(where: { $0.name == name })?.field else { continue }
            let source = "xmp:" + name
            switch field {
            case .captureTime, .createTime, .modifyTime:
                let parsed = MetadataTime.iso8601(text)
                // XMP allows a date alone (`2004-02-26`) or a year and month: kept as written, never placed in time.
                let partial = text.count <= 10 && text.allSatisfy { $0.isNumber || $0 == "-" } ? text : ""
                out.append(MetadataValue(field, source: source, raw: text, normalised: parsed?.normalised ?? partial,
                                         timeZone: parsed?.offset == nil ? .unknown : .given))
            case .latitude, .longitude:
                out.append(MetadataValue(field, source: source, raw: text,
                                         normalised: XMPReader.coordinate(text).map { metadataDecimal($0) } ?? ""))
            default:
                out.append(MetadataValue(field, source: source, raw: text, normalised: text))
            }
        }
        return out
    }

    /// XMP's GPSCoordinate: `DDD,MM,SSk` or `DDD,MM.mmk` with k one of N, S, E, W.
    static func coordinate(_ text: String) -> Double? {
        guard let letter = text.last, "NSEW".contains(letter) else { return nil }
        let parts = text.dropLast().split(separator: ",").map { Double($0.metadataTrimmed) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil && $0!.isFinite && $0! >= 0 }) else { return nil }
        let n = parts.map { $0! } + [0]
        let magnitude = n[0] + n[1] / 60 + n[2] / 3600
        return letter == "S" || letter == "W" ? -magnitude : magnitude
    }
}
