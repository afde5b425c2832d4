/// A value handed from one thread to another at a point the caller orders: a job queued on a Dispatch queue, or
/// `concurrentPerform`, which returns only when every iteration is done.
///
/// Why unchecked: the values handed over (buffers of a read ring, hashers, the tar writer's side job) are not
/// thread-safe, and need not be. Each is used by one thread at a time, and the hand-off itself (queueing, then
/// waiting on a group or a condition) orders the accesses. The compiler cannot see that protocol, so this one type
/// says it, in one place, instead of a cast at every queue.
struct Handoff<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
