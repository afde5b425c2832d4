// TEMPORARY: replaced by the merkle branch's MerkleTree.swift at merge. Do not commit.
import Crypto

public enum MerkleTree {
    public static func leafHash(_ data: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: [0] + data)) }
    static func node(_ l: [UInt8], _ r: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: [1] + l + r)) }
    public static func root(leafHashes: [[UInt8]]) -> [UInt8] { root(leafHashes[...]) }
    static func root(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.isEmpty { return Array(SHA256.hash(data: [UInt8]())) }
        if leaves.count == 1 { return leaves.first! }
        var k = 1
        while k * 2 < leaves.count { k *= 2 }
        return node(root(leaves.prefix(k)), root(leaves.dropFirst(k)))
    }
}
