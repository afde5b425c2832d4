#if canImport(Glibc)
import Glibc
#endif

/// Lists the files an ingest will read, below each argument, without following a symbolic link.
///
/// Anything that is not a regular file is reported, not read: a symbolic link (it could point anywhere, even back
/// into the store), a device or fifo (reading one can block or never end), and a name that is not valid UTF-8 (the
/// ledger and catalog record names as text; a lossy name would record a file that does not exist).
struct SourceWalker {
    enum Entry {
        case file(path: String, relative: String, size: UInt64)
        case skipped(display: String, code: String, reason: String)
    }

    static func entries(for argument: String) -> [Entry] {
        guard let info = POSIX.lstat(argument) else {
            return [.skipped(display: argument, code: IngestCode.unreadable, reason: "cannot read it: \(POSIX.errorText())")]
        }
        if POSIX.isDirectory(info) {
            var out = [Entry]()
            walk(folder: argument, relative: "", into: &out)
            return out
        }
        return [entry(path: argument, relative: POSIX.lastComponent(of: argument), info: info)]
    }

    private static func entry(path: String, relative: String, info: stat) -> Entry {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(path: path, relative: relative, size: UInt64(info.st_size))
        case S_IFLNK: return .skipped(display: path, code: IngestCode.symlink, reason: "a symbolic link, not followed")
        default:
            return .skipped(display: path, code: IngestCode.special, reason: "a \(POSIX.kindName(info)), not a regular file")
        }
    }

    private static func walk(folder: String, relative: String, into out: inout [Entry]) {
        guard let dir = opendir(folder) else {
            out.append(.skipped(display: folder, code: IngestCode.unreadable, reason: "cannot read the folder: \(POSIX.errorText())"))
            return
        }
        var names = [[UInt8]]()
        while let record = readdir(dir) {
            let name = POSIX.entryName(record)
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        closedir(dir)
        // Byte order: the same tree is always ingested, and recorded in the ledger, in the same order.
        names.sort { $0.lexicographicallyPrecedes($1) }
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        for raw in names {
            let lossy = String(decoding: raw, as: UTF8.self)
            guard Array(lossy.utf8) == raw else {
                out.append(.skipped(display: base + lossy, code: IngestCode.name,
                                    reason: "the name is not valid UTF-8; rename it and ingest it again"))
                continue
            }
            let path = base + lossy
            let childRelative = relative.isEmpty ? lossy : relative + "/" + lossy
            guard let info = POSIX.lstat(path) else {
                out.append(.skipped(display: path, code: IngestCode.unreadable, reason: "cannot read it: \(POSIX.errorText())"))
                continue
            }
            if POSIX.isDirectory(info) {
                walk(folder: path, relative: childRelative, into: &out)
            } else {
                out.append(entry(path: path, relative: childRelative, info: info))
            }
        }
    }
}

/// The stable codes of files `amana ingest` skips (spec/store.md, "Ingest codes").
package enum IngestCode {
    package static let changed = "ingest.source.changed"
    package static let symlink = "ingest.source.symlink"
    package static let special = "ingest.source.special"
    package static let name = "ingest.source.name"
    package static let unreadable = "ingest.source.unreadable"
}
