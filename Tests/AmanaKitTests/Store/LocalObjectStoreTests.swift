import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// The local folder behind the ``ObjectStore`` protocol: what the Ingester, the scrubber and the export rely on,
/// checked on a real store folder.
final class LocalObjectStoreTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var layout: StoreLayout!
    private var objects: LocalObjectStore!

    override func setUpWithError() throws {
        folder = TemporaryFolder("amana-objects")
        let key = try SecretKey.generate(name: "Keeper", organization: nil)
        try EvidenceStore.create(at: folder.file("store"), key: key)
        layout = StoreLayout(root: folder.file("store"))
        objects = LocalObjectStore(layout: layout)
    }

    override func tearDown() {
        StoreTestingHooks.afterSourceRead = nil
        objects = nil
        folder = nil
        super.tearDown()
    }

    private func digests(_ bytes: [UInt8]) -> (String, String) {
        let all = MultiDigest.digests(of: bytes, [.sha256, .sha512])
        return (all[.sha256]!.hex, all[.sha512]!.hex)
    }

    func testTheLocalFolderKeepsTheObjectStoreContract() throws {
        try ObjectStoreContract.run(objects, sources: folder)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: layout.temporaryFolder), [],
                       "no partial copy, journal or record left in tmp/")
    }

    func testPutProvesStoresReadOnlyAndReadsBackByRef() throws {
        let bytes = pseudoRandom(5_000_000, seed: 41)
        try folder.write("card/a.bin", bytes)
        let (sha256, sha512) = digests(bytes)
        var asked = [String]()
        let outcome = try objects.put(try ReadOnlyFile(path: folder.file("card/a.bin")), attempt: String(repeating: "1", count: 64),
                                      display: "a.bin") { asked.append($0); return false }
        let ref = StoredObjectRef(sha256: sha256, sha512: sha512, size: UInt64(bytes.count))
        XCTAssertEqual(outcome, .stored(ref), "a local object has no version id")
        XCTAssertEqual(asked, [sha256], "asked once, with the content's SHA-256")
        XCTAssertEqual(POSIX.lstat(layout.objectPath(sha256: sha256))!.st_mode & 0o777, 0o400)
        XCTAssertTrue(objects.exists(ref))
        XCTAssertEqual(objects.storedSize(ref), UInt64(bytes.count))
        var read = [UInt8]()
        var calls = 0
        try objects.read(ref) { read += $0; calls += 1 }
        XCTAssertEqual(read, bytes)
        XCTAssertGreaterThan(calls, 1, "streamed a buffer at a time, not read whole")
        let again = try objects.rehash(ref)
        XCTAssertEqual(again.sha256, sha256)
        XCTAssertEqual(again.sha512, sha512)
        XCTAssertEqual(again.size, UInt64(bytes.count))
        XCTAssertEqual(objects.localPath(ref), layout.objectPath(sha256: sha256))
        XCTAssertEqual(try objects.retention(ref), .notApplicable)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: layout.temporaryFolder), [])
    }

    func testContentTheStoreAlreadyRecordsIsNotPlaced() throws {
        let bytes = pseudoRandom(70_000, seed: 42)
        try folder.write("card/b.bin", bytes)
        let (sha256, sha512) = digests(bytes)
        let outcome = try objects.put(try ReadOnlyFile(path: folder.file("card/b.bin")), attempt: String(repeating: "2", count: 64),
                                      display: "b.bin") { _ in true }
        XCTAssertEqual(outcome, .alreadyStored(sha256: sha256, sha512: sha512, size: UInt64(bytes.count)))
        XCTAssertFalse(POSIX.exists(layout.objectPath(sha256: sha256)), "nothing placed under the object's name")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: layout.temporaryFolder), [], "no partial left")
    }

    func testASourceThatChangesWhileStoredLeavesNothing() throws {
        let path = folder.file("card/c.bin")
        try folder.write("card/c.bin", pseudoRandom(9_000_000, seed: 43))
        StoreTestingHooks.afterSourceRead = { display, _ in
            guard display == "c.bin" else { return }
            let fd = open(path, O_WRONLY | O_APPEND)
            _ = write(fd, "x", 1)
            close(fd)
        }
        XCTAssertThrowsError(try objects.put(try ReadOnlyFile(path: path), attempt: String(repeating: "3", count: 64),
                                             display: "c.bin") { _ in false }) { error in
            XCTAssertEqual((error as? AmanaError)?.code, .sourceChanged)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: layout.temporaryFolder), [])
        var found = [String]()
        try objects.forEachObject { found.append($0) }
        XCTAssertEqual(found, [])
    }

    func testEnumerationListsEveryObjectAndNothingElse() throws {
        var expected = [String]()
        for seed in 1...3 {
            let bytes = pseudoRandom(1_000 * seed, seed: UInt64(50 + seed))
            try folder.write("card/\(seed).bin", bytes)
            _ = try objects.put(try ReadOnlyFile(path: folder.file("card/\(seed).bin")),
                                attempt: String(repeating: "\(seed)", count: 64), display: "\(seed).bin") { _ in false }
            expected.append(digests(bytes).0)
        }
        // Not objects: a stray file with a short name, and a record (records live beside the objects, never among them).
        let stray = POSIX.parentDirectory(of: layout.objectPath(sha256: expected[0])) + "/notes.txt"
        try Data("x".utf8).write(to: URL(fileURLWithPath: stray))
        let record = Array("{\"a\":1}\n".utf8)
        try objects.putRecord(record, sha256: digests(record).0)
        var found = [String]()
        try objects.forEachObject { found.append($0) }
        XCTAssertEqual(found.sorted(), expected.sorted())
        XCTAssertTrue(objects.recordExists(sha256: digests(record).0))
        XCTAssertEqual(objects.record(sha256: digests(record).0), record)
        XCTAssertNil(objects.record(sha256: expected[0]), "an object is not a record")
    }

    func testADamagedRecordIsNotReturned() throws {
        let record = Array("{\"b\":2}\n".utf8)
        let sha256 = digests(record).0
        try objects.putRecord(record, sha256: sha256)
        let path = layout.recordPath(sha256: sha256)
        chmod(path, 0o600)
        try Data("{\"b\":3}\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertTrue(objects.recordExists(sha256: sha256))
        XCTAssertNil(objects.record(sha256: sha256))
    }

    private func pseudoRandom(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }
}
