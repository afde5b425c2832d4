/// The observations a record lists for a person's attention (`spec/metadata.md` section 6).
///
/// Every rule here states a pattern, not a conclusion: a phone with a wrong clock, a messaging app and a forger can
/// all produce the same one. Observations never change a verification verdict.
enum MetadataFlagRules {
    static let captureAfterMtime = "metadata.flag.capture-after-mtime"
    static let captureAfterAcquisition = "metadata.flag.capture-after-acquisition"
    static let gpsTimeDisagrees = "metadata.flag.gps-time-disagrees"
    static let messagingAppPattern = "metadata.flag.messaging-app-pattern"
    static let gpsNullIsland = "metadata.flag.gps-null-island"
    static let impossibleDate = "metadata.flag.impossible-date"
    static let containerEpoch = "metadata.flag.container-epoch"
    static let editorSoftware = "metadata.flag.editor-software"
    static let gpsSignConflict = "metadata.flag.gps-sign-conflict"

    /// How far a capture time may disagree with a GPS fix before it is flagged.
    static let gpsTolerance: Int64 = 300
    /// Clock slack for comparisons with file and acquisition times (file systems round, clocks drift).
    static let clockSlack: Int64 = 60
    /// A local time without a zone could be anywhere from UTC-12 to UTC+14; comparisons allow for all of them.
    static let unknownZoneSlack: Int64 = 14 * 3600
    /// 1990-01-01T00:00:00Z: no digital camera metadata is older.
    static let earliestPlausible: Int64 = 631_152_000
    /// Long edges messaging apps re-encode photos to (WhatsApp 1600, Telegram 1280, Signal and others 2048 or 2560).
    static let messagingLongEdges: Set<Int> = [1280, 1600, 2048, 2560]
    /// Software names that mean the file passed through an editor (lower case, matched as substrings).
    static let editors = ["photoshop", "lightroom", "gimp", "snapseed", "pixelmator", "affinity", "paint.net",
                          "capture one", "luminar", "picsart", "facetune", "faceapp", "vsco", "premiere",
                          "final cut", "imovie", "davinci", "after effects", "inshot", "capcut"]

    /// A container time's raw count of seconds since 1904 that is exactly an epoch, and which.
    static let containerEpochs = ["0": "1904", String(MetadataTime.quickTimeEpochDelta): "1970"]

    struct Facts {
        var format = "unknown"
        var hasExif = false
        var signConflicts: [String] = []
        var acquisition: Int64?
        var now: Int64 = 0
    }

    static func observe(_ record: MetadataRecord, _ facts: Facts) -> [MetadataObservation] {
        var out: [MetadataObservation] = []
        // Each time value placed once (the rules below look at most of them more than once).
        let instants = record.values.map(instant)
        func firstPlaced(_ field: MetadataField) -> Int? {
            record.values.indices.first { record.values[$0].field == field && instants[$0] != nil }
        }
        let captureIndex = firstPlaced(.captureTime) ?? firstPlaced(.createTime)
        let capture = captureIndex.map { record.values[$0] }
        let mtime = record.values.indices.first { record.values[$0].field == .fileModifyTime }.flatMap { instants[$0] }
        if let capture, let captureIndex, let (time, slack) = instants[captureIndex] {
            if let mtime, time - slack > mtime.0 + clockSlack {
                out.append(MetadataObservation(captureAfterMtime,
                    "\(capture.source) (\(capture.normalised)) is later than the file's modification time"))
            }
            if let acquisition = facts.acquisition, time - slack > acquisition + clockSlack {
                out.append(MetadataObservation(captureAfterAcquisition,
                    "\(capture.source) (\(capture.normalised)) is later than the acquisition time"))
            }
            if let gps = record.first(.gpsTime), gps.normalised.count >= 20, let (fix, _) = instant(gps),
               abs(time - fix) > gpsTolerance + slack {
                out.append(MetadataObservation(gpsTimeDisagrees,
                    "\(capture.source) (\(capture.normalised)) and the GPS time (\(gps.normalised)) differ by more than \(gpsTolerance) seconds"))
            }
        }
        let reference = facts.acquisition ?? facts.now
        for (index, value) in record.values.enumerated() where value.timeZone != nil && value.field != .fileModifyTime {
            if value.source.hasPrefix("mp4:mvhd."), let epoch = containerEpochs[value.raw] {
                out.append(MetadataObservation(containerEpoch,
                    "\(value.source) is exactly the \(epoch) epoch: the time was never set, or was reset"))
                continue
            }
            // A capture time already flagged as later than the acquisition is not flagged twice.
            if value == capture, out.contains(where: { $0.code == captureAfterAcquisition }) { continue }
            guard let (time, slack) = instants[index] else { continue }
            if time + slack < earliestPlausible || time - slack > reference + clockSlack {
                out.append(MetadataObservation(impossibleDate,
                    "\(value.source) (\(value.normalised)) is before 1990 or after the \(facts.acquisition == nil ? "time of reading" : "acquisition")"))
            }
        }
        if facts.format == "jpeg", !facts.hasExif, let width = record.first(.width).flatMap({ Int($0.normalised) }),
           let height = record.first(.height).flatMap({ Int($0.normalised) }),
           messagingLongEdges.contains(max(width, height)) {
            out.append(MetadataObservation(messagingAppPattern,
                "no EXIF and a long edge of \(max(width, height)) pixels: the pattern messaging apps leave when they re-encode"))
        }
        let latitudes = record.all(.latitude), longitudes = record.all(.longitude)
        // EXIF names latitude and longitude apart (GPSLatitude, GPSLongitude); every other source holds both.
        func origin(_ value: MetadataValue) -> String { value.source.hasPrefix("exif:") ? "exif" : value.source }
        for latitude in latitudes {
            guard let longitude = longitudes.first(where: { origin($0) == origin(latitude) }) else { continue }
            if Double(latitude.normalised) == 0, Double(longitude.normalised) == 0 {
                out.append(MetadataObservation(gpsNullIsland, "\(latitude.source) gives 0,0: a placeholder, not a place"))
            }
        }
        for field in facts.signConflicts {
            out.append(MetadataObservation(gpsSignConflict,
                "the stored \(field) is negative although its reference letter gives the sign; the letter was used"))
        }
        for software in record.all(.software) {
            let lower = software.normalised.lowercased()
            if let editor = editors.first(where: { lower.contains($0) }) {
                out.append(MetadataObservation(editorSoftware, "\(software.source) names an editor (\(editor)): \(software.normalised)"))
            }
        }
        return out
    }

    /// A time value's instant in Unix seconds and the slack its zone basis needs; nil when it cannot be placed.
    static func instant(_ value: MetadataValue) -> (Int64, Int64)? {
        guard value.normalised.utf8.count >= 19, let time = MetadataTime.iso8601(value.normalised) else { return nil }
        return (time.unixSeconds, time.offset == nil ? unknownZoneSlack : 0)
    }
}
