/// Splits decoded tag-file text into lines the way RFC 8493 section 2.2.2 terminates them: LF, CR or CRLF.
///
/// This works on UTF-8 bytes, not `Character`s, because Swift treats CRLF as one grapheme and would hide the
/// difference between a line ending and a value. Other Unicode line separators (U+0085, U+2028) are content, not
/// line ends: BagIt does not recognise them.
enum TextLines {
    /// The lines of `text`, without their terminators. A final terminator does not start an empty last line, so
    /// `"a\nb\n"` and `"a\nb"` both give two lines.
    static func split(_ text: String) -> [String] {
        // On UTF-8 bytes: CR and LF are ASCII, so every cut falls between characters, and each line is one slice
        // copied once (appending scalar by scalar made the manifests of 20,000 files a visible cost of verify).
        var lines = [String]()
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        var previousWasCR = false
        while index != utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            if byte == 0x0A && previousWasCR {
                previousWasCR = false  // the LF of a CRLF: the line already ended at the CR
                start = next
            } else if byte == 0x0A || byte == 0x0D {
                lines.append(String(text[start..<index]))
                previousWasCR = byte == 0x0D
                start = next
            } else {
                previousWasCR = false
            }
            index = next
        }
        if start != utf8.endIndex { lines.append(String(text[start...])) }
        return lines
    }

    /// Space or horizontal tab: RFC 8493's "linear whitespace".
    static func isLinearWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t"
    }

    /// True when the line holds nothing but linear whitespace.
    static func isBlank(_ line: String) -> Bool {
        line.unicodeScalars.allSatisfy(isLinearWhitespace)
    }
}
