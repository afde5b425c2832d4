import AmanaTestSupport
import Foundation
import XCTest

@testable import AmanaKit

/// Every proof case of transparency-dev/merkle's test data (`../shared/conformance/merkle`): RFC 9162 inclusion and
/// consistency proofs, and the subtree proofs of the Merkle Tree Certificates draft. Each case gives the arguments
/// of one verification and `wantErr`; the matching verifier must return `!wantErr`. Skipped with a message when the
/// folder is absent (it is outside the project).
///
/// Positions are decoded as `UInt64`, as the cases hold values up to 2^64 - 1 and the verifiers take them as they
/// are; hashes and proof elements are base64, and `proof` may be `null` (no hashes).
///
/// Four cases fail, on purpose, and are not excused here: one in `consistency/additional/` and three in
/// `subtreeconsistency/additional/` expect a 12-byte placeholder root to verify. Amana rejects any hash
/// that is not 32 bytes (see `MerkleProofVerification.swift`); whether the cases or that rule should give way is the
/// project's decision, so the failures stay visible until it is made.
final class MerkleConformanceTests: XCTestCase {
    fileprivate struct Case: Decodable {
        var leafIdx: UInt64?
        var treeSize: UInt64?
        var size1: UInt64?
        var size2: UInt64?
        var start: UInt64?
        var end: UInt64?
        var size: UInt64?
        var leafHash: String?
        var root: String?
        var root1: String?
        var root2: String?
        var proof: [String]?
        var desc: String
        var wantErr: Bool
    }

    /// A case's field was absent or not base64: the case file is unusable, which is a failure, not a skip.
    fileprivate struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    func testInclusion() throws {
        try runFolder("inclusion", expectedCases: 98) { c in
            try MerkleTree.verifyInclusion(leafHash: c.bytes(\.leafHash), index: c.number(\.leafIdx),
                                           treeSize: c.number(\.treeSize), proof: c.hashes(), root: c.bytes(\.root))
        }
    }

    func testConsistency() throws {
        try runFolder("consistency", expectedCases: 98) { c in
            try MerkleTree.verifyConsistency(oldSize: c.number(\.size1), newSize: c.number(\.size2),
                                             oldRoot: c.bytes(\.root1), newRoot: c.bytes(\.root2), proof: c.hashes())
        }
    }

    func testSubtreeInclusion() throws {
        try runFolder("subtreeinclusion", expectedCases: 204) { c in
            try MerkleTree.verifySubtreeInclusion(leafHash: c.bytes(\.leafHash), index: c.number(\.leafIdx),
                                                  start: c.number(\.start), end: c.number(\.end),
                                                  proof: c.hashes(), root: c.bytes(\.root))
        }
    }

    func testSubtreeConsistency() throws {
        try runFolder("subtreeconsistency", expectedCases: 118) { c in
            try MerkleTree.verifySubtreeConsistency(start: c.number(\.start), end: c.number(\.end),
                                                    size: c.number(\.size), subtreeRoot: c.bytes(\.root1),
                                                    root: c.bytes(\.root2), proof: c.hashes())
        }
    }

    /// Runs every `*.json` below `merkle/<folder>`, in path order, and checks the count so that a walk that found
    /// nothing cannot pass.
    private func runFolder(_ folder: String, expectedCases: Int, verify: (Case) throws -> Bool) throws {
        let root = try TestEnvironment.requireConformance("merkle").appendingPathComponent(folder)
        let files = try jsonFiles(under: root)
        XCTAssertEqual(files.count, expectedCases, "merkle/\(folder): number of cases")
        var agreed = 0
        for file in files {
            let name = "merkle/\(folder)/" + String(file.path.dropFirst(root.path.count + 1))
            do {
                let testCase = try JSONDecoder().decode(Case.self, from: Data(contentsOf: file))
                let verified = try verify(testCase)
                XCTAssertEqual(verified, !testCase.wantErr,
                               "\(name) (\(testCase.desc)): verified \(verified), want \(!testCase.wantErr)")
                if verified == !testCase.wantErr { agreed += 1 }
            } catch {
                XCTFail("\(name): unreadable case: \(error)")
            }
        }
        print("merkle/\(folder): \(agreed) of \(files.count) cases as expected")
    }

    private func jsonFiles(under root: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw Unreadable(description: "cannot list \(root.path)")
        }
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" }
            .sorted { $0.path < $1.path }
    }
}

extension MerkleConformanceTests.Case {
    func number(_ field: KeyPath<Self, UInt64?>) throws -> UInt64 {
        guard let value = self[keyPath: field] else {
            throw MerkleConformanceTests.Unreadable(description: "missing \(field)")
        }
        return value
    }

    func bytes(_ field: KeyPath<Self, String?>) throws -> [UInt8] {
        guard let text = self[keyPath: field] else {
            throw MerkleConformanceTests.Unreadable(description: "missing \(field)")
        }
        return try Self.base64(text)
    }

    /// The proof's hashes; a `null` proof has none.
    func hashes() throws -> [[UInt8]] {
        try (proof ?? []).map(Self.base64)
    }

    private static func base64(_ text: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text) else {
            throw MerkleConformanceTests.Unreadable(description: "not base64: \(text)")
        }
        return [UInt8](data)
    }
}
