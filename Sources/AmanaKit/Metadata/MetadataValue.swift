/// One value a file states about itself, with where it was read and how it was understood.
package struct MetadataValue: Codable, Equatable, Sendable {
    package var field: MetadataField
    /// Where the value came from, as `container:tag` (`exif:DateTimeOriginal`, `mp4:mvhd.creation_time`).
    package var source: String
    /// The value as stored, spelled as text (numbers in decimal, rationals as `n/d`).
    package var raw: String
    /// The value in the one spelling `spec/metadata.md` gives for its field.
    package var normalised: String
    /// For times only: how the time zone was decided. Never guessed silently.
    package var timeZone: TimeZoneBasis?

    package init(_ field: MetadataField, source: String, raw: String, normalised: String,
                timeZone: TimeZoneBasis? = nil) {
        self.field = field
        self.source = source
        self.raw = raw
        self.normalised = normalised
        self.timeZone = timeZone
    }
}
