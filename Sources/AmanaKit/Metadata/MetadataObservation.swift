/// Something in a record worth a person's attention, or a reason a parser stopped; each with a stable code.
///
/// Observations (`metadata.flag.*`) are not verdicts: a phone with a wrong clock and a forger look the same here.
/// Parse findings (`metadata.parse.*`) say the file's structure was not what its container promises.
public struct MetadataObservation: Codable, Equatable, Sendable {
    public var code: String
    public var message: String

    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
}
