import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// Runs every case of fixtures/vectors/s3ledger (spec/store.md 11.3; layout in fixtures/vectors/README.md) through the
/// rebuild, as an outside implementation would: the case folder is read as the versioned listing a bucket gives, and
/// the chain (length, head line, Merkle root), the checkpoints restored and the exact findings are compared with
/// expected.json. No server: the rebuild is driven by its listing and reader (``S3LedgerArchive/rebuild``).
final class S3LedgerVectorTests: XCTestCase {
    private static let family = TestEnvironment.packageRoot.appendingPathComponent("fixtures/vectors/s3ledger")
    private static let members: Set<String> = ["comment", "storeId", "length", "head", "root", "checkpoints", "findings"]
    private static let entries: Set<String> = ["expected.json", "objects", "versions.json", "versions", "database.jsonl"]

    /// A case folder as a bucket: every version of every key, oldest first.
    private struct Bucket {
        var versions = [String: [(id: String, bytes: [UInt8]?)]]()

        init(folder: URL) throws {
            let objects = folder.appendingPathComponent("objects")
            if let walker = FileManager.default.enumerator(at: objects, includingPropertiesForKeys: [.isRegularFileKey]) {
                for case let url as URL in walker {
                    guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
                    let key = String(url.standardizedFileURL.path.dropFirst(objects.standardizedFileURL.path.count + 1))
                    versions[key] = [("1", Array(try Data(contentsOf: url)))]
                }
            }
            let listed = folder.appendingPathComponent("versions.json")
            guard FileManager.default.fileExists(atPath: listed.path) else { return }
            let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: listed)) as? [[String: Any]])
            var seen = Set<String>()
            for entry in entries {
                let key = try XCTUnwrap(entry["key"] as? String), id = try XCTUnwrap(entry["version"] as? String)
                if !seen.contains(key) {
                    XCTAssertNil(versions[key], "\(key) is both under objects/ and in versions.json")
                    seen.insert(key)
                    versions[key] = []
                }
                let bytes = try (entry["file"] as? String).map { Array(try Data(contentsOf: folder.appendingPathComponent($0))) }
                XCTAssertTrue(bytes != nil || entry["file"] is NSNull, "\(key) version \(id): file is a path or null")
                versions[key]!.append((id, bytes))
            }
        }

        /// Every version under `prefix`, grouped by key in key order (bytes of UTF-8, as S3 lists), oldest first.
        func listing(_ prefix: String) -> [(key: String, versions: [S3ObjectVersion])] {
            versions.keys.filter { $0.hasPrefix(prefix) }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                .map { key in
                    let list = versions[key]!
                    return (key, list.enumerated().map { index, version in
                        S3ObjectVersion(key: key, versionID: version.id, isLatest: index == list.count - 1,
                                        isDeleteMarker: version.bytes == nil, size: version.bytes.map { UInt64($0.count) },
                                        etag: nil, lastModified: nil)
                    })
                }
        }

        func fetch(_ key: String, _ versionID: String) throws -> [UInt8] {
            guard let bytes = versions[key]?.first(where: { $0.id == versionID })?.bytes else {
                throw AmanaError(.inputInvalid, "no version \(versionID) of \(key) holds bytes")
            }
            return bytes
        }
    }

    /// Runs one case; returns every way its result differs from expected.json, and the codes it expects.
    private func run(_ folder: URL) throws -> (problems: [String], codes: Set<String>) {
        var problems = [String]()
        let unexpected = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)).subtracting(Self.entries)
        if !unexpected.isEmpty { problems.append("files this runner does not know: \(unexpected.sorted())") }
        let expected = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("expected.json"))) as? [String: Any])
        let unknown = Set(expected.keys).symmetricDifference(Self.members)
        if !unknown.isEmpty { problems.append("expected.json members missing or unknown: \(unknown.sorted())") }
        let storeID = try XCTUnwrap(expected["storeId"] as? String)
        let bucket = try Bucket(folder: folder)
        var database = [[UInt8]]()
        let databaseFile = folder.appendingPathComponent("database.jsonl")
        if FileManager.default.fileExists(atPath: databaseFile.path) {
            database = try S3LedgerChain.Batch.lines(Array(try Data(contentsOf: databaseFile)))
        }
        let chain = try S3LedgerArchive.rebuild(storeID: storeID, eventsPrefix: "ledger/events/",
                                                checkpointsPrefix: "ledger/checkpoints/", listing: bucket.listing,
                                                fetch: bucket.fetch) { seq in seq <= database.count ? database[seq - 1] : nil }
        var lines = 0
        var head: [UInt8]?
        try chain.forEachLine { seq, line in
            lines += 1
            if seq != lines || MerkleTree.leafHash(line) != chain.leaves[seq - 1] {
                problems.append("line \(lines) read again is not the chain's event \(seq)")
            }
            head = line
        }
        if lines != chain.count { problems.append("\(lines) lines read again, the chain holds \(chain.count)") }
        if chain.count != expected["length"] as? Int { problems.append("length \(chain.count), expected \(expected["length"] ?? "?")") }
        let headHash = head.map { MultiDigest.digests(of: $0, [.sha256])[.sha256]!.hex }
        if headHash != expected["head"] as? String { problems.append("head \(headHash ?? "null"), expected \(expected["head"] ?? "?")") }
        let root = Hex.encode(MerkleTree.root(leafHashes: chain.leaves))
        if root != expected["root"] as? String { problems.append("root \(root), expected \(expected["root"] ?? "?")") }
        let sizes = chain.checkpoints.map(\.size)
        if sizes != expected["checkpoints"] as? [Int] { problems.append("checkpoints \(sizes), expected \(expected["checkpoints"] ?? "?")") }
        // A finding is its code, the key it names ("-" for none) and, for an overwrite, the version.
        func label(_ code: String, _ key: String?, _ version: String?) -> String {
            [code, key ?? "-"].joined(separator: " ") + (code == S3LedgerFinding.Code.overwrite.rawValue ? " version \(version ?? "-")" : "")
        }
        let found = chain.findings.map { label($0.code.rawValue, $0.key, $0.version) }.sorted()
        let wanted = try XCTUnwrap(expected["findings"] as? [[String: Any]]).map {
            label($0["code"] as? String ?? "?", $0["key"] as? String, $0["version"] as? String)
        }.sorted()
        if found != wanted { problems.append("findings \(found), expected \(wanted)") }
        return (problems, Set(chain.findings.map(\.code.rawValue)))
    }

    func testEveryCase() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.family.path).sorted()
        XCTAssertGreaterThanOrEqual(names.count, 10, "the s3ledger family is generated (make vectors)")
        var covered = Set<String>()
        for name in names {
            let (problems, codes) = try run(Self.family.appendingPathComponent(name))
            covered.formUnion(codes)
            XCTAssertEqual(problems, [], "s3ledger/\(name)")
        }
        // Every code a bucket alone can give has a case; `missing` compares the database with the chain (11.4).
        let all: [S3LedgerFinding.Code] = [.malformed, .overwrite, .orphan, .ambiguous, .gap, .unconfirmed, .checkpointMismatch]
        XCTAssertEqual(Set(all.map(\.rawValue)).subtracting(covered), [])
    }
}
