extension String {
    /// Byte-wise prefix test for paths.
    ///
    /// `String.hasPrefix` compares grapheme clusters, so `"data/\u{301}x".hasPrefix("data/")` is false: a combining
    /// mark glues itself to the slash. A path rule built on it could be dodged by such a name, so every path test
    /// in Amana compares UTF-8 bytes instead.
    func hasBytePrefix(_ prefix: String) -> Bool {
        utf8.starts(with: prefix.utf8)
    }

    /// Byte-wise suffix test for paths, for the same reason as ``hasBytePrefix(_:)``.
    func hasByteSuffix(_ suffix: String) -> Bool {
        utf8.count >= suffix.utf8.count && utf8.reversed().starts(with: suffix.utf8.reversed())
    }
}

extension String {
    /// Splits a path at `/` bytes. Since UTF-8 never uses 0x2F inside a multi-byte character, every piece is valid
    /// UTF-8. (`split(separator: "/")` would not split before a combining mark, and then `../\u{301}x` hides its `..`
    /// from a component check while the file system still sees `../`.)
    func pathComponents() -> [String] {
        utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }
}
