import Foundation

/// The digest sets a seal may use, and how `--digests` spells them (spec/bundle.md section 5.1).
///
/// Every set holds at least one SHA-2 algorithm, so `sha256sum -c` or `sha512sum -c` and bagit.py can check any
/// Amana bag without Amana. BLAKE2b-512 comes only paired with a SHA-2: it hedges against a future weakness in
/// SHA-2, but on its own most tools could not check the bag.
package enum DigestChoice {
    /// The allowed sets, the default first. Manifests are written in this order.
    package static let allowed: [[DigestAlgorithm]] = [
        [.sha256, .sha512],
        [.sha256],
        [.sha256, .blake2b512],
        [.sha512, .blake2b512],
    ]

    /// How the allowed sets are written on the command line, for help and error messages.
    package static var spellings: [String] { allowed.map(spelling) }

    package static func spelling(_ algorithms: [DigestAlgorithm]) -> String {
        algorithms.map(\.bagItName).joined(separator: ",")
    }

    /// Parses a comma-separated list such as `sha256,sha512` (any order, any case) into an allowed set.
    /// Throws `AmanaError(.usage)` naming the allowed sets otherwise.
    package static func parse(_ text: String) throws -> [DigestAlgorithm] {
        var algorithms = [DigestAlgorithm]()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let algorithm = DigestAlgorithm(bagItName: name) else {
                throw refusal("'\(name)' is not a digest amana seals with")
            }
            algorithms.append(algorithm)
        }
        return try validated(algorithms)
    }

    /// The allowed set equal to `algorithms` (in its canonical order), or `AmanaError(.usage)`.
    package static func validated(_ algorithms: [DigestAlgorithm]) throws -> [DigestAlgorithm] {
        guard Set(algorithms).count == algorithms.count else {
            throw refusal("'\(spelling(algorithms))' names a digest twice")
        }
        guard let match = allowed.first(where: { Set($0) == Set(algorithms) }) else {
            if let weak = algorithms.first(where: \.isBroken) {
                throw AmanaError(.usage, "\(weak.rawValue) is broken and cannot seal evidence",
                                 hint: "choose one of: \(spellings.joined(separator: "  "))")
            }
            throw refusal("'\(spelling(algorithms))' is not a digest set amana seals with")
        }
        return match
    }

    private static func refusal(_ text: String) -> AmanaError {
        AmanaError(.usage, text, hint: "choose one of: \(spellings.joined(separator: "  ")) (the first is the default)")
    }
}
