import XCTest

@testable import AmanaKit

/// `MerkleTree` against RFC 9162 written out as literally as possible (`Reference`), against the RFC 6962 test
/// vectors, and against malformed input.
final class MerkleTreeTests: XCTestCase {
    /// The RFC's recursive definitions, transcribed without cleverness: MTH (2.1.1), PATH (2.1.3.1), SUBPROOF
    /// (2.1.4.1) and the draft's SUBTREE_PROOF. Hashing goes through `MultiDigest`, not the code under test.
    private enum Reference {
        static func sha256(_ bytes: [UInt8]) -> [UInt8] { MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.bytes }
        static func leaf(_ data: [UInt8]) -> [UInt8] { sha256([0x00] + data) }
        static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] { sha256([0x01] + left + right) }

        /// The largest power of two smaller than n, for n > 1.
        static func k(_ n: Int) -> Int {
            var k = 1
            while k * 2 < n { k *= 2 }
            return k
        }

        /// MTH over leaf hashes.
        static func mth(_ d: [[UInt8]]) -> [UInt8] {
            switch d.count {
            case 0: return sha256([])
            case 1: return d[0]
            default:
                let k = k(d.count)
                return node(mth(Array(d[..<k])), mth(Array(d[k...])))
            }
        }

        static func path(_ m: Int, _ d: [[UInt8]]) -> [[UInt8]] {
            if d.count == 1 { return [] }
            let k = k(d.count)
            if m < k { return path(m, Array(d[..<k])) + [mth(Array(d[k...]))] }
            return path(m - k, Array(d[k...])) + [mth(Array(d[..<k]))]
        }

        static func subproof(_ m: Int, _ d: [[UInt8]], _ b: Bool) -> [[UInt8]] {
            if m == d.count { return b ? [] : [mth(d)] }
            let k = k(d.count)
            if m <= k { return subproof(m, Array(d[..<k]), b) + [mth(Array(d[k...]))] }
            return subproof(m - k, Array(d[k...]), false) + [mth(Array(d[..<k]))]
        }

        static func subtreeProof(_ start: Int, _ end: Int, _ d: [[UInt8]], _ known: Bool = true) -> [[UInt8]] {
            if start == 0 && end == d.count { return known ? [] : [mth(d)] }
            let k = k(d.count)
            if end <= k { return subtreeProof(start, end, Array(d[..<k]), known) + [mth(Array(d[k...]))] }
            if start >= k { return subtreeProof(start - k, end - k, Array(d[k...]), known) + [mth(Array(d[..<k]))] }
            return subtreeProof(0, end - k, Array(d[k...]), false) + [mth(Array(d[..<k]))]
        }

        /// Valid subtree: start < end, and start a multiple of the smallest power of two >= end - start.
        static func isSubtree(_ start: Int, _ end: Int) -> Bool {
            guard start < end else { return false }
            var width = 1
            while width < end - start { width *= 2 }
            return start % width == 0
        }
    }

    private static let leaves: [[UInt8]] = (0..<70).map { MerkleTree.leafHash(Array("custody event \($0)".utf8)) }

    private func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    // MARK: Hashing and roots

    func testHashesFollowRFC9162() {
        XCTAssertEqual(hex(MerkleTree.emptyRoot), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(MerkleTree.root(leafHashes: []), MerkleTree.emptyRoot)
        XCTAssertEqual(hex(MerkleTree.leafHash([])), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
        XCTAssertEqual(MerkleTree.leafHash([1, 2, 3]), Reference.leaf([1, 2, 3]))
        let (a, b) = (Self.leaves[0], Self.leaves[1])
        XCTAssertEqual(MerkleTree.nodeHash(a, b), Reference.node(a, b))
        XCTAssertNotEqual(MerkleTree.nodeHash(a, b), MerkleTree.nodeHash(b, a))
        // The prefixes keep a leaf and a node over the same bytes apart.
        XCTAssertNotEqual(MerkleTree.leafHash(a + b), MerkleTree.nodeHash(a, b))
    }

    /// The RFC 6962 reference vectors, as used by Certificate Transparency clients and transparency-dev/merkle.
    func testRootsOfTheRFC6962Vectors() {
        let data: [[UInt8]] = [[], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
                               Array(0x50...0x57), Array(0x60...0x6f)]
        let roots = [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ]
        let leafHashes = data.map(MerkleTree.leafHash)
        for size in 1...8 {
            let root = MerkleTree.root(leafHashes: Array(leafHashes[..<size]))
            XCTAssertEqual(hex(root), roots[size - 1], "size \(size)")
            XCTAssertEqual(hex(MerkleTree.root(leafHashes: leafHashes[..<size])), roots[size - 1], "prefix \(size)")
        }
    }

    func testRootMatchesTheRecursiveDefinition() {
        for size in 0...Self.leaves.count {
            let expected = Reference.mth(Array(Self.leaves[..<size]))
            XCTAssertEqual(MerkleTree.root(leafHashes: Array(Self.leaves[..<size])), expected, "size \(size)")
            XCTAssertEqual(MerkleTree.root(leafHashes: Self.leaves[..<size]), expected, "prefix \(size)")
        }
        // A slice that does not start at index 0.
        XCTAssertEqual(MerkleTree.root(leafHashes: Self.leaves[5..<12]), Reference.mth(Array(Self.leaves[5..<12])))
    }

    // MARK: Round trips

    func testInclusionProofsForEveryLeafUpToSize33() {
        for size in 1...33 {
            let leaves = Array(Self.leaves[..<size])
            let root = Reference.mth(leaves)
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index: index, leafHashes: leaves)
                let label = "index \(index) of \(size)"
                XCTAssertEqual(proof, Reference.path(index, leaves), label)
                XCTAssertTrue(MerkleTree.verifyInclusion(leafHash: leaves[index], index: index, treeSize: size,
                                                         proof: proof, root: root), label)
                // A proof for this tree does not hold for the next one. (It may hold for `size + 1` with *this*
                // root: a proof does not bind the size by itself; the signed checkpoint pairs size and root.)
                let nextRoot = Reference.mth(Array(Self.leaves[...size]))
                XCTAssertFalse(MerkleTree.verifyInclusion(leafHash: leaves[index], index: index, treeSize: size + 1,
                                                          proof: proof, root: nextRoot), label)
                if size > 1 {
                    let other = (index + 1) % size
                    XCTAssertFalse(MerkleTree.verifyInclusion(leafHash: leaves[index], index: other, treeSize: size,
                                                              proof: proof, root: root), label)
                    XCTAssertFalse(MerkleTree.verifyInclusion(leafHash: leaves[other], index: index, treeSize: size,
                                                              proof: proof, root: root), label)
                }
            }
        }
    }

    func testConsistencyProofsForEverySizePairUpTo33() {
        for newSize in 1...33 {
            let leaves = Array(Self.leaves[..<newSize])
            let newRoot = Reference.mth(leaves)
            for oldSize in 1...newSize {
                let oldRoot = Reference.mth(Array(leaves[..<oldSize]))
                let proof = MerkleTree.consistencyProof(oldSize: oldSize, leafHashes: leaves)
                let label = "\(oldSize) -> \(newSize)"
                XCTAssertEqual(proof, Reference.subproof(oldSize, leaves, true), label)
                XCTAssertTrue(MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot,
                                                           newRoot: newRoot, proof: proof), label)
                XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize + 1, oldRoot: oldRoot,
                                                            newRoot: Reference.mth(Array(Self.leaves[...newSize])),
                                                            proof: proof), label)
                if oldSize < newSize {
                    XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: newRoot,
                                                                newRoot: oldRoot, proof: proof), label)
                    XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: oldSize + 1, newSize: newSize,
                                                                oldRoot: oldRoot, newRoot: newRoot, proof: proof),
                                   label)
                }
            }
        }
    }

    /// Every subtree of every tree up to size 33: consistency into the tree, and inclusion of each of its leaves.
    func testSubtreeProofsForEverySubtreeUpToSize33() {
        var subtrees = 0
        for size in 1...33 {
            let leaves = Array(Self.leaves[..<size])
            let root = Reference.mth(leaves)
            for start in 0..<size {
                for end in (start + 1)...size {
                    let valid = Reference.isSubtree(start, end)
                    XCTAssertEqual(MerkleTree.isValidSubtree(start: UInt64(start), end: UInt64(end)), valid)
                    let label = "[\(start), \(end)) of \(size)"
                    guard valid else {
                        // No proof can show a range that is not a subtree; this one is the proof for [0, end).
                        let rangeRoot = MerkleTree.root(leafHashes: leaves[start..<end])
                        XCTAssertFalse(MerkleTree.verifySubtreeConsistency(
                            start: start, end: end, size: size, subtreeRoot: rangeRoot, root: root,
                            proof: MerkleTree.consistencyProof(oldSize: end, leafHashes: leaves)), label)
                        continue
                    }
                    let subtreeRoot = Reference.mth(Array(leaves[start..<end]))
                    subtrees += 1
                    let proof = MerkleTree.subtreeConsistencyProof(start: start, end: end, leafHashes: leaves)
                    XCTAssertEqual(proof, Reference.subtreeProof(start, end, leaves), label)
                    XCTAssertTrue(MerkleTree.verifySubtreeConsistency(start: start, end: end, size: size,
                                                                      subtreeRoot: subtreeRoot, root: root,
                                                                      proof: proof), label)
                    if subtreeRoot != root {
                        XCTAssertFalse(MerkleTree.verifySubtreeConsistency(start: start, end: end, size: size,
                                                                           subtreeRoot: root, root: subtreeRoot,
                                                                           proof: proof), label)
                    }
                    for index in start..<end {
                        let inclusion = MerkleTree.subtreeInclusionProof(index: index, start: start, end: end,
                                                                         leafHashes: leaves)
                        // An inclusion proof within the subtree's own tree (checked against PATH above).
                        XCTAssertEqual(inclusion, MerkleTree.inclusionProof(index: index - start,
                                                                            leafHashes: Array(leaves[start..<end])))
                        XCTAssertTrue(MerkleTree.verifySubtreeInclusion(leafHash: leaves[index], index: index,
                                                                        start: start, end: end, proof: inclusion,
                                                                        root: subtreeRoot), "\(index) in \(label)")
                    }
                }
            }
        }
        XCTAssertEqual(subtrees, 1714, "the walk covered every valid subtree of trees of 1 to 33 leaves")
    }

    // MARK: Tampering

    /// Each single-bit change to a proof hash, the leaf or a root must be caught.
    func testEverySingleBitFlipIsRejected() {
        let leaves = Array(Self.leaves[..<33])
        func root(_ range: Range<Int>) -> [UInt8] { MerkleTree.root(leafHashes: leaves[range]) }

        for (index, size) in [(5, 13), (0, 33), (32, 33), (6, 7)] {
            let tree = Array(leaves[..<size])
            let proof = MerkleTree.inclusionProof(index: index, leafHashes: tree)
            assertFlipsRejected(proof, leaf: leaves[index], root: root(0..<size), "inclusion \(index) of \(size)") {
                MerkleTree.verifyInclusion(leafHash: $1, index: index, treeSize: size, proof: $0, root: $2)
            }
        }
        for (oldSize, newSize) in [(3, 7), (4, 8), (6, 33), (1, 2)] {
            let proof = MerkleTree.consistencyProof(oldSize: oldSize, leafHashes: Array(leaves[..<newSize]))
            assertFlipsRejected(proof, leaf: root(0..<oldSize), root: root(0..<newSize), "\(oldSize) -> \(newSize)") {
                MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: $1, newRoot: $2, proof: $0)
            }
        }
        for (start, end, size) in [(8, 11, 21), (16, 32, 33), (0, 5, 6)] {
            let proof = MerkleTree.subtreeConsistencyProof(start: start, end: end, leafHashes: Array(leaves[..<size]))
            assertFlipsRejected(proof, leaf: root(start..<end), root: root(0..<size), "[\(start), \(end)) of \(size)") {
                MerkleTree.verifySubtreeConsistency(start: start, end: end, size: size, subtreeRoot: $1, root: $2,
                                                    proof: $0)
            }
        }
    }

    /// Runs `verify(proof, leaf, root)` on the good values (must hold), then with one bit flipped in each place,
    /// and with a proof hash dropped, duplicated or (where they differ) two of them swapped.
    private func assertFlipsRejected(_ proof: [[UInt8]], leaf: [UInt8], root: [UInt8], _ label: String,
                                     verify: ([[UInt8]], [UInt8], [UInt8]) -> Bool) {
        XCTAssertTrue(verify(proof, leaf, root), label)
        func flipped(_ hash: [UInt8], _ bit: Int) -> [UInt8] {
            var copy = hash
            copy[bit / 8] ^= 1 << (bit % 8)
            return copy
        }
        for bit in 0..<(MerkleTree.hashSize * 8) {
            XCTAssertFalse(verify(proof, flipped(leaf, bit), root), "\(label): leaf bit \(bit)")
            XCTAssertFalse(verify(proof, leaf, flipped(root, bit)), "\(label): root bit \(bit)")
            for position in proof.indices {
                var bad = proof
                bad[position] = flipped(bad[position], bit)
                XCTAssertFalse(verify(bad, leaf, root), "\(label): proof[\(position)] bit \(bit)")
            }
        }
        for position in proof.indices {
            var dropped = proof
            dropped.remove(at: position)
            XCTAssertFalse(verify(dropped, leaf, root), "\(label): proof[\(position)] dropped")
            var doubled = proof
            doubled.insert(proof[position], at: position)
            XCTAssertFalse(verify(doubled, leaf, root), "\(label): proof[\(position)] doubled")
            if position > 0, proof[position] != proof[position - 1] {
                var swapped = proof
                swapped.swapAt(position, position - 1)
                XCTAssertFalse(verify(swapped, leaf, root), "\(label): proof[\(position)] swapped")
            }
        }
        XCTAssertFalse(verify(proof + [root], leaf, root), "\(label): trailing hash")
        XCTAssertFalse(verify([leaf] + proof, leaf, root), "\(label): preceding hash")
    }

    // MARK: Malformed input

    func testMalformedInputIsRejectedWithoutTrapping() {
        let leaves = Array(Self.leaves[..<11])
        let root = MerkleTree.root(leafHashes: leaves)
        let proof = MerkleTree.inclusionProof(index: 4, leafHashes: leaves)
        func inclusion(_ leaf: [UInt8] = leaves[4], index: Int = 4, size: Int = 11, proof: [[UInt8]] = proof,
                       root: [UInt8] = root) -> Bool {
            MerkleTree.verifyInclusion(leafHash: leaf, index: index, treeSize: size, proof: proof, root: root)
        }
        XCTAssertTrue(inclusion())
        for (index, size) in [(-1, 11), (4, -11), (11, 11), (12, 11), (0, 0), (Int.min, Int.max), (Int.max, Int.max),
                              (4, Int.max), (Int.max - 1, Int.max)] {
            XCTAssertFalse(inclusion(index: index, size: size), "index \(index), size \(size)")
        }
        for length in [0, 1, 31, 33, 64] {
            let bytes = [UInt8](repeating: 7, count: length)
            XCTAssertFalse(inclusion(bytes), "leaf of \(length) bytes")
            XCTAssertFalse(inclusion(root: bytes), "root of \(length) bytes")
            XCTAssertFalse(inclusion(proof: [bytes] + proof.dropFirst()), "proof hash of \(length) bytes")
        }
        XCTAssertFalse(inclusion(proof: []))
        XCTAssertFalse(inclusion(proof: Array(proof.dropLast())))
        XCTAssertFalse(inclusion(proof: Array(repeating: root, count: 70)))
        for (index, size) in [(0 as UInt64, UInt64.max), (UInt64.max - 1, UInt64.max), (UInt64.max, UInt64.max)] {
            XCTAssertFalse(MerkleTree.verifyInclusion(leafHash: leaves[0], index: index, treeSize: size, proof: proof,
                                                      root: root))
        }

        let old = MerkleTree.root(leafHashes: leaves[..<5])
        let consistency = MerkleTree.consistencyProof(oldSize: 5, leafHashes: leaves)
        XCTAssertTrue(MerkleTree.verifyConsistency(oldSize: 5, newSize: 11, oldRoot: old, newRoot: root,
                                                   proof: consistency))
        for (oldSize, newSize) in [(0, 11), (0, 0), (-5, 11), (5, -11), (11, 5), (12, 11), (5, Int.max),
                                   (Int.max, Int.max), (Int.min, 0)] {
            XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: old, newRoot: root,
                                                        proof: consistency), "\(oldSize) -> \(newSize)")
        }
        XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: 5, newSize: UInt64.max, oldRoot: old, newRoot: root,
                                                    proof: consistency))
        XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: 5, newSize: 11, oldRoot: old, newRoot: root, proof: []))
        // Equal sizes: only an empty proof and equal roots.
        XCTAssertTrue(MerkleTree.verifyConsistency(oldSize: 11, newSize: 11, oldRoot: root, newRoot: root, proof: []))
        XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: 11, newSize: 11, oldRoot: root, newRoot: root,
                                                    proof: [root]))
        XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: 11, newSize: 11, oldRoot: old, newRoot: root, proof: []))
        // As in transparency-dev/merkle (and its conformance cases), the equal-size shortcut compares roots only;
        // checkpoint roots are length-checked where they are parsed (seal statements), not here.
        let short = Array("not a hash".utf8)
        XCTAssertTrue(MerkleTree.verifyConsistency(oldSize: 11, newSize: 11, oldRoot: short, newRoot: short,
                                                   proof: []))
        XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: 11, newSize: 11, oldRoot: short, newRoot: root,
                                                    proof: []))

        for (start, end) in [(-1, 3), (3, 1), (4, 4), (3, 5), (4, 12), (Int.max, Int.max), (Int.min, Int.max)] {
            XCTAssertFalse(MerkleTree.verifySubtreeInclusion(leafHash: leaves[4], index: 4, start: start, end: end,
                                                             proof: proof, root: root), "[\(start), \(end))")
            XCTAssertFalse(MerkleTree.verifySubtreeConsistency(start: start, end: end, size: 11, subtreeRoot: old,
                                                               root: root, proof: consistency), "[\(start), \(end))")
        }
        XCTAssertFalse(MerkleTree.verifySubtreeConsistency(start: 0, end: 5, size: -11, subtreeRoot: old, root: root,
                                                           proof: consistency))
    }

    /// The empty range proves nothing and needs no proof: it has the empty tree's hash and lies in every tree.
    func testEmptySubtree() {
        let root = MerkleTree.root(leafHashes: Self.leaves[..<6])
        for start in 0...6 {
            XCTAssertTrue(MerkleTree.verifySubtreeConsistency(start: start, end: start, size: 6,
                                                              subtreeRoot: MerkleTree.emptyRoot, root: root,
                                                              proof: []), "[\(start), \(start))")
        }
        XCTAssertFalse(MerkleTree.verifySubtreeConsistency(start: 7, end: 7, size: 6, subtreeRoot: MerkleTree.emptyRoot,
                                                           root: root, proof: []))
        XCTAssertFalse(MerkleTree.verifySubtreeConsistency(start: 3, end: 3, size: 6, subtreeRoot: root, root: root,
                                                           proof: []))
        XCTAssertFalse(MerkleTree.verifySubtreeConsistency(start: 3, end: 3, size: 6, subtreeRoot: MerkleTree.emptyRoot,
                                                           root: root, proof: [root]))
        XCTAssertFalse(MerkleTree.verifySubtreeInclusion(leafHash: Self.leaves[3], index: 3, start: 3, end: 3,
                                                         proof: [], root: MerkleTree.emptyRoot))
    }

    // MARK: Sizes beyond what fits in memory

    func testSubtreeValidityAtTheEdgesOfUInt64() {
        let top: UInt64 = 1 << 63
        XCTAssertTrue(MerkleTree.isValidSubtree(start: 0, end: .max))
        XCTAssertFalse(MerkleTree.isValidSubtree(start: 1, end: .max))
        XCTAssertTrue(MerkleTree.isValidSubtree(start: top, end: .max))
        XCTAssertFalse(MerkleTree.isValidSubtree(start: top / 2, end: .max))
        XCTAssertTrue(MerkleTree.isValidSubtree(start: .max - 1, end: .max))
        XCTAssertFalse(MerkleTree.isValidSubtree(start: .max, end: .max))
        XCTAssertFalse(MerkleTree.isValidSubtree(start: 5, end: 4))
    }

    /// Proofs in trees of 2^63 and 2^64 - 1 leaves, whose roots are folded here by hand: the first leaf of a perfect
    /// tree has only right siblings, the last leaf of a tree of 2^64 - 1 leaves only left ones (63 of each).
    func testInclusionInHugeTrees() {
        let siblings = (0..<64).map { MerkleTree.leafHash([UInt8($0)]) }
        let leaf = MerkleTree.leafHash(Array("event".utf8))
        let half: UInt64 = 1 << 63
        let all = UInt64.max

        let firstProof = Array(siblings[..<63])
        let firstRoot = firstProof.reduce(leaf) { Reference.node($0, $1) }
        XCTAssertTrue(MerkleTree.verifyInclusion(leafHash: leaf, index: 0, treeSize: half, proof: firstProof,
                                                 root: firstRoot))
        XCTAssertFalse(MerkleTree.verifyInclusion(leafHash: leaf, index: 0, treeSize: half + 1, proof: firstProof,
                                                  root: firstRoot))
        XCTAssertFalse(MerkleTree.verifyInclusion(leafHash: leaf, index: 1, treeSize: half, proof: firstProof,
                                                  root: firstRoot))

        let lastProof = Array(siblings[1...])
        let lastRoot = lastProof.reduce(leaf) { Reference.node($1, $0) }
        XCTAssertTrue(MerkleTree.verifyInclusion(leafHash: leaf, index: all - 1, treeSize: all,
                                                 proof: lastProof, root: lastRoot))
        XCTAssertTrue(MerkleTree.verifySubtreeInclusion(leafHash: leaf, index: all - 1, start: 0, end: all,
                                                        proof: lastProof, root: lastRoot))
        XCTAssertFalse(MerkleTree.verifyInclusion(leafHash: leaf, index: all - 2, treeSize: all,
                                                  proof: lastProof, root: lastRoot))

        // Consistency from the perfect left half of that tree: one hash, the right half's root.
        let oldRoot = firstRoot
        let rightHalf = siblings[63]
        XCTAssertTrue(MerkleTree.verifyConsistency(oldSize: half, newSize: all, oldRoot: oldRoot,
                                                   newRoot: Reference.node(oldRoot, rightHalf), proof: [rightHalf]))
        XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: half, newSize: all, oldRoot: oldRoot,
                                                    newRoot: Reference.node(rightHalf, oldRoot), proof: [rightHalf]))
        XCTAssertFalse(MerkleTree.verifyConsistency(oldSize: half - 1, newSize: all, oldRoot: oldRoot,
                                                    newRoot: Reference.node(oldRoot, rightHalf), proof: [rightHalf]))
    }
}

/// Every prefix root from one pass equals the root computed for that prefix alone.
final class MerklePrefixRootTests: XCTestCase {
    func testPrefixRootsMatchRootsOfEachPrefix() {
        let leaves = (0..<300).map { MerkleTree.leafHash(Array("event \($0)".utf8)) }
        let lengths: Set<Int> = [1, 2, 3, 7, 8, 9, 64, 127, 128, 129, 255, 300, 0, 301, 5000]
        let roots = MerkleTree.prefixRoots(leafHashes: leaves, lengths: lengths)
        XCTAssertEqual(Set(roots.keys), lengths.filter { $0 >= 1 && $0 <= 300 })
        for (length, root) in roots {
            XCTAssertEqual(root, MerkleTree.root(leafHashes: leaves[..<length]), "prefix \(length)")
        }
        XCTAssertTrue(MerkleTree.prefixRoots(leafHashes: leaves, lengths: []).isEmpty)
    }
}
