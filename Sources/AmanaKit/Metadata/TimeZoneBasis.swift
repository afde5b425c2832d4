/// How the time zone of a time value was decided.
package enum TimeZoneBasis: String, Codable, Equatable, Sendable {
    /// The value carries its own offset (or is an absolute instant, like a file's mtime or a GPS time).
    case given
    /// The container defines the value as UTC (QuickTime `mvhd`): assumed by convention, not stated by the file.
    case containerUTC = "container-utc"
    /// No zone is known: the value is a local wall-clock time and is normalised without an offset.
    case unknown
}
