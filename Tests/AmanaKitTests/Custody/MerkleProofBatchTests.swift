@testable import AmanaKit
import Foundation
import XCTest

/// The batch of inclusion proofs a store export makes gives, for every leaf, exactly the proof of RFC 9162's
/// definition, across the cached node width, and each verifies.
final class MerkleProofBatchTests: XCTestCase {
    func testBatchProofsEqualSingleProofs() {
        for size in [1, 2, 3, 7, 15, 16, 17, 63, 64, 65, 127, 128, 129, 200, 513] {
            let leaves = (0..<size).map { MerkleTree.leafHash(Array("leaf \($0)".utf8)) }
            let root = MerkleTree.root(leafHashes: leaves)
            var batch = MerkleProofBatch(leafHashes: leaves)
            for index in Set([0, 1, size / 2, size - 2, size - 1].filter { $0 >= 0 && $0 < size }).sorted() {
                let proof = batch.inclusionProof(index: index)
                XCTAssertEqual(proof, MerkleTree.inclusionProof(index: index, leafHashes: leaves), "size \(size), leaf \(index)")
                XCTAssertTrue(MerkleTree.verifyInclusion(leafHash: leaves[index], index: index, treeSize: size, proof: proof, root: root))
            }
        }
    }

    /// 20,000 proofs in a tree of 20,000 leaves: one by one this is 4 * 10^8 hashes; the batch shares the nodes.
    func testManyProofsCostLinearTime() {
        let leaves = (0..<20_000).map { MerkleTree.leafHash(Array("leaf \($0)".utf8)) }
        var batch = MerkleProofBatch(leafHashes: leaves)
        let started = Date()
        for index in leaves.indices { _ = batch.inclusionProof(index: index) }
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "20,000 proofs should take seconds, not minutes")
    }
}
