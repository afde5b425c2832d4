/// `fetch.txt` (RFC 8493 section 2.2.3): where the files of a "holey" bag could be downloaded from.
///
/// Amana reads it only to judge it and never fetches anything: evidence is verified from the bytes at hand. Each
/// line is `<url> <length> <path>`, where the URL is absolute, the length is a byte count or `-`, and the path is
/// percent-encoded like a manifest path and lies below `data/` (a fetch file MUST NOT list tag files).
package struct FetchFile: Equatable, Sendable {
    package struct Entry: Equatable, Sendable {
        package let url: String
        /// Nil when the line gives `-` (length unknown).
        package let length: UInt64?
        package let path: String
    }

    package private(set) var entries: [Entry] = []

    package init() {}

    /// Parses decoded text; unreadable lines and unsafe paths become findings, the rest are kept.
    package static func parse(_ text: String, version: BagItVersion) -> (fetch: FetchFile, findings: [Finding]) {
        var fetch = FetchFile()
        var findings = [Finding]()
        for (offset, line) in TextLines.split(text).enumerated() where !TextLines.isBlank(line) {
            let at = "line \(offset + 1) of \(BagItNames.fetch)"
            // url, whitespace, length, whitespace, then the rest of the line is the path (which may hold spaces).
            let scalars = Array(line.unicodeScalars)
            var fields = [String]()
            var index = 0
            while fields.count < 2 {
                let start = index
                while index < scalars.count, !TextLines.isLinearWhitespace(scalars[index]) { index += 1 }
                guard index > start else { break }
                fields.append(String(String.UnicodeScalarView(scalars[start..<index])))
                while index < scalars.count, TextLines.isLinearWhitespace(scalars[index]) { index += 1 }
            }
            let written = String(String.UnicodeScalarView(scalars[index...]))
            guard fields.count == 2, !written.isEmpty else {
                findings.append(.failed(FetchCode.malformed, subject: BagItNames.fetch, "\(at) is not <url> <length> <path>"))
                continue
            }
            guard isAbsoluteURL(fields[0]) else {
                findings.append(.failed(FetchCode.malformed, subject: BagItNames.fetch, "\(at) has \"\(fields[0])\", which is not an absolute URL"))
                continue
            }
            let length: UInt64?
            if fields[1] == "-" {
                length = nil
            } else if fields[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = UInt64(fields[1]) {
                length = value
            } else {
                findings.append(.failed(FetchCode.malformed, subject: BagItNames.fetch, "\(at) has \"\(fields[1])\" where a byte count or \"-\" belongs"))
                continue
            }
            let path = ManifestPath.decode(written, version: version)
            if let problem = ManifestPath.problem(with: path, scope: .payload) {
                findings.append(.failed(FetchCode.pathInvalid, subject: written, "\(at): \(problem)"))
                continue
            }
            fetch.entries.append(Entry(url: fields[0], length: length, path: path))
        }
        return (fetch, findings)
    }

    /// RFC 3986 section 3.1: a scheme (a letter, then letters, digits, `+`, `-` or `.`) and a colon, then more.
    static func isAbsoluteURL(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon + 1 < bytes.count else {
            return false
        }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
        guard isLetter(bytes[0]) else { return false }
        return bytes[1..<colon].allSatisfy {
            isLetter($0) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: ".")
        }
    }
}
