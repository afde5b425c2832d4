import Foundation

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// The text without leading or trailing white space (Foundation's `.whitespaces`: spaces, tabs and the Unicode
    /// space separators), exactly as `trimmingCharacters(in: .whitespaces)` gives it.
    ///
    /// Most metadata text has nothing to trim; this sees that from its first and last bytes (printable ASCII is never
    /// white space, and a last byte below 0x80 is a whole character) and skips Foundation's character-set walk, which
    /// was a visible share of reading a photo's metadata while sealing.
    var metadataTrimmed: String {
        let bytes = utf8
        if let first = bytes.first, let last = bytes.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return String(self)
        }
        return trimmingCharacters(in: .whitespaces)
    }
}

/// `value` in decimal, zero-padded on the left to `width` digits, as `String(format: "%0<width>d")` spells a
/// non-negative number (without Foundation's format parsing, which ran for every time value read).
func metadataPadded(_ value: Int, _ width: Int = 2) -> String {
    let text = String(value)
    return text.utf8.count >= width ? text : String(repeating: "0", count: width - text.utf8.count) + text
}
