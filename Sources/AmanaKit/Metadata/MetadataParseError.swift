/// Why a parser stopped. Caught by ``MetadataReader`` and recorded as a finding; never shown as a crash.
struct MetadataParseError: Error, Equatable {
    static let truncated = "metadata.parse.truncated"
    static let malformed = "metadata.parse.malformed"
    static let limit = "metadata.parse.limit"
    static let unreadable = "metadata.parse.unreadable"
    /// A structure Amana deliberately does not decode (a compressed PDF cross-reference stream): nothing is guessed.
    static let unsupported = "metadata.parse.unsupported"

    let code: String
    let reason: String

    init(_ code: String, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}
