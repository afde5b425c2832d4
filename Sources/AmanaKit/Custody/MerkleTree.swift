import Crypto

/// The Merkle tree of a custody log: RFC 9162 section 2.1 over SHA-256.
///
/// A leaf is `SHA-256(0x00 || entry)`, an interior node is `SHA-256(0x01 || left || right)`, and the tree over `n`
/// leaves splits at the largest power of two below `n`, so the shape depends on `n` alone and a log only ever grows on
/// its right edge. The two prefixes keep a leaf from being passed off as a node (a second-preimage attack).
///
/// Guarantees:
/// - `root` is the RFC 9162 Merkle Tree Hash (MTH), so a root computed here matches any conforming log's.
/// - Proofs are RFC 9162 inclusion and consistency proofs, and the subtree proofs of the Merkle Tree Certificates
///   draft (draft-ietf-plants-merkle-tree-certs, "Subtrees"), hash for hash: other tools verify what Amana writes.
/// - Every `verify...` function returns `false`, and never traps, on any input it cannot vouch for: negative or
///   oversized sizes, out-of-range indexes, proofs of the wrong length, hashes that are not 32 bytes.
/// - Generation functions trap (`precondition`) on arguments that are programmer errors, such as an index past the
///   end of the leaves.
///
/// Generation and verification walk the same path from the root down to the proven leaf or subtree
/// (`MerkleProofPath`), so they cannot disagree about which hash a proof carries at which position.
package enum MerkleTree {
    /// Every hash in a tree, a proof or a checkpoint is a SHA-256 digest of this many bytes.
    package static let hashSize = 32

    /// Domain-separation prefix of a leaf hash (RFC 9162 section 2.1.1).
    static let leafPrefix: UInt8 = 0x00
    /// Domain-separation prefix of an interior node hash (RFC 9162 section 2.1.1).
    static let nodePrefix: UInt8 = 0x01

    /// MTH({}): the root of the empty tree, the SHA-256 of no bytes.
    package static let emptyRoot: [UInt8] = Array(SHA256.hash(data: [UInt8]()))

    /// The hash of one log entry as a leaf: `SHA-256(0x00 || data)`.
    package static func leafHash(_ data: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [leafPrefix])
        hasher.update(data: data)
        return Array(hasher.finalize())
    }

    /// The hash of an interior node: `SHA-256(0x01 || left || right)`.
    static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [nodePrefix])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The Merkle Tree Hash of the leaves, given as leaf hashes (see `leafHash(_:)`); `emptyRoot` for none.
    package static func root(leafHashes: [[UInt8]]) -> [UInt8] {
        root(leafHashes: leafHashes[...])
    }

    /// The Merkle Tree Hash of a run of leaf hashes, such as the first `n` of a log (`leafHashes[..<n]`).
    ///
    /// Runs in O(n) time and O(log n) memory. The leaves are folded left to right into a stack of perfect subtrees,
    /// two of equal size merging as soon as they meet, exactly the way a log grows; what remains are the perfect
    /// subtrees of the binary decomposition of `n`, largest first, and RFC 9162's split at the largest power of two
    /// makes the root their right-to-left fold.
    package static func root(leafHashes: ArraySlice<[UInt8]>) -> [UInt8] {
        prefixRoots(leafHashes: leafHashes, lengths: [leafHashes.count])[leafHashes.count] ?? emptyRoot
    }

    /// The Merkle Tree Hash of every prefix in `lengths`, from one pass over `leafHashes`.
    ///
    /// Seals commit to prefixes of one log. Computing each prefix's root from scratch costs O(n) per seal, so a
    /// hostile bundle of 9,999 seals that each claim a 1,000,000-event prefix would cost 10^10 hashes. The fold of
    /// ``root(leafHashes:)`` already holds, after leaf `i`, the perfect subtrees of the first `i` leaves: folding that
    /// stack from the right gives the root of that prefix in O(log n). So all prefixes cost O(n + s log n). Lengths of
    /// zero, or past the end of the leaves, get no entry.
    package static func prefixRoots<Leaves: Sequence>(leafHashes: Leaves, lengths: Set<Int>) -> [Int: [UInt8]]
    where Leaves.Element == [UInt8] {
        var roots = [Int: [UInt8]]()
        // Walked in order rather than looked up per leaf: a million set lookups were a fifth of a hostile verify.
        let wanted = lengths.filter { $0 > 0 }.sorted()
        guard let last = wanted.last else { return roots }
        var next = 0
        var stack: [(hash: [UInt8], size: Int)] = []
        stack.reserveCapacity(Int.bitWidth)
        var count = 0
        for leaf in leafHashes {
            var node = (hash: leaf, size: 1)
            while let top = stack.last, top.size == node.size {
                stack.removeLast()
                node = (nodeHash(top.hash, node.hash), top.size * 2)
            }
            stack.append(node)
            count += 1
            if count == wanted[next] {
                var result = stack[stack.count - 1].hash
                for index in stride(from: stack.count - 2, through: 0, by: -1) {
                    result = nodeHash(stack[index].hash, result)
                }
                roots[count] = result
                next += 1
            }
            if count == last { break }
        }
        return roots
    }

    /// Whether `[start, end)` is a subtree in the draft's sense: non-empty, and `start` a multiple of the smallest
    /// power of two that is at least `end - start`. Exactly these ranges have a hash that a tree of any size at least
    /// `end` can prove (a node of the tree, or one that the tree's later growth has built upon).
    package static func isValidSubtree(start: UInt64, end: UInt64) -> Bool {
        guard start < end else { return false }
        if start == 0 { return true }
        let width = end - start
        // A width above 2^63 rounds up to 2^64, which no non-zero UInt64 start is a multiple of.
        guard width <= 1 << 63 else { return false }
        return start & (bitCeil(width) - 1) == 0
    }

    /// The smallest power of two that is at least `n`, for `1 <= n <= 2^63`.
    static func bitCeil(_ n: UInt64) -> UInt64 {
        n <= 1 ? 1 : 1 << (UInt64.bitWidth - (n - 1).leadingZeroBitCount)
    }

    /// RFC 9162's split point `k`: the largest power of two strictly below `n`, for `n >= 2`.
    static func splitPoint(_ n: UInt64) -> UInt64 {
        1 << (UInt64.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }

    static func isHash(_ bytes: [UInt8]) -> Bool {
        bytes.count == hashSize
    }
}
