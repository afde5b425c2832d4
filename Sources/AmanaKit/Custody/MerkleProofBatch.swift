/// Inclusion proofs for many leaves of one tree at once, for a bundle sealed from an evidence store: one proof per
/// carried acquisition, all against the same checkpoint.
///
/// ``MerkleTree/inclusionProof(index:leafHashes:)`` costs O(n) per proof, so a case of 100,000 acquisitions in a
/// ledger of as many events would cost 10^10 hashes. The siblings of every proof are nodes of the one recursive
/// decomposition of the tree, so the hashes of the larger ones are kept and shared: all proofs together cost O(n) plus
/// O(log n) per proof. Nodes of fewer than ``cachedWidth`` leaves are computed again when needed (at most that many
/// hashes each), so the cache holds at most 2n / ``cachedWidth`` hashes.
package struct MerkleProofBatch {
    static let cachedWidth: UInt64 = 16

    private let leafHashes: [[UInt8]]
    private var cache = [NodeKey: [UInt8]]()

    private struct NodeKey: Hashable {
        let start: UInt64
        let end: UInt64
    }

    package init(leafHashes: [[UInt8]]) {
        self.leafHashes = leafHashes
    }

    /// The RFC 9162 inclusion proof of the leaf at `index`, as ``MerkleTree/inclusionProof(index:leafHashes:)``
    /// gives it. Requires `0 <= index < leafHashes.count`.
    package mutating func inclusionProof(index: Int) -> [[UInt8]] {
        precondition(leafHashes.indices.contains(index), "leaf index \(index) outside a tree of \(leafHashes.count)")
        let path = MerkleProofPath(start: UInt64(index), end: UInt64(index) + 1, size: UInt64(leafHashes.count))
        var proof = [[UInt8]]()
        proof.reserveCapacity(path.proofCount)
        if let seed = path.seed { proof.append(node(seed)) }
        for step in path.steps.reversed() { proof.append(node(step.sibling)) }
        return proof
    }

    /// MTH of the leaves in `range`, by RFC 9162's recursion, remembering the larger nodes.
    private mutating func node(_ range: Range<UInt64>) -> [UInt8] {
        let width = range.upperBound - range.lowerBound
        if width == 1 { return leafHashes[Int(range.lowerBound)] }
        if width < MerkleProofBatch.cachedWidth {
            return MerkleTree.root(leafHashes: leafHashes[Int(range.lowerBound)..<Int(range.upperBound)])
        }
        let key = NodeKey(start: range.lowerBound, end: range.upperBound)
        if let known = cache[key] { return known }
        let split = range.lowerBound + MerkleTree.splitPoint(width)
        let hash = MerkleTree.nodeHash(node(range.lowerBound..<split), node(split..<range.upperBound))
        cache[key] = hash
        return hash
    }
}
