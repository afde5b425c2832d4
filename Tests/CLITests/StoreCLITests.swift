import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `amana store ...` through the real binary: scrub, rebuild (compared with the sqlite3 shell), find, init.
final class StoreCLITests: XCTestCase {
    private var fixture: CLIFixture!
    private var store: String { fixture.folder.file("store") }

    override func setUpWithError() throws {
        fixture = try CLIFixture()
        XCTAssertEqual(try amana(["store", "init", store, "--key", fixture.key]).status, 0)
        let sample = TestEnvironment.sampleMedia.path
        let result = try amana(["ingest", sample, "--store", store, "--case", "CASE-1", "--collector", "C",
                                "--key", fixture.key, "--location", "field office"])
        XCTAssertEqual(result.status, 0, "\(result)")
    }

    func testVerifyFindsAFlippedByteAndNamesTheItemAndEveryCase() throws {
        let sample = TestEnvironment.sampleMedia.path + "/checkpoint-photo.png"
        XCTAssertEqual(try amana(["ingest", sample, "--store", store, "--case", "CASE-2", "--collector", "D",
                                  "--key", fixture.key]).status, 0)
        let bytes = try readBytes(sample)
        let sha256 = MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex
        let object = "\(store)/objects/sha256/\(sha256.prefix(2))/\(sha256.dropFirst(2).prefix(2))/\(sha256)"
        XCTAssertEqual(chmod(object, 0o600), 0)
        var damaged = bytes
        damaged[damaged.count / 2] ^= 0x40
        try Data(damaged).write(to: URL(fileURLWithPath: object))
        let result = try amana(["store", "verify", "--store", store, "--key", fixture.key])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("DAMAGED sha256:\(sha256) store.object.damaged:"), result.stdout)
        XCTAssertTrue(result.stdout.contains("as checkpoint-photo.png"), result.stdout)
        XCTAssertTrue(result.stdout.contains("  cases: CASE-1, CASE-2\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains(": 1 DAMAGED\n"), result.stdout)
        let log = try amana(["store", "log", "--store", store])
        XCTAssertTrue(log.stdout.contains("damaged: 1"), log.stdout)
    }

    func testRebuildCatalogGivesTheSameRowsAsTheSQLiteShellSeesThem() throws {
        let sqlite = try TestEnvironment.requireTool("sqlite3")
        XCTAssertEqual(try amana(["store", "verify", "--store", store, "--key", fixture.key]).status, 0)
        let catalog = store + "/catalog.sqlite"
        func dump() throws -> String {
            let tables = ["ledger_events ORDER BY seq", "cases ORDER BY id", "objects ORDER BY sha256",
                          "acquisitions ORDER BY seq", "sources ORDER BY acquisition_seq", "seals ORDER BY seq",
                          "derived_records ORDER BY seq", "scrubs ORDER BY seq"]
            var out = ""
            for table in tables {
                let result = try runTool(sqlite, ["-readonly", catalog, "SELECT * FROM \(table)"])
                XCTAssertEqual(result.status, 0, "\(result)")
                out += "== \(table)\n" + result.stdout
            }
            return out
        }
        let before = try dump()
        XCTAssertTrue(before.contains("field office"), before)
        for suffix in ["", "-wal", "-shm"] { unlink(catalog + suffix) }
        let rebuilt = try amana(["store", "rebuild-catalog", "--store", store])
        XCTAssertEqual(rebuilt.status, 0, "\(rebuilt)")
        XCTAssertEqual(try dump(), before)
    }

    func testFindSaysWhetherAFileIsStoredAndSinceWhen() throws {
        let found = try amana(["store", "find", TestEnvironment.sampleMedia.path + "/scanned-document.pdf", "--store", store])
        XCTAssertEqual(found.status, 0, "\(found)")
        XCTAssertTrue(found.stdout.hasPrefix("in the store since "), found.stdout)
        let other = try fixture.folder.write("other.txt", "not evidence")
        let missing = try amana(["store", "find", other, "--store", store])
        XCTAssertEqual(missing.status, 1, "\(missing)")
        XCTAssertTrue(missing.stdout.hasPrefix("not in the store: "), missing.stdout)
    }

    func testShowByDigestAndBySourcePath() throws {
        let list = try amana(["store", "list", "--store", store, "--case", "CASE-1"])
        XCTAssertEqual(list.status, 0)
        let bytes = try readBytes(TestEnvironment.sampleMedia.path + "/scanned-document.pdf")
        let sha256 = MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex
        XCTAssertTrue(list.stdout.contains("sha256:\(sha256)"), list.stdout)
        let byDigest = try amana(["store", "show", "sha256:\(sha256)", "--store", store])
        let byPath = try amana(["store", "show", "scanned-document.pdf", "--store", store])
        XCTAssertEqual(byDigest.status, 0, "\(byDigest)")
        XCTAssertEqual(byDigest.stdout, byPath.stdout)
        XCTAssertTrue(byDigest.stdout.contains("location field office"), byDigest.stdout)
        let none = try amana(["store", "show", "nothing.jpg", "--store", store])
        XCTAssertEqual(none.status, 65)
        XCTAssertEqual(none.stderr.split(separator: "\n").first.map(String.init), "amana: error: the store holds no item nothing.jpg")
    }

    func testInitRefusesAFolderThatIsNotEmptyAndTheStoreIsPrivate() throws {
        let again = try amana(["store", "init", store, "--key", fixture.key])
        XCTAssertEqual(again.status, 73, "\(again)")
        var info = stat()
        XCTAssertEqual(stat(store, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700)
        XCTAssertEqual(stat(store + "/catalog.sqlite", &info), 0)
        XCTAssertEqual(info.st_mode & 0o077, 0, "the catalog is private")
        let noStore = try amana(["store", "list"], environment: ["AMANA_STORE": ""])
        XCTAssertEqual(noStore.status, 64, "\(noStore)")
        XCTAssertEqual(noStore.stderr, "amana: error: no store given\namana: hint: pass --store DIR or set AMANA_STORE\n")
    }
}
