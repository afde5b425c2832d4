import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// Ingest into a real store on disk: objects, de-duplication, refusal of a changing source, resume, skipped kinds.
final class IngesterTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var key: SecretKey!
    private var storePath: String { folder.file("store") }

    override func setUpWithError() throws {
        folder = TemporaryFolder("amana-store")
        key = try SecretKey.generate(name: "Field Documenter", organization: "Test Archive")
        try EvidenceStore.create(at: storePath, key: key)
    }

    override func tearDown() {
        StoreTestingHooks.afterSourceRead = nil
        StoreTestingHooks.chunkSize = nil
        StoreTestingHooks.beforeReadBack = nil
        folder = nil
        super.tearDown()
    }

    private func ingest(_ sources: [String], caseID: String = "CASE-1", rehash: Bool = false,
                        metadata: Bool = true) throws -> IngestResult {
        let store = try EvidenceStore.open(storePath, writing: true)
        var request = IngestRequest(sources: sources, caseID: caseID, collector: "Collector A", key: key)
        request.device = "phone 1"
        request.rehash = rehash
        request.metadata = metadata
        let ingester = Ingester(store: store, request: request)
        return try ingester.run(ingester.plan())
    }

    private func sha256(_ bytes: [UInt8]) -> String { MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex }

    func testNewFilesBecomeReadOnlyObjectsAndACopyInTheSameRunIsADuplicate() throws {
        let a = pseudoRandom(300_000, seed: 1), b = pseudoRandom(5_000, seed: 2)
        try folder.write("card/DCIM/a.jpg", a)
        try folder.write("card/DCIM/b.jpg", b)
        try folder.write("card/DCIM/copy-of-a.jpg", a)
        let result = try ingest([folder.file("card")])
        XCTAssertEqual(result.files.map(\.outcome), [.new, .new, .duplicate])  // byte order: a, b, copy-of-a
        XCTAssertEqual(result.files.map { $0.path.replacingOccurrences(of: folder.path + "/", with: "") },
                       ["card/DCIM/a.jpg", "card/DCIM/b.jpg", "card/DCIM/copy-of-a.jpg"])
        let layout = StoreLayout(root: storePath)
        let objectA = layout.objectPath(sha256: sha256(a))
        XCTAssertEqual(try readBytes(objectA), a)
        XCTAssertEqual(POSIX.lstat(objectA)!.st_mode & 0o777, 0o400, "objects are read-only")
        XCTAssertEqual(POSIX.lstat(storePath)!.st_mode & 0o777, 0o700, "the store is private")
        XCTAssertEqual(result.files[2].firstAcquired?.sourcePath, "DCIM/a.jpg")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: layout.temporaryFolder), [], "no partial left")
        let store = try EvidenceStore.open(storePath, writing: false)
        let acquisitions = try store.catalog.acquisitions(sha256: sha256(a))
        XCTAssertEqual(acquisitions.map(\.outcome), [.new, .duplicate])
        XCTAssertEqual(acquisitions.map(\.source.path), ["DCIM/a.jpg", "DCIM/copy-of-a.jpg"])
        XCTAssertEqual(acquisitions.first?.device, "phone 1")
        XCTAssertEqual(acquisitions.first?.source.size, 300_000)
    }

    func testASecondIngestIsAllDuplicatesRecordedAsNewAcquisitions() throws {
        try folder.write("card/a.bin", pseudoRandom(70_000, seed: 3))
        try folder.write("card/b.bin", pseudoRandom(80_000, seed: 4))
        XCTAssertEqual(try ingest([folder.file("card")]).files.map(\.outcome), [.new, .new])
        let again = try ingest([folder.file("card")], caseID: "CASE-2")
        XCTAssertEqual(again.files.map(\.outcome), [.duplicate, .duplicate])
        XCTAssertEqual(again.files.compactMap(\.firstAcquired?.caseID), ["CASE-1", "CASE-1"])
        let store = try EvidenceStore.open(storePath, writing: false)
        let items = try store.catalog.items(caseID: "CASE-2")
        XCTAssertEqual(items.count, 2)
        XCTAssertEqual(items.map(\.cases), [["CASE-1", "CASE-2"], ["CASE-1", "CASE-2"]])
        XCTAssertEqual(try StoreLedger(layout: store.layout, storeID: store.config.storeID, repair: false).count, 4)
    }

    /// The re-run shortcut: an unchanged file is recorded as a duplicate without one byte of it being read, and says
    /// so in its event; a file rewritten in place with the same size and its mtime put back has a new ctime and is
    /// read and hashed again; `--rehash` reads everything.
    func testAReRunRecordsUnchangedFilesWithoutReadingThemAndRehashesAFileChangedInPlace() throws {
        let original = pseudoRandom(90_000, seed: 21)
        try folder.write("card/a.bin", pseudoRandom(70_000, seed: 20))
        let changing = try folder.write("card/b.bin", original)
        var readFrom = Set<String>()
        StoreTestingHooks.afterSourceRead = { display, _ in readFrom.insert((display as NSString).lastPathComponent) }
        XCTAssertEqual(try ingest([folder.file("card")]).files.map(\.outcome), [.new, .new])
        XCTAssertEqual(readFrom, ["a.bin", "b.bin"])

        readFrom = []
        let again = try ingest([folder.file("card")], caseID: "CASE-2")
        XCTAssertEqual(again.files.map(\.outcome), [.duplicate, .duplicate])
        XCTAssertEqual(readFrom, [], "an unchanged source is not read again")
        XCTAssertEqual(again.files.compactMap(\.firstAcquired?.caseID), ["CASE-1", "CASE-1"])

        // Same size, new bytes, and the old mtime put back: only ctime tells, and it must be enough.
        var before = stat()
        XCTAssertEqual(stat(changing, &before), 0)
        var changed = original
        changed[45_000] ^= 0xFF
        let handle = FileHandle(forWritingAtPath: changing)!
        handle.write(Data(changed))
        try handle.close()
        var times = [before.st_atim, before.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, changing, &times, 0), 0)
        var after = stat()
        XCTAssertEqual(stat(changing, &after), 0)
        XCTAssertEqual(after.st_size, before.st_size)
        XCTAssertEqual(after.st_mtim.tv_sec, before.st_mtim.tv_sec)
        XCTAssertEqual(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec)

        readFrom = []
        let third = try ingest([folder.file("card")], caseID: "CASE-3")
        XCTAssertEqual(third.files.map(\.outcome), [.duplicate, .new], "the changed file is hashed and is new content")
        XCTAssertEqual(readFrom, ["b.bin"])
        XCTAssertEqual(third.files[1].sha256, sha256(changed))

        readFrom = []
        let forced = try ingest([folder.file("card")], caseID: "CASE-4", rehash: true)
        XCTAssertEqual(forced.files.map(\.outcome), [.duplicate, .duplicate])
        XCTAssertEqual(readFrom, ["a.bin", "b.bin"], "--rehash reads every source")

        let store = try EvidenceStore.open(storePath, writing: false)
        var entries = [LedgerAudit.Entry]()
        _ = try LedgerAudit.run(layout: store.layout, storeID: store.config.storeID) { entries.append($0) }
        XCTAssertEqual(entries.map { $0.event?.action }, [.ingested, .ingested, .duplicate, .duplicate, .duplicate,
                                                          .ingested, .duplicate, .duplicate])
        XCTAssertEqual(entries.map { $0.event?.details["recognisedBy"] },
                       [nil, nil, "identity", "identity", "identity", nil, nil, nil])
        XCTAssertEqual(entries[1].event?.details["source.ino"], String(before.st_ino))
        XCTAssertEqual(entries[1].event?.details["source.dev"], String(before.st_dev))
        let acquisitions = try store.catalog.acquisitions(sha256: sha256(original))
        XCTAssertEqual(acquisitions.map(\.recognisedByIdentity), [false, true])
    }

    /// A stored object that has gone missing (or the wrong size) is never vouched for by the shortcut: the source is
    /// hashed again.
    func testTheShortcutIsNotTakenWhenTheObjectIsMissing() throws {
        let bytes = pseudoRandom(50_000, seed: 22)
        try folder.write("card/a.bin", bytes)
        _ = try ingest([folder.file("card")])
        let object = StoreLayout(root: storePath).objectPath(sha256: sha256(bytes))
        XCTAssertEqual(unlink(object), 0)
        var reads = 0
        StoreTestingHooks.afterSourceRead = { _, _ in reads += 1 }
        let again = try ingest([folder.file("card")])
        XCTAssertGreaterThan(reads, 0, "the source was hashed")
        XCTAssertEqual(again.files.map(\.outcome), [.duplicate])
    }

    func testASourceThatChangesDuringTheCopyIsRefusedAndNothingIsStored() throws {
        let path = try folder.write("card/growing.mov", pseudoRandom(200_000, seed: 5))
        try folder.write("card/still.jpg", pseudoRandom(1_000, seed: 6))
        StoreTestingHooks.afterSourceRead = { display, _ in
            guard display.hasSuffix("growing.mov") else { return }
            let handle = FileHandle(forWritingAtPath: path)!
            handle.seekToEndOfFile()
            handle.write(Data([1, 2, 3]))
            try handle.close()
        }
        let result = try ingest([folder.file("card")])
        XCTAssertEqual(result.files.map(\.outcome), [.skipped, .new])
        XCTAssertEqual(result.files[0].code, "ingest.source.changed")
        let layout = StoreLayout(root: storePath)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: layout.temporaryFolder), [])
        XCTAssertEqual(try EvidenceStore.open(storePath, writing: false).catalog.items(caseID: nil).count, 1)
    }

    /// An interruption after some chunks: the re-run reads the source only from the first chunk not proven, and a
    /// chunk damaged in the partial file since is copied again.
    func testAnInterruptedCopyResumesFromTheLastGoodChunk() throws {
        StoreTestingHooks.chunkSize = 64 * 1024
        let bytes = pseudoRandom(1_000_000, seed: 7)
        try folder.write("card/long.mp4", bytes)
        struct Interrupted: Error {}
        StoreTestingHooks.afterSourceRead = { _, offset in if offset >= 10 * 65_536 { throw Interrupted() } }
        XCTAssertThrowsError(try ingest([folder.file("card")])) { XCTAssertTrue($0 is Interrupted) }
        let layout = StoreLayout(root: storePath)
        let partials = try FileManager.default.contentsOfDirectory(atPath: layout.temporaryFolder).sorted()
        XCTAssertEqual(partials.count, 2, "a partial copy and its journal: \(partials)")
        let partialPath = layout.temporaryFolder + "/" + partials.first { $0.hasSuffix(".partial") }!
        // Damage chunk 6 of the partial copy: chunks 0-5 stay good, the copy must go on from chunk 6.
        XCTAssertEqual(chmod(partialPath, 0o600), 0)
        let handle = FileHandle(forUpdatingAtPath: partialPath)!
        try handle.seek(toOffset: UInt64(6 * 65_536 + 100))
        handle.write(Data([0xFF ^ bytes[6 * 65_536 + 100]]))
        try handle.close()

        var firstOffset: UInt64?
        StoreTestingHooks.afterSourceRead = { _, offset in if firstOffset == nil { firstOffset = offset } }
        let result = try ingest([folder.file("card")])
        XCTAssertEqual(result.files.map(\.outcome), [.new])
        XCTAssertEqual(firstOffset, UInt64(7 * 65_536), "the first read after resuming ends chunk 6")
        XCTAssertEqual(try readBytes(layout.objectPath(sha256: sha256(bytes))), bytes)
        XCTAssertEqual(result.files[0].sha256, sha256(bytes))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: layout.temporaryFolder), [])
    }

    func testSymlinksSpecialFilesAndNamesThatAreNotUTF8AreSkippedWithReasons() throws {
        try folder.write("card/good.jpg", pseudoRandom(1_000, seed: 8))
        XCTAssertEqual(symlink(folder.file("card/good.jpg"), folder.file("card/link.jpg")), 0)
        XCTAssertEqual(mkfifo(folder.file("card/pipe"), 0o600), 0)
        let badName = Array(folder.file("card/bad-").utf8) + [0xFF, 0x2E, 0x6A, 0x70, 0x67, 0]
        let fd = badName.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o600) } }
        XCTAssertGreaterThanOrEqual(fd, 0)
        close(fd)
        let result = try ingest([folder.file("card")])
        let byName = Dictionary(uniqueKeysWithValues: result.files.map { (POSIX.lastComponent(of: $0.path), $0) })
        XCTAssertEqual(byName["good.jpg"]?.outcome, .new)
        XCTAssertEqual(byName["link.jpg"]?.code, "ingest.source.symlink")
        XCTAssertEqual(byName["pipe"]?.code, "ingest.source.special")
        XCTAssertEqual(result.files.filter { $0.code == "ingest.source.name" }.count, 1)
        XCTAssertEqual(result.count(.skipped), 3)
        XCTAssertTrue(result.anySkipped)
    }

    func testRebuildingTheCatalogFromTheLedgerGivesTheSameRows() throws {
        try folder.write("card/a.bin", pseudoRandom(10_000, seed: 9))
        try folder.write("card/b.bin", pseudoRandom(20_000, seed: 10))
        _ = try ingest([folder.file("card")])
        _ = try ingest([folder.file("card/a.bin")], caseID: "CASE-2")
        var store: EvidenceStore? = try EvidenceStore.open(storePath, writing: true)
        _ = try StoreScrubber(store: store!).run(try StoreScrubber(store: store!).items().items, key: key, role: "archivist")
        let before = try store!.catalog.snapshot()
        let layout = store!.layout
        store = nil  // releases the writer lock, which the rebuild takes
        XCTAssertEqual(before["acquisitions"]?.count, 3)
        XCTAssertEqual(before["scrubs"]?.count, 1)
        XCTAssertEqual(before["derived_records"]?.count, 2, "one metadata record per new object")
        for suffix in ["", "-wal", "-shm"] { unlink(layout.catalogPath + suffix) }
        let rebuilt = try EvidenceStore.rebuildCatalog(storePath)
        XCTAssertEqual(rebuilt.events, 4)
        XCTAssertEqual(rebuilt.missing, [])
        let after = try SQLiteCatalog(path: layout.catalogPath).snapshot()
        XCTAssertEqual(after, before)
    }

    func testTheLedgerIsSignedChainedAndCheckpointed() throws {
        try folder.write("card/a.bin", pseudoRandom(10_000, seed: 11))
        _ = try ingest([folder.file("card")])
        _ = try ingest([folder.file("card")])
        let store = try EvidenceStore.open(storePath, writing: false)
        var entries = [LedgerAudit.Entry]()
        let checkpoints = try LedgerAudit.run(layout: store.layout, storeID: store.config.storeID) { entries.append($0) }
        XCTAssertEqual(entries.count, 2)
        XCTAssertTrue(entries.allSatisfy { $0.problems.isEmpty && $0.signatureValid })
        XCTAssertEqual(entries.compactMap { $0.event?.details["outcome"] }, ["new", "duplicate"])
        XCTAssertEqual(entries.compactMap { $0.event?.action }, [.ingested, .duplicate])
        XCTAssertEqual(checkpoints.map(\.checkpoint.size), [0, 1, 2], "init, then one checkpoint per command")
        XCTAssertTrue(checkpoints.allSatisfy { $0.problems.isEmpty })

        // One changed byte in an event breaks its signature and the next event's chain.
        let ledgerPath = store.layout.ledgerPath
        var text = String(decoding: try readBytes(ledgerPath), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"collector\":\"Collector A\"", with: "\"collector\":\"Collector B\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: ledgerPath))
        entries = []
        let after = try LedgerAudit.run(layout: store.layout, storeID: store.config.storeID) { entries.append($0) }
        XCTAssertEqual(entries.map(\.problems), [["store.ledger.signature"], ["store.ledger.chain", "store.ledger.signature"]])
        XCTAssertEqual(after.map(\.problems), [[], ["store.checkpoint.mismatch"], ["store.checkpoint.mismatch"]])
    }

    func testScrubReportsAFlippedByteWithTheItemAndEveryCase() throws {
        let bytes = pseudoRandom(50_000, seed: 12)
        try folder.write("card/a.bin", bytes)
        _ = try ingest([folder.file("card")])
        _ = try ingest([folder.file("card")], caseID: "CASE-9")
        let layout = StoreLayout(root: storePath)
        let object = layout.objectPath(sha256: sha256(bytes))
        XCTAssertEqual(chmod(object, 0o600), 0)
        var damaged = bytes
        damaged[1234] ^= 0x01
        try Data(damaged).write(to: URL(fileURLWithPath: object))
        let store = try EvidenceStore.open(storePath, writing: true)
        let scrubber = StoreScrubber(store: store)
        let result = try scrubber.run(try scrubber.items().items, key: key, role: nil)
        XCTAssertEqual(result.checked, 1)
        XCTAssertEqual(result.damage.map(\.problem), [.damaged])
        XCTAssertEqual(result.damage.first?.item.cases, ["CASE-1", "CASE-9"])
        XCTAssertEqual(result.damage.first?.item.first.source.path, "a.bin")
        XCTAssertEqual(result.checkpoint?.size, 3)
    }

    func testATornLastLedgerLineIsCutOffByTheNextWriter() throws {
        try folder.write("card/a.bin", pseudoRandom(1_000, seed: 13))
        _ = try ingest([folder.file("card")])
        let layout = StoreLayout(root: storePath)
        let handle = FileHandle(forWritingAtPath: layout.ledgerPath)!
        handle.seekToEndOfFile()
        handle.write(Data("{\"action\":\"ingested\",\"act".utf8))
        try handle.close()
        try folder.write("card/b.bin", pseudoRandom(2_000, seed: 14))
        XCTAssertEqual(try ingest([folder.file("card/b.bin")]).files.map(\.outcome), [.new])
        let store = try EvidenceStore.open(storePath, writing: false)
        var problems = [[String]]()
        _ = try LedgerAudit.run(layout: layout, storeID: store.config.storeID) { problems.append($0.problems) }
        XCTAssertEqual(problems, [[], []])
    }

    /// How many pages of `path` are in the page cache, by `mincore` on a mapping of the file (nil if it cannot map).
    private static func residentPages(_ path: String) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let map = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), map != UnsafeMutableRawPointer(bitPattern: -1)
        else { return nil }
        defer { munmap(map, size) }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: (size + pageSize - 1) / pageSize)
        guard mincore(map, size, &vector) == 0 else { return nil }
        return vector.filter { $0 & 1 != 0 }.count
    }

    /// Issue 13: the proof is read from the disk, not from memory. Just before the read-back, not one page of the
    /// fsynced copy may still be in the page cache (the copy dropped them with POSIX_FADV_DONTNEED). The control
    /// shows that the same observation does see the pages of a file just written, so the test can fail.
    func testTheReadBackFindsNoPageOfTheCopyInTheCache() throws {
        let bytes = pseudoRandom(3_000_000, seed: 21)
        let source = try folder.write("card/video.mp4", bytes)
        guard let control = IngesterTests.residentPages(source), control > 0 else {
            throw XCTSkip("this file system does not keep written pages in a page cache mincore can see")
        }
        // The hooks run on this thread: the ingest and the scrub call them synchronously.
        var checks = [(path: String, resident: Int?)]()
        StoreTestingHooks.beforeReadBack = { path in checks.append((path, IngesterTests.residentPages(path))) }
        XCTAssertEqual(try ingest([source]).files.map(\.outcome), [.new])
        XCTAssertEqual(checks.count, 1, "one read-back per new copy")
        XCTAssertTrue(checks.first?.path.hasSuffix(".partial") ?? false, "the copy is proven before it is renamed")
        XCTAssertEqual(checks.first?.resident, 0, "pages of the copy were still cached before the read-back")
        // The scrub drops the pages of each object the same way before hashing it.
        var scrubbed = [Int?]()
        StoreTestingHooks.beforeReadBack = { path in scrubbed.append(IngesterTests.residentPages(path)) }
        let store = try EvidenceStore.open(storePath, writing: false)
        let object = StoreLayout(root: storePath).objectPath(sha256: sha256(bytes))
        _ = try readBytes(object)  // the object's pages are now cached
        XCTAssertGreaterThan(IngesterTests.residentPages(object) ?? 0, 0)
        let result = try StoreScrubber(store: store).run(try StoreScrubber(store: store).items().items, key: nil, role: nil)
        XCTAssertEqual(result.damage.count, 0)
        XCTAssertEqual(scrubbed, [0])
    }

    /// Issue 14 in the store: each new object gets its capture metadata record, kept under records/ by its own
    /// SHA-256 and named by the signed ingested event; a duplicate gets none, and --no-metadata turns it off.
    func testANewObjectGetsItsMetadataRecordBesideItNamedByTheSignedEvent() throws {
        // A JPEG start with an EXIF Make, as a camera writes it, then random bytes.
        let exif: [UInt8] = Array("Exif".utf8) + [0, 0] + [0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8, 0, 1,
            0x01, 0x0F, 0, 2, 0, 0, 0, 6, 0, 0, 0, 26, 0, 0, 0, 0] + Array("Canon".utf8) + [0]
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0, UInt8(exif.count + 2)] + exif + [0xFF, 0xD9]
            + pseudoRandom(10_000, seed: 22)
        try folder.write("card/IMG_1.jpg", jpeg)
        try folder.write("card/IMG_1-copy.jpg", jpeg)
        try folder.write("other/IMG_2.jpg", pseudoRandom(4_000, seed: 23))
        XCTAssertEqual(try ingest([folder.file("card")]).files.map(\.outcome), [.new, .duplicate])
        let store = try EvidenceStore.open(storePath, writing: false)
        let records = try store.catalog.derivedRecords(sha256: sha256(jpeg))
        XCTAssertEqual(records.count, 1, "the duplicate derives nothing")
        let derived = try XCTUnwrap(records.first)
        XCTAssertEqual(derived.kind, .metadata)
        XCTAssertEqual(derived.seq, 1)
        let path = store.layout.recordPath(sha256: derived.recordSHA256)
        let bytes = try readBytes(path)
        XCTAssertEqual(sha256(bytes), derived.recordSHA256, "named by its own SHA-256")
        XCTAssertEqual(POSIX.lstat(path)!.st_mode & 0o777, 0o400)
        let record = try XCTUnwrap(DerivedRecordWriter.read(sha256: derived.recordSHA256, layout: store.layout))
        XCTAssertEqual(record.mediaType, MetadataRecord.mediaTypeV1)
        XCTAssertEqual(record.subject.name, "IMG_1-copy.jpg", "byte order: the copy comes first and is the new one")
        XCTAssertEqual(record.subject.format, "jpeg")
        XCTAssertEqual(record.first(.make)?.normalised, "Canon")
        // The same record amana seal and amana metadata derive from the same bytes, read the same way.
        let direct = try MetadataReader.read(path: folder.file("card/IMG_1.jpg"), name: "IMG_1.jpg",
                                             acquisitionTime: nil)
        XCTAssertEqual(record.values.filter { $0.field != .fileModifyTime }, direct.values.filter { $0.field != .fileModifyTime })
        // The signed event names the record; the catalog row comes from it.
        let event = try CustodyEvent(line: Array(try readBytes(store.layout.ledgerPath).split(separator: 0x0A)[0]))
        XCTAssertEqual(event.details["derived.metadata"], derived.recordSHA256)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.layout.temporaryFolder), [])

        XCTAssertEqual(try ingest([folder.file("other")], metadata: false).files.map(\.outcome), [.new])
        XCTAssertEqual(try store.catalog.derivedRecords(sha256: sha256(pseudoRandom(4_000, seed: 23))), [])
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
