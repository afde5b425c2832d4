extension ByteProgress {
    /// The bytes in the regular files at or below `paths`, without following links: what a seal of them, or a
    /// verification of a bag folder, will read. Best effort, for an ETA only: what cannot be listed counts as 0, and
    /// the command itself reports it properly.
    package static func regularFileBytes(under paths: [String]) -> UInt64 {
        var total: UInt64 = 0
        for path in paths {
            guard let info = POSIX.lstat(path) else { continue }
            if POSIX.isRegular(info) {
                total += UInt64(info.st_size)
            } else if POSIX.isDirectory(info) {
                try? DirectoryWalker.walk(path) { entry in
                    if POSIX.isRegular(entry.info) { total += UInt64(entry.info.st_size) }
                }
            }
        }
        return total
    }
}
