/// Hooks the store tests use to act at exact moments of an ingest (package access: out of the public API).
package enum StoreTestingHooks {
    /// Called after each read from a source, with the source path as given and the bytes read so far. A test uses it
    /// to change the source mid-copy, or to throw and so simulate an interruption.
    nonisolated(unsafe) package static var afterSourceRead: ((String, UInt64) throws -> Void)?
    /// Resume chunk size to use instead of 64 MiB, so tests can resume small files chunk by chunk.
    nonisolated(unsafe) package static var chunkSize: Int?
    /// Called with the path of a stored file (a copy being proven, or an object being scrubbed) after its pages were
    /// dropped and before it is read back: a test looks with `mincore` whether any page is still in memory.
    nonisolated(unsafe) package static var beforeReadBack: ((String) -> Void)?
}
