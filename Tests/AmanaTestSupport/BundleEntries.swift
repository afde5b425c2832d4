import AmanaKit
import Foundation

/// A small bundle read fully into memory, for tests that rewrite it: flip a byte, drop or add an entry, reorder.
package struct BundleEntries {
    package var entries: [RawTar.Entry]

    package init(tar path: String) throws {
        let entries = try TestingHooks.tarEntries(path).map { entry in
            RawTar.Entry(entry.path, entry.isDirectory ? .directory : .file, contents: entry.contents)
        }
        self.entries = entries
    }

    /// The root folder's name (the bundle id).
    package var root: String { String(entries[0].name.split(separator: "/")[0]) }

    package subscript(bagPath: String) -> [UInt8] {
        get { entries.first { $0.name == "\(root)/\(bagPath)" }!.contents }
        set {
            let name = "\(root)/\(bagPath)"
            let index = entries.firstIndex { $0.name == name }!
            entries[index].contents = newValue
        }
    }

    package func contains(_ bagPath: String) -> Bool { entries.contains { $0.name == "\(root)/\(bagPath)" } }

    package mutating func remove(_ bagPath: String) {
        let name = "\(root)/\(bagPath)"
        entries.removeAll { $0.name == name }
    }

    package mutating func add(_ bagPath: String, _ contents: [UInt8]) {
        let name = "\(root)/\(bagPath)"
        entries.append(RawTar.Entry(name, contents: contents))
    }

    package mutating func rename(_ bagPath: String, to newPath: String) {
        let (old, new) = ("\(root)/\(bagPath)", "\(root)/\(newPath)")
        let index = entries.firstIndex { $0.name == old }!
        entries[index].name = new
    }

    /// Writes the (possibly altered) entries as a ustar file. Names over 100 bytes use the ustar prefix field.
    package func write(to path: String) throws {
        try Data(RawTar(entries).bytes()).write(to: URL(fileURLWithPath: path))
    }

    /// Recomputes a manifest line's digest the way a forger would, so that BagIt checks pass again.
    package mutating func rehash(manifest: String, algorithm: DigestAlgorithm) {
        let text = String(decoding: self[manifest], as: UTF8.self)
        var lines = [String]()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            let path = parts[1].trimmingCharacters(in: .whitespaces)
            let digest = MultiDigest.digests(of: self[path], [algorithm])[algorithm]!.hex
            lines.append("\(digest)  \(path)")
        }
        self[manifest] = Array((lines.joined(separator: "\n") + "\n").utf8)
    }
}
