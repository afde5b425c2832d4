import Crypto
/// The custody log, `amana/custody.jsonl`: one canonical JSON event per line, each line ending in LF.
///
/// This type only splits and joins lines and computes the chain and Merkle values; judging the events is
/// ``CustodyRule``'s job, so that a damaged log still yields every finding instead of one parse error.
package struct CustodyLog: Sendable {
    /// The file's place in the bag.
    package static let path = "amana/custody.jsonl"
    /// More events than this is refused as a resource limit (a real log has a few per item).
    package static let maximumEvents = 1_000_000

    /// The lines, without their LF.
    package private(set) var lines: [[UInt8]]

    package init(lines: [[UInt8]] = []) {
        self.lines = lines
    }

    /// Splits file bytes into lines. Throws when the file does not end with LF, holds an empty line, or a CR.
    package init(bytes: [UInt8]) throws {
        self.init(lines: try CustodyLog.lineRanges(in: bytes).map { Array(bytes[$0]) })
    }

    /// Where each line of the file lies in `bytes` (without its LF), checked as ``init(bytes:)`` checks them. For
    /// readers that go through a long log without holding a second copy of it.
    package static func lineRanges(in bytes: [UInt8]) throws -> [Range<Int>] {
        func bad(_ why: String) -> AmanaError { AmanaError(.inputInvalid, "malformed custody log: \(why)") }
        if bytes.isEmpty { return [] }
        guard bytes.last == 0x0A else { throw bad("the last line does not end with a line feed") }
        guard !bytes.contains(0x0D) else { throw bad("it contains a carriage return") }
        var ranges = [Range<Int>]()
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            guard index > start else { throw bad("it contains an empty line") }
            ranges.append(start..<index)
            guard ranges.count <= CustodyLog.maximumEvents else { throw bad("more than \(CustodyLog.maximumEvents) events") }
            start = index + 1
        }
        return ranges
    }

    /// The size of the file: every line and its LF.
    package var byteCount: UInt64 { lines.reduce(0) { $0 + UInt64($1.count) + 1 } }

    /// The file: every line and its LF, in one exactly sized array (a log of 20,000 events is about 15 MB).
    package var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Int(byteCount))
        for line in lines {
            out += line
            out.append(0x0A)
        }
        return out
    }
    package var count: Int { lines.count }

    /// The `prev` of the first event: binds the log to its bundle, so a log cannot be moved into another bundle.
    package static func genesis(bundleID: String) -> String {
        MultiDigest.digests(of: Array("amana-custody-log-v1\n\(bundleID)".utf8), [.sha256])[.sha256]!.hex
    }

    /// The `prev` of a store bundle's first own event, after its carried store events (custody-log.md section 9.1):
    /// it binds the log to its bundle, and to the last carried line, as ``genesis(bundleID:)`` binds a log's first
    /// event.
    package static func genesis(bundleID: String, after line: [UInt8]) -> String {
        Hex.encode(Array(SHA256.hash(data: Array("amana-custody-log-v1\n\(bundleID)\n".utf8) + line)))
    }

    /// The `prev` an event after `line` must carry.
    package static func chainValue(after line: [UInt8]) -> String {
        // SHA-256 directly: the general multi-digest path built a dictionary per line, a tenth of judging a long log.
        Hex.encode(Array(SHA256.hash(data: line)))
    }

    /// RFC 9162 Merkle tree hash of the first `count` lines (each line is one leaf).
    package func root(ofFirst count: Int) -> [UInt8] {
        MerkleTree.root(leafHashes: lines.prefix(count).map(MerkleTree.leafHash))
    }

    package var prevForNext: String {
        lines.last.map(CustodyLog.chainValue(after:)) ?? ""
    }

    /// Appends a signed event; its `seq` and `prev` must already be right (see ``CustodyRecorder``).
    package mutating func append(_ event: CustodyEvent) {
        // Copied into an exactly sized array: the serialiser's buffer grew by doubling, and a seal keeps every line.
        let line = event.line
        lines.append([UInt8](unsafeUninitializedCapacity: line.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: line)
        })
    }
}
