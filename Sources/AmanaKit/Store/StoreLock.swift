#if canImport(Glibc)
import Glibc
#endif

/// The store's writer lock: an exclusive `flock` on `lock`, held for a whole command. It is the local back end's
/// writer exclusion (``LocalStoreBackEnd/writerExclusion(wait:)``); an organisation store serialises each append in
/// its database instead and holds no lock for a whole command.
///
/// Two `amana ingest` runs on one store take turns instead of interleaving ledger lines and catalog rows. The kernel
/// drops the lock when the process dies, even by SIGKILL, so a crash never leaves the store locked. Readers (`store
/// list`, `show`, `find`, `log`) take no lock: the ledger only grows and the catalog is read in a WAL snapshot.
package final class StoreLock {
    private let fd: Int32

    /// Blocks until the lock is free (or, with `wait: false`, throws when it is not).
    package init(layout: StoreLayout, wait: Bool = true) throws {
        let fd = open(layout.lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw AmanaError(.outputFailed, "cannot open the store lock \(layout.lockPath): \(POSIX.errorText())")
        }
        while flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(fd)
            throw AmanaError(.outputFailed, "cannot lock the store \(layout.root): \(POSIX.errorText(code))")
        }
        self.fd = fd
    }

    deinit {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }
}

extension StoreLock {
    /// The lock if it is free right now, nil if a writer holds it (readers do not wait).
    static func tryLock(layout: StoreLayout) -> StoreLock? {
        try? StoreLock(layout: layout, wait: false)
    }
}
