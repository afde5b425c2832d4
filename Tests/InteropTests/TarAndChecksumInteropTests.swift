import AmanaTestSupport
import Foundation
import XCTest

final class TarAndChecksumInteropTests: XCTestCase {
    func testBsdtarListsTheBundle() throws {
        let bsdtar = try TestEnvironment.requireTool("bsdtar")
        let fixture = try InteropFixture()
        let result = try runTool(bsdtar, ["-tf", fixture.bundle])
        XCTAssertEqual(result.status, 0, "\(result)")
        let names = result.stdout.split(separator: "\n").map(String.init)
        let root = names[0]
        XCTAssertTrue(root.hasSuffix("/"), root)
        XCTAssertTrue(names.allSatisfy { $0.hasPrefix(root) }, "one root folder: \(names)")
        for expected in ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt",
                         "amana/items.json", "data/شهادة-statement.txt", "data/day-2/audio-testimony.wav",
                         "seals/0001.seal", "seals/0001.seal.minisig"] {
            XCTAssertTrue(names.contains(root + expected), "\(expected) missing from \(names)")
        }
    }

    func testSha256sumAndSha512sumCheckTheManifestsFromTheBagRoot() throws {
        let sha256sum = try TestEnvironment.requireTool("sha256sum")
        let sha512sum = try TestEnvironment.requireTool("sha512sum")
        let fixture = try InteropFixture()
        var result = try runTool(sha256sum, ["-c", "manifest-sha256.txt"], in: fixture.extracted)
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("data/شهادة-statement.txt: OK"), result.stdout)
        result = try runTool(sha512sum, ["-c", "manifest-sha512.txt"], in: fixture.extracted)
        XCTAssertEqual(result.status, 0, "\(result)")
        result = try runTool(sha256sum, ["-c", "tagmanifest-sha256.txt"], in: fixture.extracted)
        XCTAssertEqual(result.status, 0, "\(result)")
    }

    /// Content, not container: the same bag repacked by another tool, even compressed, still verifies.
    func testABundleRepackedByBsdtarWithGzipStillVerifies() throws {
        let bsdtar = try TestEnvironment.requireTool("bsdtar")
        let fixture = try InteropFixture()
        let root = try String(contentsOfFile: fixture.extracted + "/bag-info.txt", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("External-Identifier: ") }!.dropFirst(21)
        let staging = fixture.folder.file("repack")
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.extracted, toPath: staging + "/" + root)
        let repacked = fixture.folder.file("repacked.tar.gz")
        var result = try runTool(bsdtar, ["-czf", repacked, "-C", staging, String(root)])
        XCTAssertEqual(result.status, 0, "\(result)")
        result = try amana(["verify", repacked, "--trust", fixture.pub])
        XCTAssertEqual(result.status, 0, "\(result)")
    }
}
