import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Plain BagIt bags (no `amana/`, no `seals/`) through `amana verify` and `amana seal --bag` (bundle.md section
/// 8): a partner's honest bag is INDETERMINATE, never accused of tampering; a sealed bundle stripped of its seals
/// stays TOTAL-FAILED.
final class PlainBagCLITests: XCTestCase {
    /// Every case of the Library of Congress suite: valid bags must never exit 1 (they exit 2, `bundle.unsealed`);
    /// invalid, linux-only and windows-only bags must exit 1. Warning cases must not pass, and must not crash.
    func testEveryConformanceCaseThroughVerify() throws {
        let root = try TestEnvironment.requireConformance("bagit")
        var seen = 0
        for (id, path, category) in try PlainBagCLITests.cases(root) {
            let result = try amana(["verify", path])
            switch category {
            case "valid":
                XCTAssertEqual(result.status, 2, "\(id) is a valid plain bag:\n\(result)")
                XCTAssertTrue(result.stdout.contains("UNSURE  bundle.unsealed"), "\(id):\n\(result)")
                XCTAssertFalse(result.stdout.contains("FAILED"), "\(id):\n\(result)")
            case "invalid", "linux-only", "windows-only":
                XCTAssertEqual(result.status, 1, "\(id) is invalid:\n\(result)")
                XCTAssertTrue(result.stdout.contains("this plain BagIt bag (no Amana seal) is damaged or not valid BagIt"),
                              "\(id):\n\(result)")
            default:
                XCTAssertTrue([1, 2].contains(result.status), "\(id):\n\(result)")
            }
            seen += 1
        }
        XCTAssertGreaterThan(seen, 50, "the suite seems incomplete: only \(seen) cases")
    }

    /// Seals removed from a sealed bundle (the tar, and its extracted folder): still TOTAL-FAILED, `seal.missing`.
    func testSealedBundleWithoutItsSealsStaysFailed() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        var entries = try BundleEntries(tar: bundle)
        for entry in entries.entries where entry.name.hasPrefix("\(entries.root)/seals") {
            entries.entries.removeAll { $0.name == entry.name }
        }
        let stripped = fixture.folder.file("stripped.tar")
        try entries.write(to: stripped)
        var (status, report) = try fixture.verifyJSON(stripped)
        XCTAssertEqual(status, 1)
        XCTAssertTrue(report.failedCodes.contains("seal.missing"), "\(report.findings.map(\.code))")
        XCTAssertFalse(report.findings.contains { $0.code == "bundle.unsealed" })

        // Custody log gone too: items.json alone still makes it an Amana bundle.
        entries.remove("amana/custody.jsonl")
        try entries.write(to: stripped)
        (status, report) = try fixture.verifyJSON(stripped)
        XCTAssertEqual(status, 1)
        XCTAssertTrue(report.failedCodes.isSuperset(of: ["seal.missing", "custody.missing"]), "\(report.failedCodes)")
    }

    /// The seal need not name an adopted bag's MD5 manifest, but one planted in a sealed bundle is still caught: no
    /// tag manifest lists it.
    func testAPlantedMD5ManifestIsStillUnsealed() throws {
        let fixture = try CLIFixture()
        var entries = try BundleEntries(tar: try fixture.sealSample())
        entries.add("manifest-md5.txt", entries["manifest-sha256.txt"])
        entries.rehash(manifest: "manifest-md5.txt", algorithm: .md5)
        let planted = fixture.folder.file("planted.tar")
        try entries.write(to: planted)
        let (status, report) = try fixture.verifyJSON(planted)
        XCTAssertEqual(status, 1)
        XCTAssertEqual(report.failedCodes, ["bundle.file.unsealed"], "\(report.findings.filter { $0.status != "passed" }.map(\.code))")
    }

    /// A bag that keeps only an `amana/` folder with nothing Amana wrote is still judged as an Amana bundle.
    func testAnAmanaFolderAloneMakesAnAmanaBundle() throws {
        let fixture = try CLIFixture()
        let bag = try PlainBagCLITests.copyOfBasicBag(into: fixture.folder)
        try FileManager.default.createDirectory(atPath: bag + "/amana", withIntermediateDirectories: false)
        let (status, report) = try fixture.verifyJSON(bag)
        XCTAssertEqual(status, 1)
        XCTAssertTrue(report.failedCodes.contains("seal.missing"), "\(report.failedCodes)")
    }

    /// `seal --bag` adopts every valid case of the suite that is BagIt 0.97 or 1.0 in UTF-8: the result verifies
    /// TOTAL-PASSED with the signer trusted, and the bag is untouched. Older versions and other encodings are refused
    /// with one error line that says why.
    func testSealBagAdoptsEveryValidConformanceCase() throws {
        let root = try TestEnvironment.requireConformance("bagit")
        let fixture = try CLIFixture()
        var adopted = 0
        for (id, path, category) in try PlainBagCLITests.cases(root) where category == "valid" {
            let before = try PlainBagCLITests.snapshot(path)
            let output = fixture.folder.file("\(id.replacingOccurrences(of: "/", with: "_")).tar")
            let result = try amana(["seal", "--bag", path, "--key", fixture.key, "--output", output])
            XCTAssertEqual(try PlainBagCLITests.snapshot(path), before, "\(id): the source bag changed")
            let version = id.split(separator: "/")[0]
            let declaration = try String(contentsOfFile: path + "/bagit.txt", encoding: .isoLatin1)
            if !["v0.97", "v1.0"].contains(version) {
                XCTAssertEqual(result.status, 65, "\(id):\n\(result)")
                XCTAssertTrue(result.stderr.contains("amana adopts BagIt 0.97 and 1.0 bags only"), "\(id):\n\(result)")
                continue
            }
            if !declaration.contains("UTF-8") {
                XCTAssertEqual(result.status, 65, "\(id):\n\(result)")
                XCTAssertTrue(result.stderr.contains("amana adopts UTF-8 bags only"), "\(id):\n\(result)")
                continue
            }
            XCTAssertEqual(result.status, 0, "\(id):\n\(result)")
            let (status, report) = try fixture.verifyJSON(output)
            XCTAssertEqual(status, 0, "\(id): \(report.findings.filter { $0.status != "passed" }.map { "\($0.code) \($0.subject ?? ""): \($0.message)" })")
            XCTAssertEqual(report.verdict, "TOTAL-PASSED", id)
            adopted += 1
        }
        XCTAssertGreaterThan(adopted, 10)
    }

    /// An invalid bag is refused with the finding that makes it invalid, and nothing is written.
    func testSealBagRefusesAnInvalidBagWithItsFinding() throws {
        let fixture = try CLIFixture()
        let bag = try PlainBagCLITests.copyOfBasicBag(into: fixture.folder)
        let payload = try XCTUnwrap(FileManager.default.subpaths(atPath: bag + "/data")?.sorted().first)
        try Data("not the bagged bytes\n".utf8).write(to: URL(fileURLWithPath: "\(bag)/data/\(payload)"))
        let output = fixture.folder.file("adopted.tar")
        let result = try amana(["seal", "--bag", bag, "--key", fixture.key, "--output", output])
        XCTAssertEqual(result.status, 65, "\(result)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("amana: error:") }
        XCTAssertEqual(errors.count, 1, result.stderr)
        XCTAssertTrue(errors[0].contains("is not a valid BagIt bag: payload.digest.mismatch data/\(payload)"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))

        // A sealed bundle's folder is not a plain bag either.
        let bundle = try fixture.sealSample()
        let extracted = fixture.folder.file("extracted")
        XCTAssertEqual(try amana(["extract", bundle, "--trust", fixture.pub, "--output", extracted]).status, 0)
        let again = try amana(["seal", "--bag", extracted, "--key", fixture.key, "--output", output])
        XCTAssertEqual(again.status, 65, "\(again)")
        XCTAssertTrue(again.stderr.contains("already holds an amana/ or seals/ folder"), "\(again)")

        let both = try amana(["seal", "--bag", bag, "extra.txt", "--key", fixture.key, "--output", output])
        XCTAssertEqual(both.status, 64, "\(both)")
    }

    // MARK: helpers

    /// `(id, path, category)` for every case of the suite, in order.
    static func cases(_ root: URL) throws -> [(String, String, String)] {
        let fm = FileManager.default
        var out = [(String, String, String)]()
        for version in try fm.contentsOfDirectory(atPath: root.path).sorted() where version.hasPrefix("v") {
            let versionPath = root.appendingPathComponent(version).path
            for category in try fm.contentsOfDirectory(atPath: versionPath).sorted() {
                let categoryPath = versionPath + "/" + category
                for name in try fm.contentsOfDirectory(atPath: categoryPath).sorted() where name != "Makefile" {
                    out.append(("\(version)/\(category)/\(name)", categoryPath + "/" + name, category))
                }
            }
        }
        return out
    }

    /// A writable copy of the suite's v1.0 basicBag (a bag made by another tool).
    static func copyOfBasicBag(into folder: TemporaryFolder) throws -> String {
        let source = try TestEnvironment.requireConformance("bagit/v1.0/valid/basicBag")
        let copy = folder.file("basicBag")
        try FileManager.default.copyItem(atPath: source.path, toPath: copy)
        return copy
    }

    /// Every file's path and bytes below `folder`, to show that adopting a bag leaves it as it was.
    static func snapshot(_ folder: String) throws -> [String: Data] {
        var files = [String: Data]()
        for path in FileManager.default.subpaths(atPath: folder) ?? [] {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder), !isFolder.boolValue {
                files[path] = FileManager.default.contents(atPath: folder + "/" + path)
            }
        }
        return files
    }
}
