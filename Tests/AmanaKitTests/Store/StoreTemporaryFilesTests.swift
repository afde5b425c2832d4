import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// What killed ingests leave in tmp/: the sweep removes what no re-run can use and keeps what one resumes.
final class StoreTemporaryFilesTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var layout: StoreLayout!

    override func setUpWithError() throws {
        folder = TemporaryFolder("amana-store-tmp")
        let key = try SecretKey.generate(name: "Keeper", organization: nil)
        try EvidenceStore.create(at: folder.file("store"), key: key)
        layout = StoreLayout(root: folder.file("store"))
    }

    private func identity(_ n: Int) -> String { String(repeating: String(n % 10), count: 64) }

    private func put(_ name: String, _ bytes: [UInt8], age days: Int = 0) throws {
        let path = layout.temporaryFolder + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        if days > 0 {
            let then = timespec(tv_sec: time(nil) - days * 86_400, tv_nsec: 0)
            var times = [then, then]
            XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
        }
    }

    private func journal(_ identity: String, chunkSize: Int, chunks: Int) -> [UInt8] {
        var text = "amana-ingest-journal-v1 \(chunkSize) \(identity)\n"
        for index in 0..<chunks { text += "\(index) \(String(repeating: "a", count: 64))\n" }
        return Array(text.utf8)
    }

    func testTheSweepKeepsResumableCopiesAndRemovesWhatNoReRunCanUse() throws {
        let chunk = 4096
        // Resumable: a journalled complete chunk, and the partial holds it.
        try put(identity(1) + ".partial", [UInt8](repeating: 1, count: chunk + 100))
        try put(identity(1) + ".journal", journal(identity(1), chunkSize: chunk, chunks: 1))
        // Killed before the first chunk was journalled: nothing to resume.
        try put(identity(2) + ".partial", [UInt8](repeating: 2, count: 100))
        try put(identity(2) + ".journal", journal(identity(2), chunkSize: chunk, chunks: 0))
        // A partial without a journal, and a journal without a partial (killed between placing and unlinking it).
        try put(identity(3) + ".partial", [UInt8](repeating: 3, count: chunk * 2))
        try put(identity(4) + ".journal", journal(identity(4), chunkSize: chunk, chunks: 2))
        // A journal that says a chunk the partial does not hold, and one written for another source.
        try put(identity(5) + ".partial", [UInt8](repeating: 5, count: 10))
        try put(identity(5) + ".journal", journal(identity(5), chunkSize: chunk, chunks: 1))
        try put(identity(6) + ".partial", [UInt8](repeating: 6, count: chunk))
        try put(identity(6) + ".journal", journal(identity(7), chunkSize: chunk, chunks: 1))
        // Resumable, but untouched for longer than the retention.
        try put(identity(8) + ".partial", [UInt8](repeating: 8, count: chunk), age: 40)
        try put(identity(8) + ".journal", journal(identity(8), chunkSize: chunk, chunks: 1), age: 40)
        // A journal rewrite and a metadata record cut short by the kill.
        try put(AtomicOutput.partialPrefix + identity(9) + ".journal.Ab12Cd", [1])
        try put(identity(0) + ".record", [2])
        // Not a name amana makes: left alone.
        try put("notes.txt", Array("mine".utf8))

        let summary = StoreTemporaryFiles.sweep(layout: layout)
        let left = try FileManager.default.contentsOfDirectory(atPath: layout.temporaryFolder).sorted()
        XCTAssertEqual(left, [identity(1) + ".journal", identity(1) + ".partial", "notes.txt"])
        XCTAssertEqual(summary, StoreTemporaryFiles.Summary(removed: 12, kept: 1, keptBytes: UInt64(chunk + 100)))
        // A second sweep finds nothing more to do.
        XCTAssertEqual(StoreTemporaryFiles.sweep(layout: layout).removed, 0)
    }

    /// Only under the store lock: while another writer holds it, its files are live and nothing is removed.
    func testNothingIsRemovedWhileAnotherWriterHoldsTheLock() throws {
        try put(identity(2) + ".partial", [UInt8](repeating: 2, count: 100))
        var writer: StoreLock? = try StoreLock(layout: layout)
        let reader = try EvidenceStore.open(layout.root, writing: false)
        XCTAssertNil(reader.sweepTemporaryFiles(), "the lock is held: no sweep")
        XCTAssertTrue(POSIX.exists(layout.partialPath(identity(2))))
        withExtendedLifetime(writer) {}
        writer = nil
        XCTAssertEqual(reader.sweepTemporaryFiles()?.removed, 1)
        XCTAssertFalse(POSIX.exists(layout.partialPath(identity(2))))
    }
}
