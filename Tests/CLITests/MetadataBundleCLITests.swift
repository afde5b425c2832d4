@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Derived metadata records in bundles: `seal` writes `amana/metadata.jsonl` as a covered tag file, `--no-metadata`
/// leaves it out, `inspect` shows it, and tampering with it fails verification through the tag manifests.
final class MetadataBundleCLITests: XCTestCase {
    func testSealWritesCoveredRecordsThatInspectShows() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        let entries = try BundleEntries(tar: bundle)
        XCTAssertTrue(entries.contains(MetadataRecordsFile.path))
        let parsed = MetadataRecordsFile.parse(entries[MetadataRecordsFile.path])
        XCTAssertEqual(parsed.problems, [])
        let items = try ItemsFile(parsing: entries[BundleLayout.itemsFile])
        XCTAssertEqual(parsed.records.map(\.subject.name), items.items.map(\.path), "one record per item, in item order")
        XCTAssertEqual(parsed.records.first { $0.subject.name == "data/scanned-document.pdf" }?.subject.format, "pdf")
        let tagManifest = String(decoding: entries["tagmanifest-sha256.txt"], as: UTF8.self)
        XCTAssertTrue(tagManifest.contains(" \(MetadataRecordsFile.path)\n"), tagManifest)

        let (exit, report) = try fixture.verifyJSON(bundle)
        XCTAssertEqual(exit, 0, "\(report.findings.filter { $0.status != "passed" })")
        XCTAssertFalse(report.findings.contains { $0.code == "bundle.file.unsealed" })

        let shown = try amana(["inspect", bundle])
        XCTAssertEqual(shown.status, 0, "\(shown)")
        XCTAssertTrue(shown.stdout.contains("metadata records: 4 (the files' own testimony, not proof"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("  data/scanned-document.pdf (pdf)"), shown.stdout)
        let json = try amana(["inspect", bundle, "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((object["metadata"] as? [Any])?.count, 4)

        // An extracted folder shows the same records.
        let folder = fixture.folder.file("extracted")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        XCTAssertEqual(try runTool("/usr/bin/tar", ["-xf", bundle, "-C", folder]).status, 0)
        let root = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder).first)
        let fromFolder = try amana(["inspect", "\(folder)/\(root)", "--json"])
        let folderObject = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(fromFolder.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((folderObject["metadata"] as? [Any])?.count, 4)
    }

    func testNoMetadataLeavesTheRecordsOutAndTheVerdictAlone() throws {
        let fixture = try CLIFixture()
        let with = try fixture.sealSample("with.tar")
        let without = try fixture.sealSample("without.tar", extra: ["--no-metadata"])
        XCTAssertFalse(try BundleEntries(tar: without).contains(MetadataRecordsFile.path))
        let (exitWith, reportWith) = try fixture.verifyJSON(with)
        let (exitWithout, reportWithout) = try fixture.verifyJSON(without)
        XCTAssertEqual(exitWith, exitWithout)
        XCTAssertEqual(reportWith.verdict, reportWithout.verdict)
        let json = try amana(["inspect", without, "--json"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertNil(object["metadata"])
    }

    func testAdoptingABagWritesNoRecords() throws {
        let fixture = try CLIFixture()
        let bag = fixture.folder.file("bag")
        try FileManager.default.createDirectory(atPath: bag + "/data", withIntermediateDirectories: true)
        let pdf = try readBytes(TestEnvironment.packageRoot.appendingPathComponent("fixtures/fuzz/corpus/metadata-pdf/info-xmp.pdf").path)
        _ = try fixture.folder.write("bag/data/a.pdf", pdf)
        _ = try fixture.folder.write("bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        let digest = try runTool("/usr/bin/sha256sum", ["data/a.pdf"], in: bag)
        _ = try fixture.folder.write("bag/manifest-sha256.txt", digest.stdout)
        let output = fixture.folder.file("adopted.tar")
        let result = try amana(["seal", "--bag", bag, "--key", fixture.key, "--output", output])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertFalse(try BundleEntries(tar: output).contains(MetadataRecordsFile.path),
                       "adoption adds only Amana's profile (bundle.md section 8.2)")
    }

    func testAlteredRecordsFailThroughTheTagManifest() throws {
        let fixture = try CLIFixture()
        var entries = try BundleEntries(tar: try fixture.sealSample())
        var text = String(decoding: entries[MetadataRecordsFile.path], as: UTF8.self)
        text = text.replacingOccurrences(of: "\"format\":\"pdf\"", with: "\"format\":\"png\"")
        entries[MetadataRecordsFile.path] = Array(text.utf8)
        let path = fixture.folder.file("altered.tar")
        try entries.write(to: path)
        let (exit, report) = try fixture.verifyJSON(path)
        XCTAssertEqual(exit, 1)
        XCTAssertEqual(report.verdict, "TOTAL-FAILED")
        XCTAssertTrue(report.failedCodes.contains("tagmanifest.digest.mismatch"), "\(report.findings)")
    }

    func testAcquiredAtFlagsLooseFilesCapturedLater() throws {
        let folder = TemporaryFolder()
        let pdf = try folder.write("a.pdf", try readBytes(TestEnvironment.packageRoot
            .appendingPathComponent("fixtures/fuzz/corpus/metadata-pdf/info-xmp.pdf").path))
        let late = try amana(["metadata", pdf, "--acquired-at", "2024-04-30T00:00:00Z"])
        XCTAssertEqual(late.status, 0, "\(late)")
        XCTAssertTrue(late.stdout.contains("[metadata.flag.capture-after-acquisition]"), late.stdout)
        let bad = try amana(["metadata", pdf, "--acquired-at", "2024-04-30 00:00"])
        XCTAssertEqual(bad.status, 64, "\(bad)")
        XCTAssertTrue(bad.stderr.hasPrefix("amana: error: --acquired-at '2024-04-30 00:00' is not a UTC time\n"), bad.stderr)
    }

    /// A photo that fits in one buffer of the read ring is parsed from the bytes hashed; one larger than a buffer,
    /// through the open file. Either way each sealed record equals the record of the same file read on its own, hostile
    /// files (and their findings) included.
    func testSealedRecordsEqualTheFilesOwnRecordsWhateverTheirSize() throws {
        let fixture = try CLIFixture()
        let seeds = TestEnvironment.packageRoot.appendingPathComponent("fixtures/fuzz/corpus").path
        let photo = try readBytes("\(seeds)/metadata-jpeg/exif-xmp.jpg")
        let files: [(String, [UInt8])] = [
            ("small.jpg", photo),
            // The JPEG reader stops at the image data, so what follows it is never read: 3 MiB of it, past one buffer.
            ("large.jpg", photo + [UInt8](repeating: 0x5A, count: 3 * ChunkPipeline.slotSize)),
            ("cut.jpg", Array(photo.prefix(40))),
            ("large-cut.pdf", Array(try readBytes("\(seeds)/metadata-pdf/objstm-xrefstream.pdf").prefix(700))
                + [UInt8](repeating: 0x20, count: 2 * ChunkPipeline.slotSize)),
            ("document.pdf", try readBytes("\(seeds)/metadata-pdf/objstm-xrefstream.pdf")),
        ]
        for (name, bytes) in files { try fixture.folder.write("input/\(name)", bytes) }
        let input = fixture.folder.file("input")
        let output = fixture.folder.file("sized.tar")
        let sealed = try amana(["seal", input, "--key", fixture.key, "--output", output])
        XCTAssertEqual(sealed.status, 0, "\(sealed)")
        let records = MetadataRecordsFile.parse(try BundleEntries(tar: output)[MetadataRecordsFile.path]).records
        XCTAssertEqual(records.count, files.count)
        for record in records {
            let name = String(record.subject.name.split(separator: "/").last ?? "")
            let alone = try MetadataReader.read(path: "\(input)/\(name)", name: record.subject.name)
            XCTAssertEqual(record.values, alone.values, name)
            XCTAssertEqual(record.findings, alone.findings, name)
            XCTAssertEqual(record.subject, alone.subject, name)
        }
        XCTAssertEqual(records.first { $0.subject.name.hasSuffix("large.jpg") }?.first(.make)?.normalised,
                       records.first { $0.subject.name.hasSuffix("small.jpg") }?.first(.make)?.normalised)
        XCTAssertNotNil(records.first { $0.subject.name.hasSuffix("large.jpg") }?.first(.make))
        XCTAssertFalse(records.first { $0.subject.name.hasSuffix("cut.jpg") }?.findings.isEmpty ?? true)
        XCTAssertFalse(records.first { $0.subject.name.hasSuffix("large-cut.pdf") }?.findings.isEmpty ?? true)
    }
}
