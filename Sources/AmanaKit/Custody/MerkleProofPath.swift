/// The route from a tree's root down to one of its subtrees, which fixes what a proof for that subtree carries.
///
/// This is the recursion of RFC 9162's `SUBPROOF` (section 2.1.4.1) and the draft's `SUBTREE_PROOF`, with the hashes
/// left out: at each node over `n` leaves, split at `k` (the largest power of two below `n`) and go to the side that
/// holds the subtree. The sibling on the other side is one proof hash. When the subtree straddles the split (only
/// possible when it starts at the node's first leaf), go right and keep the left sibling, which then lies inside the
/// subtree. The walk stops at the node that is exactly the rest of the subtree.
///
/// A proof lists its hashes from the bottom up: the seed first (if any), then one sibling per step, deepest first.
/// An inclusion proof for leaf `i` is the path to `[i, i + 1)`; a consistency proof from size `m` is the path to
/// `[0, m)`. Both generation and verification use this one walk.
struct MerkleProofPath {
    enum Role: Equatable {
        /// The sibling is the right child, outside the subtree.
        case rightOutside
        /// The sibling is the left child, outside the subtree.
        case leftOutside
        /// The sibling is the left child and part of the subtree: the subtree straddled this node's split.
        case leftInside
    }

    struct Step {
        let role: Role
        /// The leaves under the sibling node whose hash the proof carries.
        let sibling: Range<UInt64>
    }

    /// The steps from the root down, at most 64 (one per level of a tree of up to 2^64 - 1 leaves).
    let steps: [Step]

    /// The node where the walk stopped, when its hash is not one the verifier already holds. It is `nil` when the
    /// walk ends at the subtree itself (always, for a subtree that is a perfect binary tree or that ends at the
    /// tree's last leaf); otherwise the subtree straddled a split, the walk ended at its rightmost part, and the
    /// proof carries that node's hash first, as the seed from which both roots are rebuilt.
    let seed: Range<UInt64>?

    /// The number of hashes a proof along this path has.
    var proofCount: Int { steps.count + (seed == nil ? 0 : 1) }

    /// The path to `[start, end)` in a tree of `size` leaves. The caller has checked
    /// `MerkleTree.isValidSubtree(start:end:)` and `end <= size`.
    init(start: UInt64, end: UInt64, size: UInt64) {
        precondition(MerkleTree.isValidSubtree(start: start, end: end) && end <= size, "not a subtree of this tree")
        // The current node covers [low, high); the subtree covers [start, end) with low <= start < end <= high.
        var low: UInt64 = 0
        var high = size
        var start = start
        var straddled = false
        var steps: [Step] = []
        steps.reserveCapacity(UInt64.bitWidth)
        while !(start == low && end == high) {
            let split = low + MerkleTree.splitPoint(high - low)
            if end <= split {
                steps.append(Step(role: .rightOutside, sibling: split..<high))
                high = split
            } else if start >= split {
                steps.append(Step(role: .leftOutside, sibling: low..<split))
                low = split
            } else {
                // For a valid subtree this means start == low; the rest of the subtree is on the right.
                steps.append(Step(role: .leftInside, sibling: low..<split))
                low = split
                start = split
                straddled = true
            }
        }
        self.steps = steps
        self.seed = straddled ? low..<high : nil
    }
}
