import Mustache

/// The escaping of every `{{ }}` in the report's template: text from a bundle can never become markup.
///
/// swift-mustache's own HTML escaping compares whole `Character`s, so a quote or `<` followed by a combining mark (one
/// grapheme, `"\u{301}`) passes through unescaped, and the browser, which reads code points, sees a bare quote: a file
/// name could close an attribute. This escaper works on Unicode scalars. It also shows C0 and C1 controls and bidi
/// controls as visible `\u{…}` text, as the terminal output does (Output.safe): a right-to-left override in a file
/// name must not reorder what a judge reads.
struct ReportHTMLEscaper: MustacheContentType {
    /// The name the template's `{{% CONTENT_TYPE: … }}` pragma selects.
    static let name = "AMANA_HTML"

    /// Registers the escaper with swift-mustache once, before the first template is parsed.
    static let registered: Bool = {
        MustacheContentTypes.register(ReportHTMLEscaper(), named: name)
        return true
    }()

    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                switch scalar.value {
                case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                default:
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
