/// The `label: value` text format shared by BagIt's tag files (RFC 8493 section 2.2.2).
///
/// A field is a label, a colon, one space or tab, and a value; a line that starts with a space or tab continues the
/// value of the field before it. Fields keep their order and labels may repeat, because RFC 8493 lets metadata
/// elements repeat and order can carry meaning. A continued value keeps its line breaks as `\n` and loses the
/// indentation in front of each continuation line, which "does not form part of the value".
package struct TagFile: Equatable, Sendable {
    package struct Field: Equatable, Sendable {
        package var label: String
        package var value: String

        package init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// How strictly the separator between label and value is read.
    package enum Separator: Sendable {
        /// BagIt 1.0: exactly one space or tab after the colon and none before it.
        case strict
        /// Before 1.0, RFC 8493 says readers MUST accept several spaces or tabs on both sides of the colon
        /// (`Test-Tag    :   5` in the conformance suite); they belong to neither label nor value.
        case lenient

        package init(for version: BagItVersion) {
            self = version < .v1_0 ? .lenient : .strict
        }
    }

    /// A line that could not be read, with its 1-based number.
    package struct Problem: Equatable, Sendable, CustomStringConvertible {
        package var line: Int
        package var reason: String
        package var description: String { "line \(line): \(reason)" }
    }

    package var fields: [Field]

    package init(fields: [Field] = []) {
        self.fields = fields
    }

    /// Parses `text`, keeping every field it can read and reporting every line it cannot, so that one bad line does
    /// not hide the rest of the file. Blank lines are skipped.
    package static func parse(_ text: String, separator: Separator) -> (tagFile: TagFile, problems: [Problem]) {
        var fields = [Field]()
        var problems = [Problem]()
        // Set while the field before is good, so that a continuation of a bad line is not glued to another field.
        var continuable = false
        for (offset, line) in TextLines.split(text).enumerated() {
            let number = offset + 1
            if TextLines.isBlank(line) { continue }
            if let first = line.unicodeScalars.first, TextLines.isLinearWhitespace(first) {
                if continuable {
                    fields[fields.count - 1].value += "\n" + trimmed(Substring(line))
                } else if fields.isEmpty && problems.isEmpty {
                    problems.append(Problem(line: number, reason: "starts with whitespace but there is no field to continue"))
                }
                continue
            }
            switch parseField(line, separator: separator) {
            case .success(let field):
                fields.append(field)
                continuable = true
            case .failure(let problem):
                problems.append(Problem(line: number, reason: problem.reason))
                continuable = false
            }
        }
        return (TagFile(fields: fields), problems)
    }

    private struct LineError: Error { let reason: String }

    private static func parseField(_ line: String, separator: Separator) -> Result<Field, LineError> {
        guard let colon = line.unicodeScalars.firstIndex(of: ":") else {
            return .failure(LineError(reason: "no colon separates a label from a value"))
        }
        let rawLabel = Substring(line.unicodeScalars[..<colon])
        let afterColon = Substring(line.unicodeScalars[line.unicodeScalars.index(after: colon)...])
        let label = trimmed(rawLabel)
        guard !label.isEmpty else {
            return .failure(LineError(reason: "the label before the colon is empty"))
        }
        let value = trimmed(afterColon)
        if separator == .strict {
            if label.unicodeScalars.count != rawLabel.unicodeScalars.count {
                return .failure(LineError(reason: "whitespace around the label \"\(label)\" (BagIt 1.0 allows none)"))
            }
            // One space or tab, then the value; an empty value may end the line right after the colon.
            let scalars = Array(afterColon.unicodeScalars)
            if !value.isEmpty {
                guard scalars.count >= 2, TextLines.isLinearWhitespace(scalars[0]),
                    !TextLines.isLinearWhitespace(scalars[1])
                else {
                    return .failure(
                        LineError(reason: "\"\(label)\" needs exactly one space or tab after the colon (BagIt 1.0)"))
                }
            }
        }
        return .success(Field(label, value))
    }

    /// Drops spaces and tabs at both ends.
    static func trimmed(_ text: Substring) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !TextLines.isLinearWhitespace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !TextLines.isLinearWhitespace($0) })!
        return String(String.UnicodeScalarView(scalars[start...end]))
    }

    /// All values of `label`, compared without regard to ASCII case, in file order.
    package func values(_ label: String) -> [String] {
        let key = label.lowercased()
        return fields.filter { $0.label.lowercased() == key }.map(\.value)
    }

    /// The text of the file: `label: value` and LF after each line; a value's line breaks become continuation lines
    /// indented by two spaces.
    ///
    /// Throws when a field could not be read back as written: a label that is empty, contains a colon or a line
    /// break, or has whitespace at either end; a value with whitespace at either end of a line, or an empty line.
    package func serialized() throws -> String {
        var out = ""
        for field in fields {
            try TagFile.checkWritable(field)
            out += field.label + ": " + field.value.split(separator: "\n", omittingEmptySubsequences: false)
                .joined(separator: "\n  ") + "\n"
        }
        return out
    }

    private static func checkWritable(_ field: Field) throws {
        let label = field.label
        guard !label.isEmpty, !label.unicodeScalars.contains(where: { $0 == ":" || $0 == "\n" || $0 == "\r" }),
            trimmed(Substring(label)) == label
        else {
            throw AmanaError(.inputInvalid, "tag label \"\(label)\" cannot be written: it must be non-empty, without colon, line break or surrounding whitespace")
        }
        guard !field.value.unicodeScalars.contains("\r") else {
            throw AmanaError(.inputInvalid, "the value of \(label) contains a carriage return")
        }
        let lines = field.value.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where trimmed(line) != String(line) || (index > 0 && line.isEmpty) {
            throw AmanaError(.inputInvalid, "the value of \(label) has a line that would not read back unchanged")
        }
    }
}
