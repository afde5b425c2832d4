import Foundation

/// What to seal and how. Everything optional has a safe default.
public struct SealOptions: Sendable {
    public var inputs: [String]
    public var output: String
    /// A case or matter identifier, recorded as `Internal-Sender-Identifier` and in items.json.
    public var caseID: String?
    /// A short human title, recorded as `External-Description`.
    public var title: String?
    public var acquisition = Acquisition()
    /// One of ``DigestChoice/allowed``; the default is SHA-256 with SHA-512.
    public var algorithms: [DigestAlgorithm] = DigestAlgorithm.sealDefault
    /// The claimed sealing time. Tests pin it; users get the clock.
    public var time = Date()
    /// Random unless pinned (vectors pin it).
    public var bundleID = UUID().uuidString.lowercased()
    /// The sealer's role in the custody log ("documenter", "archivist"...), if given.
    public var role: String?
    /// The secret key's file, if it came from one: sealing refuses to put that file in the bundle.
    public var keyFile: String?
    /// RFC 3161 time-stamping authorities to stamp the seal's signature with, one token each.
    public var tsaURLs: [URL] = []
    /// The imprint algorithm of timestamp requests.
    public var tsaHash: DigestAlgorithm = .sha256
    /// Whether to write the items' derived metadata records (`amana/metadata.jsonl`, spec/metadata.md section 3.1).
    public var metadata = true

    public init(inputs: [String], output: String) {
        self.inputs = inputs
        self.output = output
    }

    func validate() throws {
        guard BundleLayout.isValidBundleID(bundleID) else {
            throw AmanaError(.usage, "the bundle id '\(bundleID)' is not a safe folder name (letters, digits, '.', '_', '-')")
        }
        // Only the sets spec/bundle.md allows: each keeps a SHA-2 digest that common tools can check.
        _ = try DigestChoice.validated(algorithms)
        for (label, value) in [("--case", caseID), ("--title", title), ("--collector", acquisition.collector),
                               ("--source-url", acquisition.sourceURL), ("--device", acquisition.device),
                               ("--location", acquisition.location), ("--note", acquisition.note),
                               ("--role", role)] {
            if let value, value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
                throw AmanaError(.usage, "\(label) must be one line without control characters")
            }
        }
    }
}

/// What a finished seal produced.
public struct SealResult: Sendable {
    public let bundleID: String
    public let output: String
    public let fileCount: Int
    public let payloadBytes: UInt64
    public let signerKeyID: String
    public let sealedAt: String
}
