/// The fields a record can hold. A struct over a string so new fields do not break callers.
package struct MetadataField: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package var description: String { rawValue }

    package init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    package func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// When the picture or recording was taken.
    package static let captureTime = MetadataField(rawValue: "captureTime")
    /// When the file's content was created (EXIF CreateDate, QuickTime creation time).
    package static let createTime = MetadataField(rawValue: "createTime")
    package static let modifyTime = MetadataField(rawValue: "modifyTime")
    package static let subSecond = MetadataField(rawValue: "subSecond")
    package static let offsetTime = MetadataField(rawValue: "offsetTime")
    package static let latitude = MetadataField(rawValue: "latitude")
    package static let longitude = MetadataField(rawValue: "longitude")
    package static let altitude = MetadataField(rawValue: "altitude")
    /// A GPS fix's UTC time, from GPSDateStamp and GPSTimeStamp together.
    package static let gpsTime = MetadataField(rawValue: "gpsTime")
    package static let make = MetadataField(rawValue: "make")
    package static let model = MetadataField(rawValue: "model")
    package static let software = MetadataField(rawValue: "software")
    package static let lensModel = MetadataField(rawValue: "lensModel")
    package static let imageUniqueID = MetadataField(rawValue: "imageUniqueId")
    package static let orientation = MetadataField(rawValue: "orientation")
    package static let width = MetadataField(rawValue: "width")
    package static let height = MetadataField(rawValue: "height")
    package static let duration = MetadataField(rawValue: "duration")
    package static let codec = MetadataField(rawValue: "codec")
    /// A recording's or document's title (ID3 TIT2, RIFF INAM, iTunes ©nam, PDF /Title).
    package static let title = MetadataField(rawValue: "title")
    /// Who made it, as the file says (ID3 TPE1, RIFF IART, iTunes ©ART, PDF /Author).
    package static let artist = MetadataField(rawValue: "artist")
    /// The file system's modification time: not the file's testimony, but the clock it is compared with.
    package static let fileModifyTime = MetadataField(rawValue: "fileModifyTime")
}
