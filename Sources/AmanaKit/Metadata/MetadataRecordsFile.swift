import Foundation
import Synchronization

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
        var records: [MetadataRecord] = [], problems: [String] = []
        let decoder = JSONDecoder()
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: true).enumerated() {
            guard let record = try? decoder.decode(MetadataRecord.self, from: Data(line)),
                  record.mediaType == MetadataRecord.mediaTypeV1 else {
                problems.append("\(path) line \(index + 1) is not a version 1 metadata record")
                continue
            }
            records.append(record)
        }
        return (records, problems)
    }

    /// Builds the file while the payload is copied. A file that fits in one slot of the sealer's read ring (every
    /// photo) is parsed from the bytes already read for hashing, in the same job as its digests and so on every core:
    /// no second open or read, and nothing added to the reading thread. A larger file is read through the descriptor
    /// the sealer already holds. Either way the record describes exactly the bytes sealed. Each record is kept only
    /// as its JSON line, in the plan's order whichever thread finishes first.
    final class Writer: Sendable {
        /// The seal's claimed time, which stands in for the acquisition time (spec/metadata.md section 3.1).
        let acquired: Date
        private let lines: Mutex<[[UInt8]]>

        init(acquired: Date, count: Int) {
            self.acquired = acquired
            lines = Mutex(Array(repeating: [], count: count))
        }

        /// The work the read ring runs on file `index`'s bytes when they fit in one slot.
        func whole(_ index: Int, _ file: SealPlan.File) -> FileSequencePipeline.Whole {
            let name = file.bagPath, modified = Date(timeIntervalSince1970: TimeInterval(file.modified))
            let acquired = acquired
            return { [self] bytes in
                let record = MetadataReader.read(MetadataSource(borrowing: bytes), name: name, modified: modified,
                                                 acquisitionTime: acquired, now: acquired)
                store(index, record)
            }
        }

        /// File `index` when it did not fit in one slot: read through `descriptor`, the open file the sealer checked
        /// is the one planned (same inode, size and times).
        func read(_ index: Int, _ file: SealPlan.File, descriptor: Int32) {
            let record = MetadataReader.read(descriptor: descriptor, size: file.size,
                                             modified: Date(timeIntervalSince1970: TimeInterval(file.modified)),
                                             name: file.bagPath, acquisitionTime: acquired, now: acquired)
            store(index, record)
        }

        private func store(_ index: Int, _ record: MetadataRecord) {
            var line = MetadataRecordJSON.serialize(record)
            line.append(0x0A)
            lines.withLock { $0[index] = line }
        }

        /// The file's bytes, once every record is in (after the pipeline has finished).
        var bytes: [UInt8] {
            lines.withLock { lines in
                var out = [UInt8]()
                out.reserveCapacity(lines.reduce(0) { $0 + $1.count })
                for line in lines { out += line }
                return out
            }
        }
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
