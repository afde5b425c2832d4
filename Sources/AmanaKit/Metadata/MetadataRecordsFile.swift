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

    /// Builds the file while the payload is copied: each record is read right after its item, on the reading
    /// thread, while the item's digests are still being computed on others, and kept only as its JSON line.
    struct Writer {
        private(set) var bytes: [UInt8] = []
        private let encoder: JSONEncoder
        /// The seal's claimed time, which stands in for the acquisition time (spec/metadata.md section 3.1).
        let acquired: Date

        init(acquired: Date) {
            self.acquired = acquired
            encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        }

        /// The record of one planned file, named by its payload path. The file read must be the file planned and
        /// sealed (the same inode and size); anything else is the error any change during sealing is.
        mutating func add(_ file: SealPlan.File) throws {
            let source = try ReadOnlyFile(rawPath: file.source, display: file.displaySource)
            guard UInt64(source.info.st_dev) == file.device, UInt64(source.info.st_ino) == file.inode,
                  source.size == file.size else {
                throw AmanaError(.sourceChanged, "\(file.displaySource) changed while it was being sealed",
                                 hint: "seal it again once nothing is writing to it")
            }
            // The descriptor is closed when `source` goes, so it must outlive the reading.
            let record = withExtendedLifetime(source) {
                MetadataReader.read(descriptor: source.fd, size: file.size,
                                    modified: Date(timeIntervalSince1970: TimeInterval(file.modified)),
                                    name: file.bagPath, acquisitionTime: acquired, now: acquired)
            }
            bytes += Array(try encoder.encode(record))
            bytes.append(0x0A)
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
