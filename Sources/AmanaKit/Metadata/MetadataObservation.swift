/// Something in a record worth a person's attention, or a reason a parser stopped; each with a stable code.
///
/// Observations (`metadata.flag.*`) are not verdicts: a phone with a wrong clock and a forger look the same here.
/// Parse findings (`metadata.parse.*`) say the file's structure was not what its container promises.
package struct MetadataObservation: Codable, Equatable, Sendable {
    package var code: String
    package var message: String

    package init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
}
