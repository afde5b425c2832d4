// Writes Amana's test vectors under fixtures/vectors/ (the folder is the first argument); the format is defined in
// fixtures/vectors/README.md.
//
// Never edit a vector by hand: change this program and run `make vectors`. Each scenario family has its own file
// (ArchiveVectors.swift, SealVectors.swift, ...), and every case states its expected verdict and codes there, as a
// person reads them from spec/. The secret keys in keys/ are made once and then reused, so that regenerating gives the
// same bytes.
import AmanaKit
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: generate-vectors OUTPUT-FOLDER\n".utf8))
    exit(64)
}
let root = URL(fileURLWithPath: arguments[1])
let fileManager = FileManager.default

// Everything but the keys and the README is regenerated.
try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
for name in try fileManager.contentsOfDirectory(atPath: root.path) where name != "keys" && name != "README.md" {
    try fileManager.removeItem(at: root.appendingPathComponent(name))
}

let keys = try VectorKeys(folder: root.appendingPathComponent("keys"))
let base = try BaseBundles(keys: keys)
let families: [(BaseBundles) throws -> [VectorCase]] = [
    ArchiveVectors.cases, CompressionVectors.cases, BagItVectors.cases, BundleVectors.cases, ItemsVectors.cases,
    SealVectors.cases, CustodyVectors.cases, TrustVectors.cases, ReceiptVectors.cases, TimestampVectors.cases,
    StoreProofVectors.cases,
]
var count = 0
for family in families {
    for vector in try family(base) {
        try vector.write(under: root, keys: keys)
        count += 1
    }
}
// Ledger objects on S3 (spec/store.md 11.3): a bucket's listing and the chain rebuilt from it, not a bundle.
count += try S3LedgerVectors.write(under: root, keys: keys)
print("wrote \(count) vectors under \(root.path)")
