/// A BagIt version `M.N` as `bagit.txt` declares it.
///
/// Versions order by their numbers (0.97 < 1.0). The checker accepts only the versions in ``known``: rules changed
/// between versions (payload files in every manifest, whitespace around the colon, percent-encoded `%`), so a bag
/// claiming a version Amana does not know cannot be judged by the rules it was made under.
package struct BagItVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    package let major: Int
    package let minor: Int
    /// The text as declared, e.g. `0.97`; kept so that `1.00` is not mistaken for `1.0`.
    package let text: String

    package static let v0_96 = BagItVersion(major: 0, minor: 96, text: "0.96")
    package static let v0_97 = BagItVersion(major: 0, minor: 97, text: "0.97")
    /// RFC 8493, the version Amana writes.
    package static let v1_0 = BagItVersion(major: 1, minor: 0, text: "1.0")

    /// Every version the Library of Congress published a specification (or draft) for and Amana can check.
    package static let known: [BagItVersion] = [
        BagItVersion(major: 0, minor: 93, text: "0.93"),
        BagItVersion(major: 0, minor: 94, text: "0.94"),
        BagItVersion(major: 0, minor: 95, text: "0.95"),
        v0_96, v0_97, v1_0,
    ]

    private init(major: Int, minor: Int, text: String) {
        self.major = major
        self.minor = minor
        self.text = text
    }

    /// Parses `1*DIGIT "." 1*DIGIT` and nothing else: no sign, no whitespace, at most 9 digits a part.
    package init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let major = BagItVersion.number(parts[0]),
            let minor = BagItVersion.number(parts[1])
        else { return nil }
        self.init(major: major, minor: minor, text: text)
    }

    private static func number(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.utf8.count <= 9, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return nil
        }
        return Int(digits)
    }

    /// Whether this is one of the ``known`` versions, spelled exactly as published.
    package var isKnown: Bool { BagItVersion.known.contains { $0.text == text } }

    package var description: String { text }

    package static func < (lhs: BagItVersion, rhs: BagItVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    package static func == (lhs: BagItVersion, rhs: BagItVersion) -> Bool {
        lhs.major == rhs.major && lhs.minor == rhs.minor
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
    }
}
