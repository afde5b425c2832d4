/// The fields a record can hold. A struct over a string so new fields do not break callers.
public struct MetadataField: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// When the picture or recording was taken.
    public static let captureTime = MetadataField(rawValue: "captureTime")
    /// When the file's content was created (EXIF CreateDate, QuickTime creation time).
    public static let createTime = MetadataField(rawValue: "createTime")
    public static let modifyTime = MetadataField(rawValue: "modifyTime")
    public static let subSecond = MetadataField(rawValue: "subSecond")
    public static let offsetTime = MetadataField(rawValue: "offsetTime")
    public static let latitude = MetadataField(rawValue: "latitude")
    public static let longitude = MetadataField(rawValue: "longitude")
    public static let altitude = MetadataField(rawValue: "altitude")
    /// A GPS fix's UTC time, from GPSDateStamp and GPSTimeStamp together.
    public static let gpsTime = MetadataField(rawValue: "gpsTime")
    public static let make = MetadataField(rawValue: "make")
    public static let model = MetadataField(rawValue: "model")
    public static let software = MetadataField(rawValue: "software")
    public static let lensModel = MetadataField(rawValue: "lensModel")
    public static let imageUniqueID = MetadataField(rawValue: "imageUniqueId")
    public static let orientation = MetadataField(rawValue: "orientation")
    public static let width = MetadataField(rawValue: "width")
    public static let height = MetadataField(rawValue: "height")
    public static let duration = MetadataField(rawValue: "duration")
    public static let codec = MetadataField(rawValue: "codec")
    /// A recording's or document's title (ID3 TIT2, RIFF INAM, iTunes ©nam, PDF /Title).
    public static let title = MetadataField(rawValue: "title")
    /// Who made it, as the file says (ID3 TPE1, RIFF IART, iTunes ©ART, PDF /Author).
    public static let artist = MetadataField(rawValue: "artist")
    /// The file system's modification time: not the file's testimony, but the clock it is compared with.
    public static let fileModifyTime = MetadataField(rawValue: "fileModifyTime")
}
