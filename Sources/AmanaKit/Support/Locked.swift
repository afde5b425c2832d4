import Synchronization

/// A value that several threads read and write, behind a lock the compiler checks.
///
/// `Mutex` itself cannot be captured by an escaping closure (it is not copyable), and results handed back from a
/// Dispatch job, a `Task` or a `Thread` must be; this class holds one, so the closure captures the reference. It
/// replaces hand-written "box" classes marked `@unchecked Sendable`, whose safety only a comment asserted.
package final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    package init(_ value: sending Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with the value while holding the lock.
    package func withLock<Result>(_ body: (inout sending Value) throws -> sending Result) rethrows -> sending Result {
        try mutex.withLock(body)
    }
}

extension Locked where Value: Sendable {
    /// A copy of the value, taken under the lock.
    package var value: Value { mutex.withLock { $0 } }

    /// Replaces the value under the lock.
    package func set(_ newValue: Value) { mutex.withLock { $0 = newValue } }
}
