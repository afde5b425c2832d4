import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// What every ``ObjectStore`` must do, whatever keeps the bytes: each back end's tests run this same contract on a
/// real instance (the local folder now; S3 when it is plugged in), so the back ends cannot drift apart.
///
/// `folder` holds the sources; `objects` must be empty. A source is changed mid-read through
/// ``StoreTestingHooks/afterSourceRead``, so the back end must read its sources through ``ReadOnlyFile`` reads that
/// call it (as ``ObjectCopier`` does).
enum ObjectStoreContract {
    static func run(_ objects: ObjectStore, sources folder: TemporaryFolder, file: StaticString = #filePath,
                    line: UInt = #line) throws {
        defer { StoreTestingHooks.afterSourceRead = nil }
        func digests(_ bytes: [UInt8]) -> (String, String) {
            let all = MultiDigest.digests(of: bytes, [.sha256, .sha512])
            return (all[.sha256]!.hex, all[.sha512]!.hex)
        }
        func attempt(_ n: Int) -> String { String(repeating: String(n % 10), count: 64) }

        // Stored, proven, readable by ref in a stream, re-hashable.
        let bytes = contractBytes(6_000_000, seed: 91)
        let path = try folder.write("contract/a.bin", bytes)
        let (sha256, sha512) = digests(bytes)
        var asked = [String]()
        let outcome = try objects.put(try ReadOnlyFile(path: path), attempt: attempt(1), display: "a.bin") {
            asked.append($0)
            return false
        }
        guard case .stored(let ref) = outcome else { return XCTFail("not stored: \(outcome)", file: file, line: line) }
        XCTAssertEqual(asked, [sha256], "asked once, with the content's SHA-256", file: file, line: line)
        XCTAssertEqual([ref.sha256, ref.sha512], [sha256, sha512], file: file, line: line)
        XCTAssertEqual(ref.size, UInt64(bytes.count), file: file, line: line)
        XCTAssertTrue(objects.exists(ref), file: file, line: line)
        XCTAssertEqual(objects.storedSize(ref), UInt64(bytes.count), file: file, line: line)
        var read = [UInt8]()
        var buffers = 0
        try objects.read(ref) { read += $0; buffers += 1 }
        XCTAssertEqual(read, bytes, file: file, line: line)
        XCTAssertGreaterThan(buffers, 1, "streamed, not read whole", file: file, line: line)
        let again = try objects.rehash(ref)
        XCTAssertEqual([again.sha256, again.sha512], [sha256, sha512], file: file, line: line)
        XCTAssertEqual(again.size, UInt64(bytes.count), file: file, line: line)
        XCTAssertNoThrow(try objects.retention(ref), file: file, line: line)

        // Content the store already records is not placed.
        let known = contractBytes(70_000, seed: 92)
        let knownPath = try folder.write("contract/b.bin", known)
        let (knownSHA256, knownSHA512) = digests(known)
        let second = try objects.put(try ReadOnlyFile(path: knownPath), attempt: attempt(2), display: "b.bin") { _ in true }
        XCTAssertEqual(second, .alreadyStored(sha256: knownSHA256, sha512: knownSHA512, size: UInt64(known.count)),
                       file: file, line: line)
        let knownRef = StoredObjectRef(sha256: knownSHA256, sha512: knownSHA512, size: UInt64(known.count))
        XCTAssertFalse(objects.exists(knownRef), "nothing placed under its name", file: file, line: line)

        // A source that changes while it is stored is refused, and nothing of it is stored.
        let changing = try folder.write("contract/c.bin", contractBytes(9_000_000, seed: 93))
        StoreTestingHooks.afterSourceRead = { display, _ in
            guard display == "c.bin" else { return }
            let fd = open(changing, O_WRONLY | O_APPEND)
            _ = write(fd, "x", 1)
            close(fd)
        }
        XCTAssertThrowsError(try objects.put(try ReadOnlyFile(path: changing), attempt: attempt(3), display: "c.bin") { _ in false },
                             file: file, line: line) { error in
            XCTAssertEqual((error as? AmanaError)?.code, .sourceChanged, file: file, line: line)
        }
        StoreTestingHooks.afterSourceRead = nil
        objects.discardAttempt(attempt(3))

        // Records: stored under their own SHA-256, returned only when they still hash to it.
        let record = Array("{\"contract\":1}\n".utf8)
        let recordSHA256 = digests(record).0
        XCTAssertFalse(objects.recordExists(sha256: recordSHA256), file: file, line: line)
        try objects.putRecord(record, sha256: recordSHA256)
        try objects.putRecord(record, sha256: recordSHA256)  // again: the same bytes by construction, no error
        XCTAssertTrue(objects.recordExists(sha256: recordSHA256), file: file, line: line)
        XCTAssertEqual(objects.record(sha256: recordSHA256), record, file: file, line: line)
        XCTAssertNil(objects.record(sha256: sha256), "an object is not a record", file: file, line: line)

        // The enumeration lists exactly the objects stored: not the refused, not the known, not the record.
        var listed = [String]()
        try objects.forEachObject { listed.append($0) }
        XCTAssertEqual(listed, [sha256], file: file, line: line)
    }

    static func contractBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }
}
