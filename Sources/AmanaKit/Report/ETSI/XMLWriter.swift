/// A small streaming XML 1.0 writer: elements, attributes and text, escaped, indented by two spaces.
///
/// Amana writes XML with this rather than Foundation's `XMLDocument` (spec/report.md, ETSI section): on Linux that
/// class lives in FoundationXML, which would tie the `amana` binary to libxml2 for one output file; and XML 1.0 cannot
/// carry a control character in any spelling (not even `&#1;`), so a rule for hostile names is needed whichever writer
/// is used. Here every string passes through ``escaped(_:attribute:)``: the five markup characters become entities,
/// and every character XML 1.0 cannot carry at all (C0 controls but tab, line feed and carriage return; U+FFFE and
/// U+FFFF) becomes U+FFFD, so the output is well-formed whatever the input.
package struct XMLWriter {
    private(set) package var bytes: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
    /// The elements opened and not yet closed, innermost last.
    private var stack: [String] = []

    package init() {}

    /// Opens `name` with `attributes` (written in the order given); close it with ``close()``.
    package mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        indent()
        append("<" + name + XMLWriter.attributeText(attributes) + ">\n")
        stack.append(name)
    }

    package mutating func close() {
        let name = stack.removeLast()
        indent()
        append("</" + name + ">\n")
    }

    /// `<name attributes>text</name>` on one line; `<name attributes/>` when `text` is nil.
    package mutating func element(_ name: String, _ text: String? = nil, _ attributes: [(String, String)] = []) {
        indent()
        if let text {
            append("<" + name + XMLWriter.attributeText(attributes) + ">" + XMLWriter.escaped(text, attribute: false)
                   + "</" + name + ">\n")
        } else {
            append("<" + name + XMLWriter.attributeText(attributes) + "/>\n")
        }
    }

    /// The finished document; every opened element must have been closed.
    package func document() -> [UInt8] {
        precondition(stack.isEmpty, "unclosed XML element \(stack.last ?? "")")
        return bytes
    }

    private mutating func indent() { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * stack.count)) }
    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private static func attributeText(_ attributes: [(String, String)]) -> String {
        attributes.map { " " + $0.0 + "=\"" + escaped($0.1, attribute: true) + "\"" }.joined()
    }

    /// `text` as XML character data (or an attribute value, where white space other than a space must be a reference
    /// to survive attribute-value normalisation).
    package static func escaped(_ text: String, attribute: Bool) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: (attribute ? "&quot;" : "\"").unicodeScalars)
            case "'": out.append(contentsOf: (attribute ? "&apos;" : "'").unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            case "\t", "\n": out.append(contentsOf: (attribute ? (scalar == "\t" ? "&#9;" : "&#10;") : String(scalar)).unicodeScalars)
            default: out.append(isXMLChar(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return String(out)
    }

    /// XML 1.0's `Char` production (section 2.2), tab, line feed and carriage return being handled by the caller.
    static func isXMLChar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
