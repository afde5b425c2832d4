/// A path compared byte for byte.
///
/// Swift's `String` equality is Unicode canonical equivalence, so `"Nu\u{301}n\u{303}ez" == "Núñez"` and a
/// `[String: File]` lookup finds the NFC file for an NFD name. BagIt paths are byte strings: a manifest entry
/// matches a file only when the bytes agree, and near misses are reported as such. This wrapper is the key to use
/// wherever exact identity matters.
struct ExactPath: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: ExactPath, rhs: ExactPath) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }

    /// Byte order, the order manifests are written in.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// The key under which names that differ only in letter case or Unicode normalisation meet. A `String` key in a
    /// dictionary already compares canonically equivalent text as equal; lower-casing adds case.
    static func looseKey(_ path: String) -> String {
        path.lowercased()
    }
}

/// Byte-level prefix tests. `String.hasPrefix` compares Characters, and a combining mark right after the prefix
/// would fuse with its last character and hide it; paths must be judged by their bytes.
extension ExactPath {
    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    /// `text` without its first `prefix.utf8.count` bytes; call only after ``hasPrefix(_:_:)`` said yes, so that
    /// the cut falls on a scalar boundary.
    static func dropPrefix(_ text: String, _ prefix: String) -> String {
        String(decoding: text.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }

    /// Payload files are those below `data/` (RFC 8493 section 2.1.2), judged by bytes (see above).
    static func isPayload(_ path: String) -> Bool {
        hasPrefix(path, BagItNames.payloadPrefix)
    }
}
