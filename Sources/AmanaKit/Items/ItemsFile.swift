import Foundation

/// `amana/items.json`: per-item metadata a BagIt manifest cannot hold.
///
/// The digests here repeat the manifests' on purpose: a reader of items.json alone sees each exhibit's fingerprint
/// next to its description, and the verifier checks that both agree. Written with sorted keys, so the same bundle
/// always produces the same bytes.
package struct ItemsFile: Codable, Equatable, Sendable {
    package static let mediaType = "application/vnd.amana.items+json;version=1"

    package struct Item: Codable, Equatable, Sendable {
        /// The payload path, `data/...`, in NFC.
        package var path: String
        package var size: UInt64
        /// Lowercase hex digests by BagIt algorithm name.
        package var digests: [String: String]
        /// Detected from the file's first bytes where possible, else from its name.
        package var mediaType: String
        /// The source file's modification time when it was sealed (UTC).
        package var modified: String?
        /// The name the file had on the source device, when it differs from the stored name (e.g. before NFC).
        package var originalName: String?
        package var acquisition: Acquisition?

        package init(path: String, size: UInt64, digests: [String: String], mediaType: String, modified: String?,
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

    package var mediaType: String
    package var bundleID: String
    package var caseID: String?
    package var title: String?
    package var items: [Item]

    enum CodingKeys: String, CodingKey {
        case mediaType, items, title
        case bundleID = "bundleId"
        case caseID = "case"
    }

    package init(bundleID: String, caseID: String?, title: String?, items: [Item]) {
        self.mediaType = ItemsFile.mediaType
        self.bundleID = bundleID
        self.caseID = caseID
        self.title = title
        self.items = items
    }

    /// The file's bytes: pretty-printed JSON with sorted keys, byte for byte what Foundation's `JSONEncoder` writes
    /// with `[.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]` (the format of every bundle sealed so far; the
    /// tests compare the two), plus a final LF.
    ///
    /// Written by hand because the encoder builds a tree of the whole file first: for 20,000 photos it held about
    /// 40 MB at once, the largest single use of memory in a seal. This writes straight into one buffer.
    package func serialized() throws -> [UInt8] {
        var writer = PrettyJSONWriter()
        writer.out.reserveCapacity(256 + items.count * 512)
        writer.object(level: 0) { member in
            member("bundleId") { $0.string(bundleID) }
            if let caseID { member("case") { $0.string(caseID) } }
            member("items") { writer in
                writer.array(items, level: 1) { writer, item in writer.item(item, level: 2) }
            }
            member("mediaType") { $0.string(mediaType) }
            if let title { member("title") { $0.string(title) } }
        }
        writer.out.append(UInt8(ascii: "\n"))
        return writer.out
    }

    /// Parses items.json (see ``ItemsFileParser`` for exactly what is accepted).
    package init(parsing bytes: [UInt8]) throws {
        do {
            self = try ItemsFileParser.parse(bytes)
        } catch let failure as ItemsFileParser.Failure {
            throw AmanaError(.inputInvalid, "amana/items.json is not valid: \(failure.message)")
        }
    }
}

/// The subset of `JSONEncoder`'s pretty-printed output that items.json needs: objects whose members the caller gives
/// in sorted order, arrays, strings and unsigned integers. Two spaces per level, `"key" : value`, and empty
/// containers as `[\n\n<indent>]`, exactly as the encoder writes them.
struct PrettyJSONWriter {
    var out = [UInt8]()

    /// Writes an object at `level`; `body` calls `member(name) { write the value }` for each member, in order.
    mutating func object(level: Int, _ body: ((String, (inout PrettyJSONWriter) -> Void) -> Void) -> Void) {
        out.append(UInt8(ascii: "{"))
        var count = 0
        body { name, value in
            out.append(contentsOf: count == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
            indent(level + 1)
            string(name)
            out.append(contentsOf: Array(" : ".utf8))
            value(&self)
            count += 1
        }
        close(UInt8(ascii: "}"), level: level, empty: count == 0)
    }

    mutating func array<Element>(_ elements: [Element], level: Int, _ write: (inout PrettyJSONWriter, Element) -> Void) {
        out.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            out.append(contentsOf: index == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
            indent(level + 1)
            write(&self, element)
        }
        close(UInt8(ascii: "]"), level: level, empty: elements.isEmpty)
    }

    /// `"`, `\` and control characters escaped as the encoder does (short forms where JSON has them, else `\u00xx`
    /// in lower case); everything else, `/` and non-ASCII included, as it is. RFC 8785 escapes exactly alike.
    mutating func string(_ text: String) {
        CanonicalJSON.writeString(text, into: &out)
    }

    mutating func number(_ value: UInt64) {
        out += Array(String(value).utf8)
    }

    private mutating func indent(_ level: Int) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    private mutating func close(_ bracket: UInt8, level: Int, empty: Bool) {
        out.append(0x0A)
        if empty { out.append(0x0A) }
        indent(level)
        out.append(bracket)
    }
}

extension PrettyJSONWriter {
    /// One item, its members in the encoder's sorted order.
    mutating func item(_ item: ItemsFile.Item, level: Int) {
        object(level: level) { member in
            if let acquisition = item.acquisition {
                member("acquisition") { writer in
                    writer.object(level: level + 1) { field in
                        if let value = acquisition.collector { field("collector") { $0.string(value) } }
                        if let value = acquisition.device { field("device") { $0.string(value) } }
                        if let value = acquisition.location { field("location") { $0.string(value) } }
                        if let value = acquisition.note { field("note") { $0.string(value) } }
                        if let value = acquisition.sourceURL { field("sourceUrl") { $0.string(value) } }
                    }
                }
            }
            member("digests") { writer in
                writer.object(level: level + 1) { field in
                    for (name, hex) in item.digests.sorted(by: { $0.key < $1.key }) { field(name) { $0.string(hex) } }
                }
            }
            member("mediaType") { $0.string(item.mediaType) }
            if let modified = item.modified { member("modified") { $0.string(modified) } }
            if let originalName = item.originalName { member("originalName") { $0.string(originalName) } }
            member("path") { $0.string(item.path) }
            member("size") { $0.number(item.size) }
        }
    }
}
