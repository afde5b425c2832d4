/// One recipient stanza of an age header: a type, its arguments, and a binary body.
///
/// A stanza carries the file key wrapped for one recipient. Its type and the number of stanzas stay visible to anyone
/// holding the file; only the holder of the matching identity can unwrap the body.
public struct AgeStanza: Equatable, Sendable {
    public var type: String
    public var arguments: [String]
    public var body: [UInt8]

    public init(type: String, arguments: [String], body: [UInt8]) {
        self.type = type
        self.arguments = arguments
        self.body = body
    }

    /// The stanza's bytes in the header: the argument line, then the body in 64-column lines ending with a short one.
    var encoded: [UInt8] {
        var out = AgeFormat.stanzaPrefix + Array(([type] + arguments).joined(separator: " ").utf8) + [0x0A]
        let text = AgeBase64.encode(body)
        var start = 0
        while true {
            let end = min(start + AgeFormat.bodyColumns, text.count)
            out += text[start..<end]
            out.append(0x0A)
            if end - start < AgeFormat.bodyColumns { break }
            start = end
        }
        return out
    }

    /// Decodes a header argument that must be canonical unpadded base64 of exactly `count` bytes.
    static func decodeArgument(_ text: String, count: Int) -> [UInt8]? {
        guard let bytes = AgeBase64.decode(Array(text.utf8)), bytes.count == count else { return nil }
        return bytes
    }
}
