import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files and folders a seal will store, worked out before any output exists.
///
/// Every input problem (a symlink, a device, an unreadable file, a bad name, two inputs that would share a name,
/// no input at all) is found here, so `seal` fails with one clear error and leaves nothing behind. The plan also
/// records each file's identity (device, inode, size, mtime), so a file swapped or changed before it is read is
/// caught rather than sealed.
struct SealPlan {
    struct File {
        /// Source path as raw bytes, NUL-terminated, exactly as the file system spells it.
        let source: [CChar]
        let displaySource: String
        /// `data/...`, NFC.
        let bagPath: String
        /// The original name when NFC changed it.
        let originalName: String?
        let size: UInt64
        let modified: Int64
        let device: UInt64
        let inode: UInt64
        /// Full modification and status-change times, to catch an edit between planning and reading.
        let modifiedNanos: Int
        let changed: timespec
    }

    /// Payload folders (`data/x`), parents first.
    var directories: [String] = []
    var files: [File] = []

    var payloadBytes: UInt64 { files.reduce(0) { $0 + $1.size } }

    init(inputs: [String]) throws {
        guard !inputs.isEmpty else {
            throw AmanaError(.usage, "nothing to seal: give at least one file or folder",
                             hint: "amana seal PHOTO.jpg VIDEOS/ --key KEY.key --output BUNDLE.tar")
        }
        var taken = [String: String]()  // NFC bag path -> the input that claimed it
        var directorySet = Set<String>()

        func claim(_ bagPath: String, by source: String) throws {
            // Swift compares strings by canonical equivalence, so NFC and NFD spellings of a name collide here.
            if let other = taken[bagPath] {
                throw AmanaError(.inputInvalid, "\(source) and \(other) would both be stored as \(bagPath)",
                                 hint: "rename one of them, or seal them in separate bundles")
            }
            taken[bagPath] = source
        }

        for input in inputs {
            var path = input
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            guard let info = POSIX.lstat(path) else {
                throw AmanaError(.inputUnreadable, "cannot read \(input): \(POSIX.errorText())")
            }
            if POSIX.isRegular(info) {
                let name = try SealPlan.storedName(POSIX.lastComponent(of: path), shownAs: input)
                let bagPath = "\(BagItNames.payloadDirectory)/\(name.stored)"
                try claim(bagPath, by: input)
                files.append(try SealPlan.file(Array(path.utf8CString), display: input, bagPath: bagPath,
                                               originalName: name.original, info: info))
            } else if POSIX.isDirectory(info) {
                let top = try SealPlan.storedName(SealPlan.folderName(path), shownAs: input)
                let topPath = "\(BagItNames.payloadDirectory)/\(top.stored)"
                try claim(topPath, by: input)
                if directorySet.insert(topPath).inserted { directories.append(topPath) }
                try DirectoryWalker.walk(path) { entry in
                    let shown = "\(path)/\(entry.displayPath)"
                    guard let relative = entry.relativePath else {
                        throw AmanaError(.inputInvalid, "the name \(shown) is not valid UTF-8",
                                         hint: "rename it; bundles store names as UTF-8 so every system reads them alike")
                    }
                    var parts = [String]()
                    var originalChanged = false
                    for component in relative.pathComponents() {
                        let name = try SealPlan.storedName(component, shownAs: shown)
                        parts.append(name.stored)
                        originalChanged = originalChanged || name.original != nil
                    }
                    let bagPath = topPath + "/" + parts.joined(separator: "/")
                    if POSIX.isDirectory(entry.info) {
                        try claim(bagPath, by: shown)
                        if directorySet.insert(bagPath).inserted { directories.append(bagPath) }
                    } else if POSIX.isRegular(entry.info) {
                        try claim(bagPath, by: shown)
                        files.append(try SealPlan.file(entry.fullPath, display: shown, bagPath: bagPath,
                                                       originalName: originalChanged ? relative : nil, info: entry.info))
                    } else {
                        throw AmanaError(.inputInvalid, "\(shown) is a \(POSIX.kindName(entry.info)); amana seals regular files and folders only",
                                         hint: "copy the file's contents into a regular file first, or leave it out")
                    }
                }
            } else {
                throw AmanaError(.inputInvalid, "\(input) is a \(POSIX.kindName(info)); amana seals regular files and folders only",
                                 hint: POSIX.kindName(info) == "symbolic link" ? "give the file it points to instead" : nil)
            }
        }
        // Byte order of the stored names, so the same inputs always give the same archive order.
        files.sort { $0.bagPath.utf8.lexicographicallyPrecedes($1.bagPath.utf8) }
        directories.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The payload of a bag being adopted (``BagAdoption``): every file under `folder/data`, stored under its own
    /// `data/...` name. The names must be ones a new seal would store unchanged; any other entry was already refused by
    /// the bag check, and `expected` (the payload the check read) must be exactly what is found now.
    init(adoptingPayloadOf folder: String, expected: Set<String>) throws {
        let root = "\(folder)/\(BagItNames.payloadDirectory)"
        try DirectoryWalker.walk(root) { entry in
            let shown = "\(root)/\(entry.displayPath)"
            guard let relative = entry.relativePath else {
                throw AmanaError(.inputInvalid, "the name \(shown) is not valid UTF-8")
            }
            for component in relative.pathComponents() {
                let name = try SealPlan.storedName(component, shownAs: shown)
                guard name.original == nil else {
                    throw AmanaError(.inputInvalid, "the name \(shown) is not in Unicode NFC (bundle.name.not-nfc)")
                }
            }
            let bagPath = "\(BagItNames.payloadDirectory)/\(relative)"
            if POSIX.isDirectory(entry.info) {
                directories.append(bagPath)
            } else if POSIX.isRegular(entry.info) {
                files.append(try SealPlan.file(entry.fullPath, display: shown, bagPath: bagPath, originalName: nil, info: entry.info))
            } else {
                throw AmanaError(.inputInvalid, "\(shown) is a \(POSIX.kindName(entry.info)); a bag's payload must be regular files")
            }
        }
        guard Set(files.map(\.bagPath)) == expected else {
            throw AmanaError(.sourceChanged, "the payload of \(folder) changed while it was being adopted",
                             hint: "adopt the bag again once nothing is writing to it")
        }
        files.sort { $0.bagPath.utf8.lexicographicallyPrecedes($1.bagPath.utf8) }
        directories.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The objects of an evidence store export (``StoreExport``), under the names it chose. Objects are read-only
    /// files named by their content; the plan records their identity like any source's, so one replaced in between is
    /// caught rather than sealed.
    init(storeFiles: [StoreExport.File]) throws {
        var directorySet = Set<String>()
        for file in storeFiles {
            guard let info = POSIX.lstat(file.object), POSIX.isRegular(info) else {
                throw AmanaError(.inputUnreadable, "the stored object sha256:\(file.record.sha256) is missing from the store",
                                 hint: "'amana store verify' checks every object")
            }
            files.append(try SealPlan.file(Array(file.object.utf8CString), display: "sha256:\(file.record.sha256)",
                                           bagPath: file.bagPath, originalName: file.originalName, info: info))
            var parts = Array(file.bagPath.pathComponents().dropLast())
            while parts.count > 1 {
                directorySet.insert(parts.joined(separator: "/"))
                parts.removeLast()
            }
        }
        directories = directorySet.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        files.sort { $0.bagPath.utf8.lexicographicallyPrecedes($1.bagPath.utf8) }
    }

    private static func file(_ source: [CChar], display: String, bagPath: String, originalName: String?,
                             info: stat) throws -> File {
        guard source.withUnsafeBufferPointer({ access($0.baseAddress!, R_OK) }) == 0 else {
            throw AmanaError(.inputUnreadable, "cannot read \(display): \(POSIX.errorText())")
        }
        return File(source: source, displaySource: display, bagPath: bagPath, originalName: originalName,
                    size: UInt64(info.st_size), modified: Int64(info.st_mtim.tv_sec),
                    device: UInt64(info.st_dev), inode: UInt64(info.st_ino), modifiedNanos: Int(info.st_mtim.tv_nsec),
                    changed: info.st_ctim)
    }

    /// The name of a folder input; `.` and `..` are resolved to the folder's real name.
    private static func folderName(_ path: String) -> String {
        let last = POSIX.lastComponent(of: path)
        guard last == "." || last == ".." || last == "/" else { return last }
        guard let resolved = realpath(path, nil) else { return last }
        defer { free(resolved) }
        return POSIX.lastComponent(of: String(cString: resolved))
    }

    /// The NFC form of one name component, refusing names no bundle can hold safely.
    static func storedName(_ name: String, shownAs shown: String) throws -> (stored: String, original: String?) {
        if name.contains("\\") {
            throw AmanaError(.inputInvalid, "the name \(shown) contains a backslash, which other systems read as a folder separator",
                             hint: "rename the file before sealing it")
        }
        if name.unicodeScalars.contains(where: MinisignText.isControlCharacter) {
            throw AmanaError(.inputInvalid, "the name \(shown) contains a control character",
                             hint: "rename the file before sealing it")
        }
        if name == "/" || name == "." || name == ".." || name.isEmpty {
            throw AmanaError(.inputInvalid, "\(shown) has no usable name")
        }
        let nfc = name.precomposedStringWithCanonicalMapping
        let changed = !nfc.unicodeScalars.elementsEqual(name.unicodeScalars)
        return (nfc, changed ? name : nil)
    }
}
