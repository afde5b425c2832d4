import Foundation

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

    /// TEST ONLY. `AMANA_TEST_CLAIM_STALE_SECONDS`: how long another station's upload claim must go without a
    /// heartbeat before this process takes it over, in place of 60 s, so that a test of a station that died mid-upload
    /// need not wait a minute for its claims. Honoured only together with `AMANA_TEST_HOOKS=1` and refused without it,
    /// so that a stray variable never makes a real station take over a living station's upload. Never a
    /// configuration.
    static func claimStaleSeconds(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int? {
        guard let text = environment["AMANA_TEST_CLAIM_STALE_SECONDS"], !text.isEmpty else { return nil }
        guard environment["AMANA_TEST_HOOKS"] == "1" else {
            throw AmanaError(.usage, "AMANA_TEST_CLAIM_STALE_SECONDS is a test hook and is refused outside the tests",
                             hint: "unset AMANA_TEST_CLAIM_STALE_SECONDS")
        }
        guard let seconds = Int(text), (1...3600).contains(seconds) else {
            throw AmanaError(.usage, "AMANA_TEST_CLAIM_STALE_SECONDS must be a whole number of seconds from 1 to 3600")
        }
        return seconds
    }
}
