import Foundation

/// Turns the EXIF tags a ``TIFFReader`` found into record values, and notes what the flags need.
struct ExifValues {
    typealias Tags = [TIFFReader.Directory: [UInt16: TIFFReader.Entry]]

    private(set) var values: [MetadataValue] = []
    /// Set when a stored GPS coordinate was negative although its reference letter already gives the sign.
    private(set) var signConflicts: [String] = []

    init(_ tags: Tags) {
        let ifd0 = tags[.ifd0] ?? [:], exif = tags[.exif] ?? [:], gps = tags[.gps] ?? [:]
        let offset = exif[0x9011]?.text
        time(.captureTime, "exif:DateTimeOriginal", exif[0x9003], offset: offset)
        time(.createTime, "exif:CreateDate", exif[0x9004], offset: nil)
        time(.modifyTime, "exif:ModifyDate", ifd0[0x0132], offset: nil)
        if let entry = exif[0x9011], let text = entry.text {
            values.append(MetadataValue(.offsetTime, source: "exif:OffsetTimeOriginal", raw: text,
                                        normalised: MetadataTime.parseOffset(text).map(MetadataTime.offsetSpelling) ?? ""))
        }
        text(.subSecond, "exif:SubSecTimeOriginal", exif[0x9291])
        coordinate(.latitude, "exif:GPSLatitude", gps[0x0002], reference: gps[0x0001]?.text, negative: "S")
        coordinate(.longitude, "exif:GPSLongitude", gps[0x0004], reference: gps[0x0003]?.text, negative: "W")
        if let altitude = gps[0x0006], let metres = altitude.numbers.first, metres.isFinite {
            let below = gps[0x0005]?.numbers.first == 1
            values.append(MetadataValue(.altitude, source: "exif:GPSAltitude", raw: altitude.raw + (below ? " (below sea level)" : ""),
                                        normalised: metadataDecimal(below ? -metres : metres, places: 3)))
        }
        gpsTime(date: gps[0x001D], time: gps[0x0007])
        text(.make, "exif:Make", ifd0[0x010F])
        text(.model, "exif:Model", ifd0[0x0110])
        text(.software, "exif:Software", ifd0[0x0131])
        text(.lensModel, "exif:LensModel", exif[0xA434])
        text(.imageUniqueID, "exif:ImageUniqueID", exif[0xA420])
        integer(.orientation, "exif:Orientation", ifd0[0x0112])
        integer(.width, "exif:ImageWidth", ifd0[0x0100])
        integer(.height, "exif:ImageHeight", ifd0[0x0101])
        integer(.width, "exif:ExifImageWidth", exif[0xA002])
        integer(.height, "exif:ExifImageHeight", exif[0xA003])
    }

    private mutating func time(_ field: MetadataField, _ source: String, _ entry: TIFFReader.Entry?, offset: String?) {
        guard let entry, let raw = entry.text else { return }
        let parsed = MetadataTime.exif(raw, offset: offset)
        let basis: TimeZoneBasis = parsed?.offset == nil ? .unknown : .given
        values.append(MetadataValue(field, source: source + (basis == .given ? "+OffsetTimeOriginal" : ""),
                                    raw: raw, normalised: parsed?.normalised ?? "", timeZone: basis))
    }

    private mutating func text(_ field: MetadataField, _ source: String, _ entry: TIFFReader.Entry?) {
        guard let entry else { return }
        let raw = entry.text ?? entry.raw
        let normalised = raw.metadataTrimmed
        guard !normalised.isEmpty else { return }
        values.append(MetadataValue(field, source: source, raw: raw, normalised: normalised))
    }

    private mutating func integer(_ field: MetadataField, _ source: String, _ entry: TIFFReader.Entry?) {
        // A DOUBLE tag can hold 1e300, which no Int can: such a value is not recorded rather than trapping.
        guard let entry, let number = entry.numbers.first, number.isFinite, number >= 0, number < 1e15 else { return }
        values.append(MetadataValue(field, source: source, raw: entry.raw, normalised: String(Int(number))))
    }

    /// Degrees, minutes and seconds with a reference letter, to signed decimal degrees.
    private mutating func coordinate(_ field: MetadataField, _ source: String, _ entry: TIFFReader.Entry?,
                                     reference: String?, negative: String) {
        guard let entry, !entry.numbers.isEmpty, entry.numbers.allSatisfy(\.isFinite) else { return }
        let parts = entry.numbers + [0, 0]
        let magnitude = abs(parts[0]) + abs(parts[1]) / 60 + abs(parts[2]) / 3600
        let ref = reference?.metadataTrimmed.uppercased()
        if entry.negative { signConflicts.append(field.rawValue) }
        // The reference letter decides the sign, as the EXIF standard says; a stored minus sign is reported, not used.
        let signed = ref == negative ? -magnitude : magnitude
        values.append(MetadataValue(field, source: source + "+Ref", raw: entry.raw + " " + (reference ?? "(no ref)"),
                                    normalised: metadataDecimal(signed)))
    }

    private mutating func gpsTime(date: TIFFReader.Entry?, time: TIFFReader.Entry?) {
        guard let time, time.numbers.count >= 3, time.numbers.allSatisfy({ $0.isFinite && $0 >= 0 && $0 < 100 }) else { return }
        let h = Int(time.numbers[0]), m = Int(time.numbers[1]), s = time.numbers[2]
        let clock = metadataPadded(h) + ":" + metadataPadded(m) + ":" + metadataPadded(Int(s))
        guard let date, let dateText = date.text,
              let parsed = MetadataTime.exif(dateText + " " + clock, offset: "Z") else {
            // A time of day without a date cannot be placed; it is recorded as read.
            values.append(MetadataValue(.gpsTime, source: "exif:GPSTimeStamp", raw: time.raw, normalised: clock,
                                        timeZone: .given))
            return
        }
        values.append(MetadataValue(.gpsTime, source: "exif:GPSDateStamp+GPSTimeStamp", raw: dateText + " " + time.raw,
                                    normalised: parsed.normalised, timeZone: .given))
    }
}
