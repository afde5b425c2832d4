/// Splits decoded tag-file text into lines the way RFC 8493 section 2.2.2 terminates them: LF, CR or CRLF.
///
/// This works on Unicode scalars, not `Character`s, because Swift treats CRLF as one grapheme and would hide the
/// difference between a line ending and a value. Other Unicode line separators (U+0085, U+2028) are content, not
/// line ends: BagIt does not recognise them.
enum TextLines {
    /// The lines of `text`, without their terminators. A final terminator does not start an empty last line, so
    /// `"a\nb\n"` and `"a\nb"` both give two lines.
    static func split(_ text: String) -> [String] {
        var lines = [String]()
        var current = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if previousWasCR {
                    previousWasCR = false  // the LF of a CRLF: the line already ended at the CR
                    continue
                }
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else if scalar == "\r" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
                previousWasCR = true
                continue
            } else {
                current.append(scalar)
            }
            previousWasCR = false
        }
        if !current.isEmpty { lines.append(String(current)) }
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
