import Foundation

/// How far a long operation has come, in bytes, for a progress display.
///
/// The library counts bytes where it reads bulk data (sealing, verifying, extracting) by calling ``add(_:)``. Nothing
/// is counted unless a front end has installed a meter with ``start(total:)``: the library itself never prints, and a
/// caller that shows no progress pays one uncontended lock per chunk of a megabyte or more.
///
/// One meter is active per process, because one command runs per process; ``stop()`` removes it.
package final class ByteProgress: @unchecked Sendable {
    /// The bytes expected in all, when known in advance; the display shows a percentage and an ETA only then.
    package let total: UInt64?
    private let started: Date
    private let lock = NSLock()
    private var done: UInt64 = 0

    private static let activeLock = NSLock()
    nonisolated(unsafe) private static var active: ByteProgress?

    init(total: UInt64?, started: Date = Date()) {
        self.total = total
        self.started = started
    }

    /// Installs a new meter as the active one and returns it.
    @discardableResult
    package static func start(total: UInt64?) -> ByteProgress {
        let meter = ByteProgress(total: total)
        activeLock.lock()
        active = meter
        activeLock.unlock()
        return meter
    }

    /// Removes the active meter; later bytes are not counted.
    package static func stop() {
        activeLock.lock()
        active = nil
        activeLock.unlock()
    }

    /// Counts `count` more bytes on the active meter, if there is one. Safe from any thread.
    static func add(_ count: Int) {
        guard count > 0 else { return }
        activeLock.lock()
        let meter = active
        activeLock.unlock()
        meter?.record(UInt64(count))
    }

    func record(_ count: UInt64) {
        lock.lock()
        done += count
        lock.unlock()
    }

    /// The bytes counted so far and the seconds since the meter started.
    package func snapshot(now: Date = Date()) -> ProgressSnapshot {
        lock.lock()
        let bytes = done
        lock.unlock()
        return ProgressSnapshot(bytes: bytes, total: total, seconds: max(0, now.timeIntervalSince(started)))
    }
}
