import Foundation

/// Turns what an ``ISOBMFFReader`` found into record values, in the priority order of `spec/metadata.md`.
struct QuickTimeValues {
    static let keyPrefix = "com.apple.quicktime."

    private(set) var values: [MetadataValue] = []
    init(_ movie: ISOBMFFReader) {
        if let raw = movie.keyed[QuickTimeValues.keyPrefix + "creationdate"] {
            let parsed = MetadataTime.iso8601(raw)
            values.append(MetadataValue(.captureTime, source: "quicktime:keys/creationdate", raw: raw,
                                        normalised: parsed?.normalised ?? "",
                                        timeZone: parsed?.offset == nil ? .unknown : .given))
        }
        if let seconds = movie.creation {
            values.append(MetadataValue(.createTime, source: "mp4:mvhd.creation_time", raw: String(seconds),
                                        normalised: MetadataTime.quickTime(seconds).normalised, timeZone: .containerUTC))
        }
        if let seconds = movie.modification {
            values.append(MetadataValue(.modifyTime, source: "mp4:mvhd.modification_time", raw: String(seconds),
                                        normalised: MetadataTime.quickTime(seconds).normalised, timeZone: .containerUTC))
        }
        if let scale = movie.timescale, scale > 0, let duration = movie.duration {
            values.append(MetadataValue(.duration, source: "mp4:mvhd.duration", raw: "\(duration)/\(scale)",
                                        normalised: metadataDecimal(Double(duration) / Double(scale), places: 3)))
        }
        let locations: [(String, String?)] = [
            ("quicktime:keys/location.ISO6709", movie.keyed[QuickTimeValues.keyPrefix + "location.ISO6709"]),
            ("quicktime:udta/\u{A9}xyz", movie.userText["\u{A9}xyz"]),
        ]
        for (source, raw) in locations {
            guard let raw, let point = ISO6709(raw) else { continue }
            location(source, raw: raw, point.latitude, point.longitude, point.altitude)
        }
        if let loci = movie.loci {
            location("mp4:udta/loci", raw: loci.raw, loci.latitude, loci.longitude, loci.altitude)
        }
        for (field, key, atom) in [(MetadataField.make, "make", "\u{A9}mak"), (.model, "model", "\u{A9}mod"),
                                   (.software, "software", "\u{A9}swr")] {
            if let raw = movie.keyed[QuickTimeValues.keyPrefix + key] { text(field, "quicktime:keys/\(key)", raw) }
            if let raw = movie.userText[atom] { text(field, "quicktime:udta/\(atom)", raw) }
        }
        for (field, atom) in [(MetadataField.software, "\u{A9}too"), (.title, "\u{A9}nam"), (.artist, "\u{A9}ART")] {
            if let raw = movie.itunes[atom] { text(field, "itunes:ilst/\(atom)", raw) }
        }
        if let raw = movie.itunes["\u{A9}day"] {
            let parsed = MetadataTime.iso8601(raw)
            let partial = raw.count <= 10 && raw.allSatisfy { $0.isNumber || $0 == "-" } ? raw : ""
            values.append(MetadataValue(.createTime, source: "itunes:ilst/\u{A9}day", raw: raw,
                                        normalised: parsed?.normalised ?? partial,
                                        timeZone: parsed?.offset == nil ? .unknown : .given))
        }
        if let track = movie.tracks.first(where: { $0.width > 0 && $0.height > 0 }) {
            values.append(MetadataValue(.width, source: "mp4:tkhd.width", raw: String(track.width),
                                        normalised: String(Int(track.width))))
            values.append(MetadataValue(.height, source: "mp4:tkhd.height", raw: String(track.height),
                                        normalised: String(Int(track.height))))
        }
        for track in movie.tracks {
            guard let codec = track.codec else { continue }
            values.append(MetadataValue(.codec, source: "mp4:stsd.format(\(track.handler ?? "?"))", raw: codec,
                                        normalised: codec.metadataTrimmed))
        }
    }

    private mutating func location(_ source: String, raw: String, _ latitude: Double, _ longitude: Double,
                                   _ altitude: Double?) {
        values.append(MetadataValue(.latitude, source: source, raw: raw, normalised: metadataDecimal(latitude)))
        values.append(MetadataValue(.longitude, source: source, raw: raw, normalised: metadataDecimal(longitude)))
        if let altitude {
            values.append(MetadataValue(.altitude, source: source, raw: raw, normalised: metadataDecimal(altitude, places: 3)))
        }
    }

    private mutating func text(_ field: MetadataField, _ source: String, _ raw: String) {
        let normalised = raw.metadataTrimmed
        guard !normalised.isEmpty else { return }
        values.append(MetadataValue(field, source: source, raw: raw, normalised: normalised))
    }
}
