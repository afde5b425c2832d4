/// Copies a verified bundle's entries into a new tar, byte for byte, checking each against what verification read.
///
/// Used by everything that extends a bundle (custody events, timestamps): what was sealed is carried over unchanged,
/// and a bundle changed between verification and copying is refused rather than re-sealed.
enum BundleCopier {
    /// Copies every entry of `file` except those `skipping` names, into `tar`. Returns the tag files copied (outside
    /// `data/` and `seals/`), with their bytes, for tag manifests that must list them.
    static func copy(_ file: BundleFile, inventory: BagInventory, root: String, into tar: TarWriter,
                     skipping: (String) -> Bool) throws -> [(path: String, bytes: [UInt8])] {
        let changed = BundleAppender.changed(file.path)
        let reader: TarReader
        do { reader = try TarReader(file: file) } catch { throw changed }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var tagFiles = [(path: String, bytes: [UInt8])]()
        var copied = Set<String>()
        while true {
            let entry: TarReader.Entry?
            do { entry = try reader.next() } catch { throw changed }
            guard let entry else { break }
            guard case .success(let accepted) = EntryPolicy.check(entry.path, isDirectory: entry.kind == .directory),
                  accepted.root == root, entry.kind == .regular || entry.kind == .directory
            else { throw changed }
            let name = accepted.bagPath
            if entry.kind == .directory {
                try tar.addDirectory(entry.path!, modified: entry.modified)
                continue
            }
            if skipping(name) { continue }
            guard let expected = inventory.files[name], UInt64(entry.size) == expected.size else { throw changed }
            try tar.beginFile(entry.path!, size: expected.size, modified: entry.modified)
            let digest = MultiDigest([.sha256])
            var contents = [UInt8]()
            let keep = !BagInventory.isPayload(name) && !name.hasBytePrefix(BundleLayout.sealsFolder + "/")
            while true {
                let n: Int
                do { n = try reader.readDataFully(into: buffer) } catch { throw changed }
                if n == 0 { break }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<n])
                if keep { contents.append(contentsOf: chunk) }
                try digest.update(chunk) { try tar.writeData(chunk) }
            }
            guard digest.byteCount == expected.size, digest.finalize()[.sha256] == expected.digests[.sha256] else {
                throw changed
            }
            if keep { tagFiles.append((name, contents)) }
            copied.insert(name)
        }
        guard Set(inventory.files.keys.filter { !skipping($0) }).isSubset(of: copied) else { throw changed }
        return tagFiles
    }
}
