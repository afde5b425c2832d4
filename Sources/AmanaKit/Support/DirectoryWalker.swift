#if canImport(Glibc)
import Glibc
#endif

/// Walks a folder tree depth-first, in byte order, without following symbolic links.
///
/// Names are read as raw bytes: a name that is not valid UTF-8 is reported as such (with its bytes escaped) instead
/// of being silently replaced, because a bundle must record names exactly.
enum DirectoryWalker {
    struct Entry {
        /// Path below the walk's root, `/`-separated; nil when some component is not valid UTF-8.
        let relativePath: String?
        /// The same path with undecodable bytes shown as `\xNN`, for messages.
        let displayPath: String
        /// Full path to open, built from raw bytes.
        let fullPath: [CChar]
        let info: stat
    }

    /// Calls `visit` for every entry below `root` (not for `root` itself). Folders are visited before their contents.
    static func walk(_ root: String, visit: (Entry) throws -> Void) throws {
        try walk(rawRoot: Array(root.utf8CString.dropLast()), relative: [], visit: visit)
    }

    private static func walk(rawRoot: [CChar], relative: [[UInt8]], visit: (Entry) throws -> Void) throws {
        let dirPath = rawRoot + relative.flatMap { [CChar(bitPattern: UInt8(ascii: "/"))] + $0.map { CChar(bitPattern: $0) } }
        guard let dir = (dirPath + [0]).withUnsafeBufferPointer({ opendir($0.baseAddress!) }) else {
            let shown = escape(relative.joined(separator: [UInt8(ascii: "/")]).map { $0 })
            throw AmanaError(.inputUnreadable, "cannot list folder \(shown.isEmpty ? String(cString: rawRoot + [0]) : shown): \(POSIX.errorText())")
        }
        var names = [[UInt8]]()
        while let entry = readdir(dir) {
            let name = POSIX.entryName(entry)
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(name)
        }
        closedir(dir)
        names.sort { $0.lexicographicallyPrecedes($1) }
        for name in names {
            let components = relative + [name]
            let full = dirPath + [CChar(bitPattern: UInt8(ascii: "/"))] + name.map { CChar(bitPattern: $0) }
            var info = stat()
            guard (full + [0]).withUnsafeBufferPointer({ Glibc.lstat($0.baseAddress!, &info) }) == 0 else {
                throw AmanaError(.inputUnreadable, "cannot read \(escape(components.joined(separator: [47]).map { $0 })): \(POSIX.errorText())")
            }
            let joined = Array(components.joined(separator: [UInt8(ascii: "/")]))
            let entry = Entry(
                relativePath: String(validating: joined, as: UTF8.self),
                displayPath: escape(joined),
                fullPath: full + [0],
                info: info
            )
            try visit(entry)
            if POSIX.isDirectory(info) {
                try walk(rawRoot: rawRoot, relative: components, visit: visit)
            }
        }
    }

    /// Shows valid UTF-8 as is and every other byte as `\xNN`.
    static func escape(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return bytes.map { $0 < 0x80 && $0 >= 0x20 ? String(UnicodeScalar($0)) : "\\x" + Hex.encode([$0]) }.joined()
    }
}
