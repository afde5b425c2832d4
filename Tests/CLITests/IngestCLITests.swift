import AmanaKit
import AmanaTestSupport
import Foundation
import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `amana ingest` through the real binary: originals untouched, duplicates, skipped files, concurrent writers, and
/// SIGKILL at random points.
final class IngestCLITests: XCTestCase {
    private var fixture: CLIFixture!
    private var store: String { fixture.folder.file("store") }

    override func setUpWithError() throws {
        fixture = try CLIFixture()
        let result = try amana(["store", "init", store, "--key", fixture.key])
        XCTAssertEqual(result.status, 0, "\(result)")
    }

    private func ingest(_ sources: [String], caseID: String = "CASE-1", extra: [String] = []) throws -> RunResult {
        try amana(["ingest"] + sources + ["--store", store, "--case", caseID, "--collector", "Field Collector",
                                          "--key", fixture.key] + extra)
    }

    /// A source tree of `count` pseudo-random files of `size` bytes.
    private func makeTree(_ name: String, count: Int, size: Int, seed: UInt8) throws -> String {
        for index in 0..<count {
            var bytes = [UInt8](repeating: 0, count: size)
            var state = UInt64(seed) << 32 + UInt64(index) * 2 + 1
            for offset in bytes.indices {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                bytes[offset] = UInt8(truncatingIfNeeded: state >> 56)
            }
            try fixture.folder.write("\(name)/DCIM/IMG_\(index).jpg", bytes)
        }
        return fixture.folder.file(name)
    }

    /// mtime and atime, read with `lstat` only: reading the bytes here would itself move the atime.
    private func times(_ path: String) -> [Int] {
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0)
        return [info.st_mtim.tv_sec, info.st_mtim.tv_nsec, info.st_atim.tv_sec, info.st_atim.tv_nsec]
    }

    private func sha256(_ path: String) throws -> String {
        MultiDigest.digests(of: try readBytes(path), [.sha256])[.sha256]!.hex
    }

    func testAReadOnlySourceTreeKeepsItsBytesMtimesAndAtimes() throws {
        let tree = try makeTree("card", count: 3, size: 100_000, seed: 1)
        let files = (0..<3).map { "\(tree)/DCIM/IMG_\($0).jpg" }
        let digests = try files.map(sha256)
        // An atime far in the past: under relatime any ordinary read would move it to now.
        var newTimes = [timespec(tv_sec: 1_500_000_000, tv_nsec: 123), timespec(tv_sec: 0, tv_nsec: (1 << 30) - 2 /* UTIME_OMIT */)]
        for file in files { XCTAssertEqual(utimensat(AT_FDCWD, file, &newTimes, 0), 0) }
        for file in files { XCTAssertEqual(chmod(file, 0o444), 0) }
        for folder in ["\(tree)/DCIM", tree] { XCTAssertEqual(chmod(folder, 0o555), 0) }
        defer { for folder in [tree, "\(tree)/DCIM"] { chmod(folder, 0o755) } }
        let before = files.map(times)
        XCTAssertEqual(before.first?[2], 1_500_000_000)
        let result = try ingest([tree])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(files.map(times), before, "the mtime or atime of a source changed")
        XCTAssertEqual(try files.map(sha256), digests, "the bytes of a source changed")
        XCTAssertTrue(result.stdout.hasPrefix("ingested into case CASE-1: 3 new, 0 duplicate, 0 skipped\n"), result.stdout)
    }

    func testASecondIngestIsAllDuplicatesAndJSONSaysSo() throws {
        let tree = try makeTree("card", count: 2, size: 50_000, seed: 2)
        XCTAssertEqual(try ingest([tree]).status, 0)
        let again = try ingest([tree], caseID: "CASE-2", extra: ["--json"])
        XCTAssertEqual(again.status, 0, "\(again)")
        let document = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(document["mediaType"] as? String, "application/vnd.amana.ingest-summary+json;version=1")
        XCTAssertEqual(document["new"] as? Int, 0)
        XCTAssertEqual(document["duplicate"] as? Int, 2)
        let files = document["files"] as! [[String: Any]]
        XCTAssertEqual(files.compactMap { ($0["firstAcquired"] as? [String: Any])?["case"] as? String }, ["CASE-1", "CASE-1"])
        XCTAssertEqual((document["ledger"] as? [String: Any])?["size"] as? Int, 4, "two acquisitions per run")
    }

    /// The re-run shortcut through the binary: the ledger shows `duplicate` events recognised by identity, and
    /// `--rehash` writes duplicates found by hashing instead; `store log` still verifies the batched events.
    func testAReRunUsesTheShortcutAndRehashTurnsItOff() throws {
        let tree = try makeTree("card", count: 3, size: 20_000, seed: 4)
        XCTAssertEqual(try ingest([tree]).status, 0)
        let again = try ingest([tree], caseID: "CASE-2")
        XCTAssertTrue(again.stdout.hasPrefix("ingested into case CASE-2: 0 new, 3 duplicate, 0 skipped\n"), again.stdout)
        let forced = try ingest([tree], caseID: "CASE-3", extra: ["--rehash"])
        XCTAssertEqual(forced.status, 0, "\(forced)")
        let log = try amana(["store", "log", "--store", store])
        XCTAssertEqual(log.status, 0, "\(log)")
        let lines = log.stdout.split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.contains(" ingested ") }.count, 3, log.stdout)
        XCTAssertEqual(lines.filter { $0.contains(" duplicate ") }.count, 6, log.stdout)
        XCTAssertEqual(lines.filter { $0.contains("recognisedBy: identity") }.count, 3, log.stdout)
        XCTAssertTrue(log.stdout.hasSuffix("9 events and 4 checkpoints verify\n"), log.stdout)
    }

    func testSkippedFilesAreListedWithReasonsAndExitOne() throws {
        let tree = try makeTree("card", count: 1, size: 1_000, seed: 3)
        XCTAssertEqual(symlink("IMG_0.jpg", "\(tree)/DCIM/link.jpg"), 0)
        XCTAssertEqual(mkfifo("\(tree)/DCIM/pipe", 0o600), 0)
        let result = try ingest([tree])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertEqual(result.stderr, "")
        XCTAssertTrue(result.stdout.contains("  skipped    \(tree)/DCIM/link.jpg  ingest.source.symlink: a symbolic link, not followed\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("  skipped    \(tree)/DCIM/pipe  ingest.source.special: a fifo, not a regular file\n"), result.stdout)
        XCTAssertTrue(result.stdout.hasPrefix("ingested into case CASE-1: 1 new, 0 duplicate, 2 skipped\n"), result.stdout)
    }

    func testBadArgumentsFailWithOneLineAndNoStore() throws {
        let missing = try amana(["ingest", fixture.folder.file("nothing"), "--store", fixture.folder.file("no-store"),
                                 "--case", "C", "--collector", "X", "--key", fixture.key])
        XCTAssertEqual(missing.status, 66, "\(missing)")
        XCTAssertEqual(missing.stderr.split(separator: "\n").first.map(String.init),
                       "amana: error: \(fixture.folder.file("no-store")) is not a folder")
        let control = try ingest([fixture.folder.path], extra: ["--note", "two\nlines"])
        XCTAssertEqual(control.status, 64, "\(control)")
    }

    func testTwoConcurrentIngestsIntoOneStoreBothComplete() throws {
        let first = try makeTree("card-a", count: 6, size: 400_000, seed: 4)
        let second = try makeTree("card-b", count: 6, size: 400_000, seed: 5)
        let results = Mutex([RunResult?](repeating: nil, count: 2))
        // Only ingest() is called from the two threads; it starts a process and touches no shared test state.
        nonisolated(unsafe) let test = self
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let result = try? test.ingest([[first, second][index]], caseID: "CASE-\(index)")
            results.withLock { $0[index] = result }
        }
        for result in results.withLock({ $0 }) { XCTAssertEqual(result?.status, 0, "\(String(describing: result))") }
        let log = try amana(["store", "log", "--store", store])
        XCTAssertEqual(log.status, 0, "\(log)")
        XCTAssertTrue(log.stdout.hasSuffix("12 events and 3 checkpoints verify\n"), log.stdout)
        let verify = try amana(["store", "verify", "--store", store])
        XCTAssertEqual(verify.status, 0, "\(verify)")
        XCTAssertTrue(verify.stdout.contains("checked 12 objects"), verify.stdout)
    }

    /// A store on a 2 MiB tmpfs (we run as root; skipped where the sandbox refuses the mount): the ingest stops with
    /// one error and exit 74, what was stored verifies, and after the disk grows the same command finishes the job.
    func testAFullDiskStopsWithOneErrorAndWhatWasStoredStaysValid() throws {
        guard let mount = TestEnvironment.tool("mount"), let umount = TestEnvironment.tool("umount") else {
            throw XCTSkip("mount is not installed")
        }
        let disk = fixture.folder.file("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        let attempt = try runTool(mount, ["-t", "tmpfs", "-o", "size=2m", "tmpfs", disk])
        guard attempt.status == 0 else { throw XCTSkip("the sandbox refused a tmpfs mount: \(attempt.stderr)") }
        defer { _ = try? runTool(umount, ["-l", disk]) }
        let small = disk + "/store"
        XCTAssertEqual(try amana(["store", "init", small, "--key", fixture.key]).status, 0)
        // Three files fit with the catalog, the ledger and the metadata records; the disk fills before the fourth is
        // recorded (while the third's event is indexed, or the fourth is copied).
        let tree = try makeTree("card", count: 5, size: 600_000, seed: 7)
        let arguments = ["ingest", tree, "--store", small, "--case", "C", "--collector", "X", "--key", fixture.key]
        let full = try amana(arguments)
        XCTAssertEqual(full.status, 74, "\(full)")
        XCTAssertEqual(full.stderr, "amana: error: the store's disk is full\namana: hint: free space or use another store; everything stored so far stays valid\n")
        // A read-only check still runs on the full disk; what the catalog could not index yet it says it skipped.
        let verify = try amana(["store", "verify", "--store", small])
        XCTAssertEqual(verify.status, 0, "\(verify)")
        XCTAssertTrue(verify.stderr.isEmpty || verify.stderr.hasPrefix("amana: warning: the catalog lacks the newest ledger events"),
                      verify.stderr)
        XCTAssertEqual(try amana(["store", "log", "--store", small]).status, 0)
        XCTAssertEqual(try runTool(mount, ["-o", "remount,size=16m", disk]).status, 0)
        let again = try amana(arguments)
        XCTAssertEqual(again.status, 0, "\(again)")
        XCTAssertTrue(try amana(["store", "list", "--store", small]).stdout.hasPrefix("5 items\n"))
        XCTAssertEqual(try amana(["store", "verify", "--store", small]).status, 0)
    }

    /// SIGKILL at random points of an ingest, then the same command again. After every kill: every file under
    /// `objects/` holds exactly the bytes its name says (no half object is ever visible), and the ledger verifies.
    /// At the end every source is in the store exactly once and a scrub finds nothing wrong.
    func testIngestKilledAtRandomPointsResumesAndNeverShowsAHalfObject() throws {
        let tree = try makeTree("card", count: 6, size: 3_000_000, seed: 6)
        let arguments = ["ingest", tree, "--store", store, "--case", "CASE-K", "--collector", "K", "--key", fixture.key]
        var seed = UInt64(ProcessInfo.processInfo.environment["AMANA_CRASH_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)
        print("ingest crash test seed \(seed)")
        var kills = 0
        for _ in 0..<8 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let delay = Double(seed >> 40 % 1000) / 1000 * 0.6
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestEnvironment.amanaBinary)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning { kill(process.processIdentifier, SIGKILL); kills += 1 }
            process.waitUntilExit()
            try assertObjectsAreWhole()
            let log = try amana(["store", "log", "--store", store])
            XCTAssertEqual(log.status, 0, "after a kill \(delay) s in (seed \(seed))\n\(log)")
        }
        let last = try amana(arguments)
        XCTAssertEqual(last.status, 0, "\(last)")
        try assertObjectsAreWhole()
        let list = try amana(["store", "list", "--store", store])
        XCTAssertTrue(list.stdout.hasPrefix("6 items\n"), list.stdout)
        let verify = try amana(["store", "verify", "--store", store])
        XCTAssertEqual(verify.status, 0, "\(verify)")
        for index in 0..<6 {
            XCTAssertEqual(try amana(["store", "find", "\(tree)/DCIM/IMG_\(index).jpg", "--store", store]).status, 0)
        }
        print("ingest crash test: \(kills) of 8 runs killed")
    }

    /// Issue 13: what a SIGKILLed ingest leaves in tmp/. The kill comes right after the first 64 MiB chunk of a
    /// large file was journalled. `store verify` (taking the free lock) removes the leftovers no run can use and keeps
    /// the resumable copy; the next ingest resumes it and leaves tmp/ empty.
    func testAKilledIngestsLeftoversAreClearedAndItsJournalledCopyStillResumes() throws {
        let source = fixture.folder.file("card/long.mov")
        try FileManager.default.createDirectory(atPath: fixture.folder.file("card"), withIntermediateDirectories: true)
        var block = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761) >> 13) }
        let handle = try XCTUnwrap({ () -> FileHandle? in
            _ = FileManager.default.createFile(atPath: source, contents: nil)
            return FileHandle(forWritingAtPath: source)
        }())
        for index in 0..<150 {
            block[0] = UInt8(index)  // no two MiB alike
            handle.write(Data(block))
        }
        try handle.close()
        let tmp = store + "/tmp"
        let arguments = ["ingest", source, "--store", store, "--case", "CASE-K", "--collector", "K", "--key", fixture.key]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.amanaBinary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        func journalLines() -> Int {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []
            guard let journal = names.first(where: { $0.hasSuffix(".journal") && !$0.hasPrefix(".") }),
                  let bytes = FileManager.default.contents(atPath: tmp + "/" + journal) else { return 0 }
            return bytes.filter { $0 == 0x0A }.count
        }
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && journalLines() < 2 && Date() < deadline { usleep(2_000) }
        XCTAssertTrue(process.isRunning, "the ingest finished before the test could kill it")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let resumable = try FileManager.default.contentsOfDirectory(atPath: tmp).sorted()
        XCTAssertEqual(resumable.count, 2, "a partial copy and its journal: \(resumable)")
        // Leftovers of other kills: a journal whose copy was already placed, a journal rewrite cut short.
        let orphan = String(repeating: "e", count: 64)
        try fixture.folder.write("store/tmp/\(orphan).journal", "amana-ingest-journal-v1 67108864 \(orphan)\n")
        try fixture.folder.write("store/tmp/.amana-partial-\(orphan).journal.Xy12Zw", "amana-ingest-jour")

        let verify = try amana(["store", "verify", "--store", store])
        XCTAssertEqual(verify.status, 0, "\(verify)")
        XCTAssertTrue(verify.stdout.hasPrefix("removed 2 leftover files of interrupted ingests from tmp/\n"), verify.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp).sorted(), resumable)
        let partial = tmp + "/" + resumable.first { $0.hasSuffix(".partial") }!
        func inode(_ path: String) -> UInt64? {
            var info = stat()
            return lstat(path, &info) == 0 ? UInt64(info.st_ino) : nil
        }
        let kept = try XCTUnwrap(inode(partial))

        let again = try amana(arguments + ["--json"])
        XCTAssertEqual(again.status, 0, "\(again)")
        XCTAssertTrue(again.stdout.contains("\"new\":1"), again.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp), [], "nothing left in tmp/")
        let sha256 = try self.sha256(source)
        let object = "\(store)/objects/sha256/\(sha256.prefix(2))/\(sha256.dropFirst(2).prefix(2))/\(sha256)"
        // The same file: the re-run's own sweep kept the journalled copy and the copy went on in it.
        XCTAssertEqual(inode(object), kept, "the journalled partial copy was removed instead of resumed")
        XCTAssertEqual(try amana(["store", "verify", "--store", store]).status, 0)
    }

    private func assertObjectsAreWhole(file: StaticString = #filePath, line: UInt = #line) throws {
        let objects = store + "/objects/sha256"
        for path in FileManager.default.enumerator(atPath: objects)?.allObjects as? [String] ?? [] {
            let name = (path as NSString).lastPathComponent
            guard name.count == 64 else { continue }
            XCTAssertEqual(MultiDigest.digests(of: try readBytes(objects + "/" + path), [.sha256])[.sha256]!.hex, name,
                           "a visible object does not hold the bytes its name says", file: file, line: line)
        }
    }
}
