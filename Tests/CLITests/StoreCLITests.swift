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

    /// A derived record is named by a signed event: a changed or lost record file is damage the scrub reports, with
    /// the object it belongs to, and rebuild-catalog reports a lost one.
    func testVerifyFindsADamagedOrMissingMetadataRecord() throws {
        let records = store + "/records/sha256"
        let files = (FileManager.default.enumerator(atPath: records)?.allObjects as? [String] ?? [])
            .filter { ($0 as NSString).lastPathComponent.count == 64 }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 3, "one record per new object of the sample media: \(files)")
        let damaged = records + "/" + files[0], lost = records + "/" + files[1]
        XCTAssertEqual(chmod(damaged, 0o600), 0)
        var bytes = try readBytes(damaged)
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        XCTAssertEqual(unlink(lost), 0)
        let result = try amana(["store", "verify", "--store", store])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("store.record.damaged: its metadata record sha256:\((damaged as NSString).lastPathComponent) does not hash to its name"), result.stdout)
        XCTAssertTrue(result.stdout.contains("store.record.missing: no file for its metadata record sha256:\((lost as NSString).lastPathComponent)"), result.stdout)
        let rebuilt = try amana(["store", "rebuild-catalog", "--store", store])
        XCTAssertEqual(rebuilt.status, 1, "\(rebuilt)")
        XCTAssertTrue(rebuilt.stderr.contains("the ledger names the derived record sha256:\((lost as NSString).lastPathComponent) but the store has no file for it"), rebuilt.stderr)
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
        let derived = before.components(separatedBy: "== derived_records ORDER BY seq\n")[1].components(separatedBy: "== ")[0]
        XCTAssertFalse(derived.isEmpty, "the metadata records' rows are rebuilt too")
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

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// `store list --json` and `store show --json`: the documents of spec/store.md, with the metadata record derived
    /// at ingest, which must say what `amana metadata` says of the same file.
    func testListAndShowAsJSONWithTheDerivedMetadataRecord() throws {
        let pdf = TestEnvironment.sampleMedia.path + "/scanned-document.pdf"
        let sha256 = MultiDigest.digests(of: try readBytes(pdf), [.sha256])[.sha256]!.hex
        let list = try amana(["store", "list", "--store", store, "--json"])
        XCTAssertEqual(list.status, 0, "\(list)")
        let listed = try json(list.stdout)
        XCTAssertEqual(listed["mediaType"] as? String, "application/vnd.amana.store-list+json;version=1")
        let items = try XCTUnwrap(listed["items"] as? [[String: Any]])
        XCTAssertEqual(listed["count"] as? Int, items.count)
        let human = try amana(["store", "list", "--store", store])
        XCTAssertTrue(human.stdout.hasPrefix("\(items.count) items\n"), human.stdout)
        let item = try XCTUnwrap(items.first { $0["sha256"] as? String == sha256 })
        XCTAssertEqual(item["size"] as? Int, try readBytes(pdf).count)
        XCTAssertEqual(item["cases"] as? [String], ["CASE-1"])
        let first = try XCTUnwrap(item["firstAcquired"] as? [String: Any])
        XCTAssertEqual((first["source"] as? [String: Any])?["path"] as? String, "scanned-document.pdf")
        XCTAssertEqual(first["location"] as? String, "field office")
        XCTAssertEqual(try amana(["store", "list", "--store", store, "--case", "NONE", "--json"]).stdout,
                       "{\"case\":\"NONE\",\"count\":0,\"items\":[],\"mediaType\":\"application/vnd.amana.store-list+json;version=1\"}\n")

        let show = try amana(["store", "show", sha256, "--store", store, "--json"])
        XCTAssertEqual(show.status, 0, "\(show)")
        let shown = try json(show.stdout)
        XCTAssertEqual(shown["mediaType"] as? String, "application/vnd.amana.store-show+json;version=1")
        let one = try XCTUnwrap((shown["items"] as? [[String: Any]])?.first)
        XCTAssertEqual((one["acquisitions"] as? [[String: Any]])?.count, 1)
        let derived = try XCTUnwrap((one["derivedRecords"] as? [[String: Any]])?.first)
        XCTAssertEqual(derived["kind"] as? String, "metadata")
        let recordSHA256 = try XCTUnwrap(derived["sha256"] as? String)
        XCTAssertEqual(derived["path"] as? String,
                       "records/sha256/\(recordSHA256.prefix(2))/\(recordSHA256.dropFirst(2).prefix(2))/\(recordSHA256)")
        let recordBytes = try readBytes(store + "/" + (derived["path"] as! String))
        XCTAssertEqual(MultiDigest.digests(of: recordBytes, [.sha256])[.sha256]!.hex, recordSHA256)
        let record = try XCTUnwrap(derived["record"] as? [String: Any])
        XCTAssertEqual((record["subject"] as? [String: Any])?["format"] as? String, "pdf")
        // The same values `amana metadata` reads from the original.
        let direct = try amana(["metadata", pdf, "--json"])
        XCTAssertEqual(direct.status, 0, "\(direct)")
        let directRecord = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(direct.stdout.utf8)) as? [[String: Any]])?.first)
        XCTAssertEqual(try JSONSerialization.data(withJSONObject: record["values"] as? [Any] ?? [], options: .sortedKeys),
                       try JSONSerialization.data(withJSONObject: directRecord["values"] as? [Any] ?? [], options: .sortedKeys))
        XCTAssertFalse((record["values"] as? [Any] ?? []).isEmpty)
        let text = try amana(["store", "show", sha256, "--store", store])
        XCTAssertTrue(text.stdout.contains("  metadata record sha256:\(recordSHA256)"), text.stdout)
        XCTAssertFalse(show.stdout.contains("secret") || show.stdout.contains("passphrase"), show.stdout)

        // --no-metadata: the object is stored and no record is derived.
        let other = try fixture.folder.write("no-metadata.txt", "a statement, stored without its record")
        XCTAssertEqual(try amana(["ingest", other, "--store", store, "--case", "CASE-3", "--collector", "C",
                                  "--key", fixture.key, "--no-metadata"]).status, 0)
        let bare = try json(try amana(["store", "show", "no-metadata.txt", "--store", store, "--json"]).stdout)
        XCTAssertEqual(((bare["items"] as? [[String: Any]])?.first?["derivedRecords"] as? [Any])?.count, 0)
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

    /// A store.json naming an organisation store whose credentials are missing, or a back end amana does not know, is
    /// refused in one line before anything in the folder is touched; and `--catalog` without `--objects` is a usage
    /// error.
    func testAStoreNamingAnotherBackEndIsRefusedInOneLine() throws {
        let config = store + "/store.json"
        let local = try readBytes(config)
        XCTAssertFalse(String(decoding: local, as: UTF8.self).contains("backEnd"), "a local store's file is as before")
        let text = String(decoding: local.dropLast(2), as: UTF8.self)
        func write(_ backEnd: String) throws {
            XCTAssertEqual(chmod(config, 0o600), 0)
            try Data((text + ",\"backEnd\":" + backEnd + "}\n").utf8).write(to: URL(fileURLWithPath: config))
        }
        let before = try readBytes(store + "/ledger/events.jsonl")
        try write(#"{"catalog":"postgres://amana@127.0.0.1:5432/evidence","kind":"organisation","objects":"s3://evidence/centre"}"#)
        for verb in [["store", "list"], ["store", "verify"], ["store", "rebuild-catalog"]] {
            let result = try amana(verb + ["--store", store],
                                   environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""])
            XCTAssertEqual(result.status, 64, "\(verb) \(result)")
            XCTAssertEqual(result.stderr, "amana: error: no S3 credentials: AWS_ACCESS_KEY_ID is not set in the environment\namana: hint: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a credentials file (mode 0600) with --credentials\n")
        }
        try write(#"{"kind":"cloud"}"#)
        let unknown = try amana(["ingest", TestEnvironment.sampleMedia.path, "--store", store, "--case", "C",
                                 "--collector", "C", "--key", fixture.key])
        XCTAssertEqual(unknown.status, 65, "\(unknown)")
        XCTAssertEqual(unknown.stderr, "amana: error: \(config) is not an amana store configuration: unknown backEnd kind 'cloud' (known: local, organisation)\n")
        XCTAssertEqual(try readBytes(store + "/ledger/events.jsonl"), before, "nothing was recorded")

        let flag = try amana(["store", "init", fixture.folder.file("other"), "--key", fixture.key,
                              "--catalog", "postgres://amana@127.0.0.1/evidence"])
        XCTAssertEqual(flag.status, 64, "\(flag)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.folder.file("other/store.json")))
    }
}
