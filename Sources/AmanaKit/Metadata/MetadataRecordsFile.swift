import Foundation

/// `amana/metadata.jsonl`: the derived metadata records of a bundle's items, one JSON record per line.
///
/// A tag file, so the tag manifests list it and the seal covers it; the items themselves are never touched. One
/// file rather than one per item keeps item names (which may be long or deep) out of the tag area, and lets a
/// reader take the records in one pass. Lines follow `amana/items.json`'s item order (spec/metadata.md section 3.1).
package enum MetadataRecordsFile {
    package static let path = "amana/metadata.jsonl"
    /// The most record bytes `inspect` reads back from a bundle; a larger file is reported, not loaded.
    static let readLimit = 256 << 20

    /// The records of a file's lines; a line that is not a version-1 record is reported, and the rest still read.
    package static func parse(_ bytes: [UInt8]) -> (records: [MetadataRecord], problems: [String]) {
        var records: [MetadataRecord] = []
        let problems = forEachRecord(in: bytes) { record, _ in records.append(record) }
        return (records, problems)
    }

    /// Hands each version 1 record to `body` with its line (a slice of `bytes`, without the newline), one at a time,
    /// so a caller keeps only what it needs; returns a problem per line that is not one.
    @discardableResult
    static func forEachRecord(in bytes: [UInt8], _ body: (MetadataRecord, ArraySlice<UInt8>) -> Void) -> [String] {
        var problems: [String] = []
        let decoder = JSONDecoder()
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: true).enumerated() {
            guard let record = record(line, decoder: decoder) else {
                problems.append("\(path) line \(index + 1) is not a version 1 metadata record")
                continue
            }
            body(record, line)
        }
        return problems
    }

    /// One line's version 1 record; nil when the line is not one.
    static func record(_ line: ArraySlice<UInt8>, decoder: JSONDecoder = JSONDecoder()) -> MetadataRecord? {
        guard let record = try? decoder.decode(MetadataRecord.self, from: Data(line)),
              record.mediaType == MetadataRecord.mediaTypeV1 else { return nil }
        return record
    }

    /// Reads the records file from a bundle (a folder or a tar) without checking anything; nil when there is none.
    /// `identities`: an age-encrypted bundle is decrypted again in memory, as on the first read, never to disk.
    static func read(bundle path: String, isFolder: Bool, root: String?, identities: [AgeIdentity]? = nil) throws -> [UInt8]? {
        if isFolder {
            let file = "\(path)/\(MetadataRecordsFile.path)"
            guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
            defer { try? handle.close() }
            return Array(try handle.read(upToCount: readLimit) ?? Data())
        }
        let reader = try TarReader(file: BundleFile(path: path, identities: identities))
        while let entry = try reader.next() {
            guard let name = entry.path, entry.kind == .regular,
                  name == (root.map { "\($0)/" } ?? "") + MetadataRecordsFile.path else {
                continue  // next() skips the entry's data
            }
            guard entry.size <= Int64(readLimit) else { return nil }
            var bytes = [UInt8](repeating: 0, count: Int(entry.size))
            let count = try bytes.withUnsafeMutableBytes { try reader.readDataFully(into: $0) }
            return Array(bytes.prefix(count))
        }
        return nil
    }
}
