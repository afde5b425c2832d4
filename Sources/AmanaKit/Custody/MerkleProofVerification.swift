/// Verification. Every hash argument (leaf, roots, each proof element) must be exactly `hashSize` bytes, even where
/// the check only compares two of them (equal sizes, an empty subtree): a value of another length is not the root of
/// any SHA-256 tree, so a claim about it is false. transparency-dev/merkle, which is hash-agnostic, skips that check
/// on those two short paths, and four of its test cases depend on it (see `MerkleConformanceTests`).
extension MerkleTree {
    // MARK: Inclusion

    /// Whether `proof` shows that the leaf `leafHash` is at `index` in the tree of `treeSize` leaves whose root is
    /// `root` (RFC 9162 section 2.1.3.2). False, never a trap, for any argument out of range.
    package static func verifyInclusion(leafHash: [UInt8], index: Int, treeSize: Int, proof: [[UInt8]],
                                       root: [UInt8]) -> Bool {
        guard let index = UInt64(exactly: index), let treeSize = UInt64(exactly: treeSize) else { return false }
        return verifyInclusion(leafHash: leafHash, index: index, treeSize: treeSize, proof: proof, root: root)
    }

    /// `verifyInclusion` for sizes as a checkpoint carries them: unsigned, up to 2^64 - 1.
    package static func verifyInclusion(leafHash: [UInt8], index: UInt64, treeSize: UInt64, proof: [[UInt8]],
                                       root: [UInt8]) -> Bool {
        guard index < treeSize, isHash(leafHash), isHash(root), proof.allSatisfy(isHash) else { return false }
        let path = MerkleProofPath(start: index, end: index + 1, size: treeSize)
        return rebuild(path, subtreeRoot: leafHash, root: root, proof: proof)
    }

    /// Whether `proof` shows that the leaf `leafHash` is at `index` in the subtree `[start, end)` whose hash is
    /// `root`. The proof is an ordinary inclusion proof of leaf `index - start` in a tree of `end - start` leaves.
    package static func verifySubtreeInclusion(leafHash: [UInt8], index: Int, start: Int, end: Int,
                                              proof: [[UInt8]], root: [UInt8]) -> Bool {
        guard let index = UInt64(exactly: index), let start = UInt64(exactly: start), let end = UInt64(exactly: end)
        else { return false }
        return verifySubtreeInclusion(leafHash: leafHash, index: index, start: start, end: end, proof: proof,
                                      root: root)
    }

    /// `verifySubtreeInclusion` for unsigned positions up to 2^64 - 1.
    package static func verifySubtreeInclusion(leafHash: [UInt8], index: UInt64, start: UInt64, end: UInt64,
                                              proof: [[UInt8]], root: [UInt8]) -> Bool {
        guard isValidSubtree(start: start, end: end), start <= index, index < end else { return false }
        return verifyInclusion(leafHash: leafHash, index: index - start, treeSize: end - start, proof: proof,
                               root: root)
    }

    // MARK: Consistency

    /// Whether `proof` shows that the tree of `oldSize` leaves with root `oldRoot` is a prefix of the tree of
    /// `newSize` leaves with root `newRoot` (RFC 9162 section 2.1.4.2): same leaves, same order, only appended to.
    ///
    /// Requires `0 < oldSize <= newSize`; when the sizes are equal the proof must be empty and the roots equal.
    /// From size 0 it is false: RFC 9162 defines no proof from the empty tree, which every tree extends.
    package static func verifyConsistency(oldSize: Int, newSize: Int, oldRoot: [UInt8], newRoot: [UInt8],
                                         proof: [[UInt8]]) -> Bool {
        guard let oldSize = UInt64(exactly: oldSize), let newSize = UInt64(exactly: newSize) else { return false }
        return verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof)
    }

    /// `verifyConsistency` for sizes as a checkpoint carries them: unsigned, up to 2^64 - 1.
    package static func verifyConsistency(oldSize: UInt64, newSize: UInt64, oldRoot: [UInt8], newRoot: [UInt8],
                                         proof: [[UInt8]]) -> Bool {
        guard oldSize > 0, oldSize <= newSize else { return false }
        return verifySubtreeConsistency(start: 0, end: oldSize, size: newSize, subtreeRoot: oldRoot, root: newRoot,
                                        proof: proof)
    }

    /// Whether `proof` shows that the subtree `[start, end)` has the hash `subtreeRoot` and sits at those positions in
    /// the tree of `size` leaves whose root is `root` (the draft's "Verifying a Subtree Consistency Proof").
    /// With `start == 0` this is RFC 9162 consistency from size `end` to size `size`.
    ///
    /// An empty range (`start == end <= size`) has the hash of the empty tree and lies in every tree: the proof must
    /// be empty and `subtreeRoot` must be `emptyRoot`, and `root` is only checked to be 32 bytes.
    package static func verifySubtreeConsistency(start: Int, end: Int, size: Int, subtreeRoot: [UInt8],
                                                root: [UInt8], proof: [[UInt8]]) -> Bool {
        guard let start = UInt64(exactly: start), let end = UInt64(exactly: end), let size = UInt64(exactly: size)
        else { return false }
        return verifySubtreeConsistency(start: start, end: end, size: size, subtreeRoot: subtreeRoot, root: root,
                                        proof: proof)
    }

    /// `verifySubtreeConsistency` for unsigned positions up to 2^64 - 1.
    package static func verifySubtreeConsistency(start: UInt64, end: UInt64, size: UInt64, subtreeRoot: [UInt8],
                                                root: [UInt8], proof: [[UInt8]]) -> Bool {
        // Roots are not length-checked here, as in transparency-dev/merkle: in the equal-size and empty-subtree
        // shortcuts only equality matters, and on every other path a root of the wrong length can never equal a
        // rebuilt 32-byte hash. Amana's own checkpoints are length-checked when a seal statement is parsed.
        guard end <= size, proof.allSatisfy(isHash) else { return false }
        if start == end { return proof.isEmpty && subtreeRoot == emptyRoot }
        guard isValidSubtree(start: start, end: end) else { return false }
        let path = MerkleProofPath(start: start, end: end, size: size)
        return rebuild(path, subtreeRoot: subtreeRoot, root: root, proof: proof)
    }

    // MARK: The one check behind all four

    /// Climbs `path` from the bottom with the proof's hashes, keeping two hashes: `inner`, the subtree's own hash,
    /// which only a sibling inside the subtree changes, and `outer`, the hash of the node the climb has reached in
    /// the whole tree. The proof holds when it has exactly the path's length, `inner` is `subtreeRoot` and `outer`
    /// is `root`. When the subtree is a node on the path, `inner` starts as and stays `subtreeRoot`; otherwise both
    /// start from the proof's seed, and `inner` ties that seed (and every sibling inside the subtree) to the hash
    /// the verifier holds, so the proof cannot rebuild the new root from leaves other than the subtree's.
    private static func rebuild(_ path: MerkleProofPath, subtreeRoot: [UInt8], root: [UInt8],
                                proof: [[UInt8]]) -> Bool {
        guard proof.count == path.proofCount else { return false }
        var remaining = proof[...]
        let seed = path.seed == nil ? subtreeRoot : remaining.removeFirst()
        var inner = seed
        var outer = seed
        for step in path.steps.reversed() {
            let sibling = remaining.removeFirst()
            switch step.role {
            case .rightOutside:
                outer = nodeHash(outer, sibling)
            case .leftOutside:
                outer = nodeHash(sibling, outer)
            case .leftInside:
                inner = nodeHash(sibling, inner)
                outer = nodeHash(sibling, outer)
            }
        }
        return inner == subtreeRoot && outer == root
    }
}
