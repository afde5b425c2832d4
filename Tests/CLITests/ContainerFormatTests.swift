import AmanaTestSupport
import Foundation
import XCTest

/// Every compression and archive format libarchive can read, written by the real `bsdtar` (and `lz4`) from a bundle
/// sealed by `amana seal`: only a tar, plain or compressed once with gzip, bzip2, xz or zstd, may verify
/// (bundle.md section 3). Everything else is `archive.format.invalid`, however readable it is to libarchive.
final class ContainerFormatTests: XCTestCase {
    private var fixture: CLIFixture!
    private var bundle = ""

    override func setUpWithError() throws {
        fixture = try CLIFixture()
        bundle = try fixture.sealSample()
    }

    /// Runs `bsdtar -cf OUT ARGUMENTS`; nil (with a note) when this bsdtar cannot write that format or filter, for
    /// example when the external program a filter needs is missing.
    private func bsdtar(_ arguments: [String]) throws -> String? {
        let tool = try TestEnvironment.requireTool("bsdtar")
        let output = fixture.folder.file("container-\(UUID().uuidString)")
        let result = try runTool(tool, ["-cf", output] + arguments)
        let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        guard result.status == 0, size > 0 else {
            print("note: bsdtar \(arguments.joined(separator: " ")) could not write here, not tested: \(result.stderr)")
            return nil
        }
        return output
    }

    private func assertVerifies(_ path: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (status, report) = try fixture.verifyJSON(path)
        XCTAssertEqual(status, 0, "\(what): \(report.findings.filter { $0.status != "passed" })", file: file, line: line)
        XCTAssertEqual(report.verdict, "TOTAL-PASSED", what, file: file, line: line)
    }

    @discardableResult
    private func assertRefused(_ path: String, _ what: String, file: StaticString = #filePath,
                               line: UInt = #line) throws -> [String] {
        let (status, report) = try fixture.verifyJSON(path)
        let failed = report.codes("failed")
        XCTAssertEqual(status, 1, "\(what) was not refused: \(report.findings.filter { $0.status != "passed" })",
                       file: file, line: line)
        XCTAssertEqual(report.verdict, "TOTAL-FAILED", what, file: file, line: line)
        XCTAssertFalse(failed.isEmpty, what, file: file, line: line)
        XCTAssertEqual(failed, ["archive.format.invalid"], what, file: file, line: line)
        return report.findings.filter { $0.status == "failed" }.map(\.message)
    }

    /// Each of libarchive's write filters around the bundle's tar; libarchive reads every one of them back.
    func testOnlyGzipBzip2XzAndZstdAreAcceptedAroundTheTar() throws {
        let accepted = [("gzip", "-z"), ("bzip2", "-j"), ("xz", "-J"), ("zstd", "--zstd")]
        let refused = [("lz4", "--lz4", "an lz4 stream"), ("lzma", "--lzma", "an lzma stream"),
                       ("lzip", "--lzip", "an lzip stream"), ("compress", "-Z", "a compress (.Z) stream"),
                       ("uuencode", "--uuencode", "a uuencoded file"), ("base64", "--b64encode", "a base64-encoded file"),
                       ("lzop", "--lzop", "an lzop stream"), ("lrzip", "--lrzip", "an lrzip stream"),
                       ("grzip", "--grzip", "a grzip stream")]
        for (name, flag) in accepted {
            let path = try XCTUnwrap(try bsdtar([flag, "@" + bundle]), name)
            try assertVerifies(path, name)
        }
        var tested = 0
        for (name, flag, shown) in refused {
            guard let path = try bsdtar([flag, "@" + bundle]) else { continue }
            let messages = try assertRefused(path, name)
            XCTAssertTrue(messages.contains { $0.contains("the file is \(shown), not a tar") }, "\(name): \(messages)")
            tested += 1
        }
        XCTAssertGreaterThanOrEqual(tested, 7, "too few refused filters could be written to test")
    }

    /// Each of libarchive's write formats. The tar formats whose headers are ustar verify; the others do not, whether
    /// plain or inside an accepted compression.
    func testOnlyUstarTarsAreAccepted() throws {
        for format in ["pax", "paxr", "ustar", "gnutar"] {
            let path = try XCTUnwrap(try bsdtar(["--format", format, "@" + bundle]), format)
            try assertVerifies(path, format)
            try assertVerifies(try XCTUnwrap(try bsdtar(["--format", format, "-z", "@" + bundle])), format + " in gzip")
        }
        var tested = 0
        for format in ["v7", "cpio", "newc", "odc", "bin", "pwb", "zip", "7zip", "ar", "arbsd", "argnu", "arsvr4", "shar",
                       "shardump", "mtree", "iso9660", "warc", "xar"] {
            guard let path = try bsdtar(["--format", format, "@" + bundle]) else { continue }
            try assertRefused(path, format)
            if let compressed = try bsdtar(["--format", format, "-J", "@" + bundle]) {
                try assertRefused(compressed, format + " in xz")
            }
            tested += 1
        }
        XCTAssertGreaterThanOrEqual(tested, 12, "too few refused formats could be written to test")
        // The raw format: one file's bytes as they are.
        let raw = try XCTUnwrap(try bsdtar(["--format", "raw", "-C", TestEnvironment.sampleMedia.path, "checkpoint-photo.png"]))
        try assertRefused(raw, "raw")
    }

    /// Issue 11, item 1: a genuine sealed bundle, compressed with `lz4`, with an lz4 skippable frame appended that
    /// holds a complete zip whose `data/checkpoint-photo.png` reads "FORGED EXHIBIT". lz4 decoders skip the frame, so
    /// the file decompresses to the genuine bundle while a zip reader shows the forgery; it used to verify TOTAL-PASSED.
    func testAnLz4BundleCarryingAZipInASkippableFrameIsRefused() throws {
        let lz4 = try TestEnvironment.requireTool("lz4")
        let python = try TestEnvironment.requireTool("python3")
        let compressed = fixture.folder.file("bundle.tar.lz4")
        XCTAssertEqual(try runTool(lz4, ["-q", "-f", bundle, compressed]).status, 0)
        let zip = fixture.folder.file("forged.zip")
        let makeZip = "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
            + "    z.writestr('data/checkpoint-photo.png', 'FORGED EXHIBIT')\n"
        XCTAssertEqual(try runTool(python, ["-c", makeZip, zip]).status, 0)
        let zipBytes = try readBytes(zip)
        let length = UInt32(zipBytes.count)
        let frame: [UInt8] = [0x50, 0x2A, 0x4D, 0x18] + (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + zipBytes
        let polyglot = try fixture.folder.write("polyglot.tar.lz4", try readBytes(compressed) + frame)

        // The attack is real: lz4 gives back the genuine tar, and a zip reader shows the forged exhibit.
        let decompressed = fixture.folder.file("decompressed.tar")
        XCTAssertEqual(try runTool(lz4, ["-q", "-d", "-f", polyglot, decompressed]).status, 0)
        XCTAssertEqual(try readBytes(decompressed), try readBytes(bundle))
        let readZip = "import sys, zipfile\nprint(zipfile.ZipFile(sys.argv[1]).read('data/checkpoint-photo.png').decode())"
        XCTAssertEqual(try runTool(python, ["-c", readZip, polyglot]).stdout, "FORGED EXHIBIT\n")

        let (status, report) = try fixture.verifyJSON(polyglot)
        XCTAssertEqual(status, 1, "\(report.findings.filter { $0.status != "passed" })")
        XCTAssertEqual(report.verdict, "TOTAL-FAILED")
        XCTAssertEqual(report.codes("failed"), ["archive.format.invalid"])
        XCTAssertTrue(report.findings.contains { $0.message.contains("the file is an lz4 stream, not a tar") },
                      "\(report.findings.map(\.message))")
        let result = try amana(["verify", polyglot, "--trust", fixture.pub])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("TOTAL-FAILED"), result.stdout)
    }

    /// A refused compression inside an accepted one, and an accepted one inside a refused one.
    func testNestingDoesNotLetARefusedCompressionThrough() throws {
        let lz4File = try XCTUnwrap(try bsdtar(["--lz4", "@" + bundle]))
        let gzip = try TestEnvironment.requireTool("gzip")
        let nested = fixture.folder.file("nested.tar.lz4.gz")
        XCTAssertEqual(try runTool("/bin/sh", ["-c", "exec \"$0\" -n -c \"$1\" > \"$2\"", gzip, lz4File, nested]).status, 0)
        let messages = try assertRefused(nested, "lz4 inside gzip")
        XCTAssertTrue(messages.contains { $0.contains("the compressed stream holds an lz4 stream, not a tar") }, "\(messages)")
        let lz4 = try TestEnvironment.requireTool("lz4")
        let gzipped = try XCTUnwrap(try bsdtar(["-z", "@" + bundle]))
        let outer = fixture.folder.file("nested.tar.gz.lz4")
        XCTAssertEqual(try runTool(lz4, ["-q", "-f", gzipped, outer]).status, 0)
        try assertRefused(outer, "gzip inside lz4")
    }
}
