/// The file paths of manifests and `fetch.txt`: their percent-encoding and the rules that keep them inside the bag.
///
/// RFC 8493 section 2.1.3 percent-encodes exactly three characters in a path: LF (`%0A`), CR (`%0D`) and, since
/// BagIt 1.0, `%` itself (`%25`). Every other `%xx` is literal text: `data/%7Etest1.txt` names a file called
/// `%7Etest1.txt`, and `data/%2e%2e/x` names a folder called `%2e%2e`, not a parent folder. Before 1.0 a `%` was
/// never encoded, so `%25` is only decoded for 1.0 bags (this is what the BagIt 0.97 and 1.0 texts each say, and
/// what LoC's bagit-spec issue 46 settled on).
package enum ManifestPath {
    /// What a manifest or fetch file lists: payload files (under `data/`) or tag files (anything else).
    package enum Scope: Sendable {
        case payload
        case tag
    }

    /// Decodes the `%0A`, `%0D` (and from 1.0 `%25`) escapes, hex in either case; leaves everything else as is.
    package static func decode(_ text: String, version: BagItVersion) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let decoded = escape(bytes[index + 1], bytes[index + 2], version: version)
            {
                out.append(decoded)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        // Only ASCII bytes were replaced by ASCII bytes, so the result is as valid UTF-8 as the input was.
        return String(decoding: out, as: UTF8.self)
    }

    private static func escape(_ high: UInt8, _ low: UInt8, version: BagItVersion) -> UInt8? {
        let lowUpper = low & ~0x20  // ASCII letters to upper case; digits are unaffected below
        switch (high, low, lowUpper) {
        case (UInt8(ascii: "0"), _, UInt8(ascii: "A")): return 0x0A
        case (UInt8(ascii: "0"), _, UInt8(ascii: "D")): return 0x0D
        case (UInt8(ascii: "2"), UInt8(ascii: "5"), _) where version >= .v1_0: return UInt8(ascii: "%")
        default: return nil
        }
    }

    /// Encodes `%`, CR and LF as RFC 8493 (BagIt 1.0) requires; nothing else. For a bag of an earlier version (an
    /// adopted one, bundle.md section 8.2) `%` stays as it is, since its readers do not decode `%25`.
    package static func encode(_ path: String, version: BagItVersion = .v1_0) -> String {
        var out = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "%" where version >= .v1_0: out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Why `path` (already decoded) may not appear in a manifest of `scope`, or nil when it may.
    ///
    /// A path must be relative, `/`-separated, with no empty, `.` or `..` component and no backslash, NUL,
    /// Windows drive or `~` home-folder prefix, so that no reader on any system resolves it outside the bag. A
    /// payload path lies below `data/`; a tag path does not, because a tag manifest "MUST NOT list any payload
    /// files" (section 2.2.1).
    package static func problem(with path: String, scope: Scope) -> String? {
        // Bytes, not Characters: Swift would read "/" followed by a combining mark as one character and not split.
        let bytes = Array(path.utf8)
        if bytes.isEmpty { return "the path is empty" }
        if bytes.contains(0) { return "the path contains a NUL character" }
        if bytes.contains(UInt8(ascii: "\\")) {
            return "the path contains a backslash; BagIt separates folders with \"/\" only"
        }
        if bytes[0] == UInt8(ascii: "/") { return "the path is absolute" }
        if bytes[0] == UInt8(ascii: "~") { return "the path starts with a \"~\" home-folder shortcut" }
        if bytes.count >= 2, bytes[1] == UInt8(ascii: ":"), (bytes[0] | 0x20) >= UInt8(ascii: "a"),
            (bytes[0] | 0x20) <= UInt8(ascii: "z")
        {
            return "the path starts with a Windows drive"
        }
        let components = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        for component in components {
            if component.isEmpty { return "the path has an empty component (\"//\" or a trailing \"/\")" }
            if component.elementsEqual([UInt8(ascii: ".")]) { return "the path has a \".\" component" }
            if component.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                return "the path has a \"..\" component, which could reach outside the bag"
            }
        }
        let inPayload = components.count > 1 && components[0].elementsEqual(BagItNames.payloadDirectory.utf8)
        switch scope {
        case .payload:
            if !inPayload { return "the path is outside the payload folder \(BagItNames.payloadPrefix)" }
        case .tag:
            if inPayload { return "a tag manifest lists a payload file (RFC 8493 section 2.2.1 forbids it)" }
        }
        return nil
    }
}
