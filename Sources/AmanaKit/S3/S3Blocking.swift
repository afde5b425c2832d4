import Dispatch
import NIOPosix

/// Runs S3's async calls from Amana's synchronous store code, and waits.
///
/// The operation runs in a detached task on Swift's global executor (its network I/O on NIO's singleton event
/// loops); the calling thread waits on a semaphore until it finishes. That is safe from any ordinary thread (the
/// main thread of `amana`, a Dispatch worker): the task never needs the waiting thread.
///
/// It must never be called from an event-loop thread (the request would need the very thread that waits, and
/// never finish: this is checked, and traps, because it is a programming error that would otherwise hang), nor from
/// inside an async task (it would block one of the few cooperative threads; on a 2-core machine two such callers
/// could starve the pool). Async code calls the client directly.
package enum S3Blocking {
    package static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
        precondition(MultiThreadedEventLoopGroup.currentEventLoop == nil,
                     "S3Blocking.run must not be called on an event-loop thread")
        assert(withUnsafeCurrentTask { $0 == nil }, "S3Blocking.run must not be called from an async task")
        let outcome = Locked<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let result: Result<T, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            outcome.set(result)
            done.signal()
        }
        done.wait()
        return try outcome.value!.get()
    }
}

extension S3Client {
    /// ``upload(key:lock:partSize:read:)`` for synchronous callers. The reader is not `Sendable`; it is used only by
    /// the task this call waits for, while the calling thread is blocked, so the hand-off is ordered.
    package func uploadBlocking(key: String, lock: S3ObjectLock?, partSize: Int = S3Client.minimumPartSize,
                                hashing: Bool = true,
                                read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) throws -> S3UploadResult {
        let reader = Handoff(read)
        return try S3Blocking.run {
            try await self.upload(key: key, lock: lock, partSize: partSize, hashing: hashing, read: reader.value)
        }
    }

    /// ``getObject(key:versionID:consume:)`` for synchronous callers, with the same hand-off of the consumer.
    @discardableResult
    package func getObjectBlocking(key: String, versionID: String,
                                   consume: @escaping (UnsafeRawBufferPointer) throws -> Void) throws -> S3ObjectInfo {
        let consumer = Handoff(consume)
        return try S3Blocking.run { try await self.getObject(key: key, versionID: versionID, consume: consumer.value) }
    }
}
