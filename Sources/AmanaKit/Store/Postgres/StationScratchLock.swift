#if canImport(Glibc)
import Glibc
#endif

/// The organisation store's station-local lock on its scratch folder `DIR/tmp` (spec/store.md, "Back ends").
///
/// An organisation store keeps writers of different stations apart in its database, append by append, and holds no
/// lock for a whole command. But the processes of ONE station share `DIR/tmp`, and the scratch sweep removes partial
/// files no re-run can use, which a live process may be writing. So every writer process holds a SHARED `flock` on
/// the `DIR/tmp` folder for its command (that excludes no other writer), and the sweep runs only when this process
/// can turn its lock into an EXCLUSIVE one without waiting, that is when no other process of this station is at
/// work. The kernel drops the lock when a process dies, so a killed ingest never blocks a sweep.
final class StationScratchLock: StoreWriterExclusion {
    private let fd: Int32
    let folder: String

    /// Takes the shared lock on `folder` (created 0700 when missing), waiting only for a sweep in progress.
    init(folder: String) throws {
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw AmanaError(.outputFailed, "cannot create \(folder): \(POSIX.errorText())")
        }
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw AmanaError(.outputFailed, "cannot open \(folder): \(POSIX.errorText())") }
        while flock(fd, LOCK_SH) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(fd)
            throw AmanaError(.outputFailed, "cannot lock \(folder): \(POSIX.errorText(code))")
        }
        self.fd = fd
        self.folder = folder
    }

    deinit {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }

    /// Runs `body` holding the lock exclusively when no other process of this station holds it; nil (and `body` not
    /// run) otherwise. The shared lock is held again afterwards. (Linux may drop the shared lock while a failed
    /// conversion is tried; it is taken again before this returns, and nothing was written meanwhile.)
    func exclusively<T>(_ body: () -> T) -> T? {
        defer { while flock(fd, LOCK_SH) != 0 && errno == EINTR {} }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return nil }
        return body()
    }
}
