import Foundation

/// `amana/items.json`: per-item metadata a BagIt manifest cannot hold.
///
/// The digests here repeat the manifests' on purpose: a reader of items.json alone sees each exhibit's fingerprint
/// next to its description, and the verifier checks that both agree. Written with sorted keys, so the same bundle
/// always produces the same bytes.
public struct ItemsFile: Codable, Equatable, Sendable {
    public static let mediaType = "application/vnd.amana.items+json;version=1"

    public struct Item: Codable, Equatable, Sendable {
        /// The payload path, `data/...`, in NFC.
        public var path: String
        public var size: UInt64
        /// Lowercase hex digests by BagIt algorithm name.
        public var digests: [String: String]
        /// Detected from the file's first bytes where possible, else from its name.
        public var mediaType: String
        /// The source file's modification time when it was sealed (UTC).
        public var modified: String?
        /// The name the file had on the source device, when it differs from the stored name (e.g. before NFC).
        public var originalName: String?
        public var acquisition: Acquisition?

        public init(path: String, size: UInt64, digests: [String: String], mediaType: String, modified: String?,
                    originalName: String?, acquisition: Acquisition?) {
            self.path = path
            self.size = size
            self.digests = digests
            self.mediaType = mediaType
            self.modified = modified
            self.originalName = originalName
            self.acquisition = acquisition
        }
    }

    public var mediaType: String
    public var bundleID: String
    public var caseID: String?
    public var title: String?
    public var items: [Item]

    enum CodingKeys: String, CodingKey {
        case mediaType, items, title
        case bundleID = "bundleId"
        case caseID = "case"
    }

    public init(bundleID: String, caseID: String?, title: String?, items: [Item]) {
        self.mediaType = ItemsFile.mediaType
        self.bundleID = bundleID
        self.caseID = caseID
        self.title = title
        self.items = items
    }

    public func serialized() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    public init(parsing bytes: [UInt8]) throws {
        do {
            self = try JSONDecoder().decode(ItemsFile.self, from: Data(bytes))
        } catch {
            throw AmanaError(.inputInvalid, "amana/items.json is not valid: \(error.localizedDescription.lowercased())")
        }
    }
}
