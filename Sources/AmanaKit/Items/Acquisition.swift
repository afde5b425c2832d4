/// How and where evidence was obtained, as the person sealing it states it.
///
/// These are claims, recorded so a court can weigh them; nothing here is verified by Amana. They are bound to the
/// payload by the seal (items.json is covered by the tag manifests), so they cannot be changed afterwards unnoticed.
public struct Acquisition: Codable, Equatable, Sendable {
    /// Who collected the material (a name or role).
    public var collector: String?
    /// Where it was downloaded from, for online material.
    public var sourceURL: String?
    /// The device it came from (phone model, camera, SD card label).
    public var device: String?
    /// Where it was collected (a place name or coordinates).
    public var location: String?
    /// Anything else the collector wants on record.
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case collector
        case sourceURL = "sourceUrl"
        case device, location, note
    }

    public init(collector: String? = nil, sourceURL: String? = nil, device: String? = nil, location: String? = nil,
                note: String? = nil) {
        self.collector = collector
        self.sourceURL = sourceURL
        self.device = device
        self.location = location
        self.note = note
    }

    public var isEmpty: Bool {
        collector == nil && sourceURL == nil && device == nil && location == nil && note == nil
    }
}
