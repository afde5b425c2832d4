import AmanaTestSupport
import Foundation
import XCTest

final class ExtractCLITests: XCTestCase {
    private func parentListing(_ folder: TemporaryFolder) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
    }

    func testExtractsAVerifiedBundleAndNothingElse() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        let before = parentListing(fixture.folder)
        let out = fixture.folder.file("case")
        let result = try amana(["extract", bundle, "--output", out, "--trust", fixture.pub])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("extracted 4 payload files and 11 tag and seal files into \(out)"), result.stdout)
        XCTAssertEqual(parentListing(fixture.folder), (before + ["case"]).sorted(), "only the target appears")
        XCTAssertEqual(try readBytes(out + "/data/checkpoint-photo.png"),
                       try readBytes(TestEnvironment.sampleMedia.path + "/checkpoint-photo.png"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/seals/0001.seal.minisig"))
    }

    func testRefusesToExtractATamperedOrUntrustedBundle() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        var entries = try BundleEntries(tar: bundle)
        entries["data/scanned-document.pdf"][10] ^= 1
        let tampered = fixture.folder.file("tampered.tar")
        try entries.write(to: tampered)
        let before = parentListing(fixture.folder)

        var result = try amana(["extract", tampered, "--output", fixture.folder.file("out"), "--trust", fixture.pub])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stderr.contains("amana: error: nothing was extracted, because the verdict is TOTAL-FAILED"), result.stderr)
        XCTAssertEqual(parentListing(fixture.folder), before)

        result = try amana(["extract", bundle, "--output", fixture.folder.file("out")])
        XCTAssertEqual(result.status, 2, "\(result)")
        XCTAssertEqual(parentListing(fixture.folder), before)
    }

    func testForceNeverWritesOutsideTheTarget() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        var entries = try BundleEntries(tar: bundle)
        let root = entries.root
        entries.entries += [
            RawTar.Entry("\(root)/../escaped-parent.txt", contents: Array("x".utf8)),
            RawTar.Entry("/tmp/amana-escaped-absolute.txt", contents: Array("x".utf8)),
            RawTar.Entry("\(root)/data/link", .symbolicLink, linkName: "/tmp"),
            RawTar.Entry("\(root)/data/link/through-link.txt", contents: Array("x".utf8)),
            RawTar.Entry("\(root)/data/hard", .hardLink, linkName: "/etc/passwd"),
            RawTar.Entry("other-root/x.txt", contents: Array("x".utf8)),
        ]
        let hostile = fixture.folder.file("hostile.tar")
        try entries.write(to: hostile)
        let before = parentListing(fixture.folder)
        let out = fixture.folder.file("out")
        let result = try amana(["extract", hostile, "--output", out, "--trust", fixture.pub, "--force"])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stderr.contains("EXTRACTED WITH --force"), result.stderr)
        XCTAssertEqual(parentListing(fixture.folder), (before + ["out"]).sorted())
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/amana-escaped-absolute.txt"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/through-link.txt"))
        let written = TemporaryFolderListing.below(out)
        XCTAssertFalse(written.contains { $0.contains("link") || $0.contains("hard") || $0.contains("escaped") }, "\(written)")
        XCTAssertTrue(written.contains("data/checkpoint-photo.png"), "\(written)")
    }

    func testRefusesAnExistingTarget() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample()
        try FileManager.default.createDirectory(atPath: fixture.folder.file("exists"), withIntermediateDirectories: false)
        let result = try amana(["extract", bundle, "--output", fixture.folder.file("exists"), "--trust", fixture.pub])
        XCTAssertEqual(result.status, 73, "\(result)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.folder.file("exists")), [])
    }
}

enum TemporaryFolderListing {
    static func below(_ path: String) -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
    }
}
