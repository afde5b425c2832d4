extension MerkleTree {
    /// The RFC 9162 inclusion proof (`PATH(m, D[n])`, section 2.1.3.1) for the leaf at `index` in the tree over all
    /// of `leafHashes`: the sibling hashes from the leaf up to the root, deepest first.
    ///
    /// Requires `0 <= index < leafHashes.count`. O(n) time.
    package static func inclusionProof(index: Int, leafHashes: [[UInt8]]) -> [[UInt8]] {
        precondition(leafHashes.indices.contains(index), "leaf index \(index) outside a tree of \(leafHashes.count)")
        return proof(start: index, end: index + 1, leafHashes: leafHashes[...])
    }

    /// The RFC 9162 consistency proof (`PROOF(m, D[n])`, section 2.1.4.1) that the tree over the first `oldSize`
    /// leaves is a prefix of the tree over all of `leafHashes`. Empty when `oldSize == leafHashes.count`.
    ///
    /// Requires `0 < oldSize <= leafHashes.count`: every tree extends the empty one, so there is nothing to prove
    /// from size 0, and RFC 9162 defines no proof for it. O(n) time.
    package static func consistencyProof(oldSize: Int, leafHashes: [[UInt8]]) -> [[UInt8]] {
        precondition(oldSize > 0 && oldSize <= leafHashes.count,
                     "consistency proof from \(oldSize) to \(leafHashes.count) leaves")
        return proof(start: 0, end: oldSize, leafHashes: leafHashes[...])
    }

    /// The subtree inclusion proof for the leaf at `index` in the subtree `[start, end)` of `leafHashes`: an inclusion
    /// proof of leaf `index - start` in the tree over `leafHashes[start..<end]`, which leads to the subtree's hash.
    ///
    /// Requires `isValidSubtree(start:end:)`, `start <= index < end` and `end <= leafHashes.count`.
    package static func subtreeInclusionProof(index: Int, start: Int, end: Int, leafHashes: [[UInt8]]) -> [[UInt8]] {
        precondition(isValidSubtree(start, end, within: leafHashes.count), "[\(start), \(end)) is not a subtree")
        precondition(start <= index && index < end, "leaf index \(index) outside [\(start), \(end))")
        return proof(start: index - start, end: index - start + 1, leafHashes: leafHashes[start..<end])
    }

    /// The subtree consistency proof (the draft's `SUBTREE_PROOF(start, end, D_n)`) that the subtree `[start, end)`
    /// has the hash `root(leafHashes: leafHashes[start..<end])` and sits at those positions in the tree over all of
    /// `leafHashes`. With `start == 0` it is the RFC 9162 consistency proof from size `end`.
    ///
    /// Requires `isValidSubtree(start:end:)` and `end <= leafHashes.count`. O(n) time.
    package static func subtreeConsistencyProof(start: Int, end: Int, leafHashes: [[UInt8]]) -> [[UInt8]] {
        precondition(isValidSubtree(start, end, within: leafHashes.count), "[\(start), \(end)) is not a subtree")
        return proof(start: start, end: end, leafHashes: leafHashes[...])
    }

    /// The hashes of the nodes along the path to `[start, end)`, bottom up; positions are relative to `leafHashes`.
    /// The siblings cover disjoint runs of leaves, so computing their roots costs O(n) in all.
    private static func proof(start: Int, end: Int, leafHashes: ArraySlice<[UInt8]>) -> [[UInt8]] {
        let base = leafHashes.startIndex
        func nodeRoot(_ leaves: Range<UInt64>) -> [UInt8] {
            root(leafHashes: leafHashes[(base + Int(leaves.lowerBound))..<(base + Int(leaves.upperBound))])
        }
        let path = MerkleProofPath(start: UInt64(start), end: UInt64(end), size: UInt64(leafHashes.count))
        var proof: [[UInt8]] = []
        proof.reserveCapacity(path.proofCount)
        if let seed = path.seed { proof.append(nodeRoot(seed)) }
        for step in path.steps.reversed() { proof.append(nodeRoot(step.sibling)) }
        return proof
    }

    private static func isValidSubtree(_ start: Int, _ end: Int, within size: Int) -> Bool {
        guard start >= 0, start <= end, end <= size else { return false }
        return isValidSubtree(start: UInt64(start), end: UInt64(end))
    }
}
