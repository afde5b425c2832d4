import AmanaTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The Library of Congress's bagit.py is the reference BagIt validator.
final class BagItPythonInteropTests: XCTestCase {
    func testBagitPyValidatesTheExtractedBundleAndCatchesAFlippedByte() throws {
        let bagit = try TestEnvironment.requireTool("bagit.py")
        let fixture = try InteropFixture()
        var result = try runTool(bagit, ["--validate", fixture.extracted])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stderr.contains("is valid"), result.stderr)

        let photo = fixture.extracted + "/data/checkpoint-photo.png"
        var bytes = try readBytes(photo)
        bytes[200] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: photo))
        result = try runTool(bagit, ["--validate", fixture.extracted])
        XCTAssertNotEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stderr.contains("checkpoint-photo.png"), result.stderr)
    }
}

/// A bundle sealed from an evidence store (spec/store.md section 8) is still a plain valid bag to bagit.py: the carried
/// ledger events and `amana/store-proofs.json` are tag files like any other, listed in the tag manifests.
final class BagItPythonStoreBundleTests: XCTestCase {
    func testBagitPyValidatesABundleSealedFromTheStore() throws {
        let bagit = try TestEnvironment.requireTool("bagit.py")
        let fixture = try InteropFixture()
        let store = fixture.folder.file("store")
        var result = try amana(["store", "init", store, "--key", fixture.key])
        XCTAssertEqual(result.status, 0, "\(result)")
        result = try amana(["ingest", TestEnvironment.sampleMedia.path, "--store", store, "--case", "CASE-S",
                            "--collector", "Interop", "--key", fixture.key])
        XCTAssertEqual(result.status, 0, "\(result)")
        let bundle = fixture.folder.file("from-store.tar")
        result = try amana(["seal", "--store", store, "--case", "CASE-S", "--key", fixture.key, "--output", bundle])
        XCTAssertEqual(result.status, 0, "\(result)")
        let extracted = fixture.folder.file("from-store")
        result = try amana(["extract", bundle, "--output", extracted, "--trust", fixture.pub])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: extracted + "/amana/store-proofs.json"))

        result = try runTool(bagit, ["--validate", extracted])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stderr.contains("is valid"), result.stderr)
        // bagit.py checks the tag manifests too: an edited proofs file is caught by it as well.
        let proofs = extracted + "/amana/store-proofs.json"
        var bytes = try readBytes(proofs)
        bytes[bytes.count / 2] ^= 0x01
        XCTAssertEqual(chmod(proofs, 0o600), 0)
        try Data(bytes).write(to: URL(fileURLWithPath: proofs))
        result = try runTool(bagit, ["--validate", extracted])
        XCTAssertNotEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stderr.contains("store-proofs.json"), result.stderr)
    }
}

/// `amana seal --bag` on bags bagit.py made (bundle.md section 8.2): the payload and every payload manifest line come
/// out byte for byte, bagit.py still validates the result, and the seal verifies.
final class BagItPythonAdoptionTests: XCTestCase {
    func testAdoptingABagitPyBagKeepsItsBytesAndManifests() throws {
        try adopt(bagitArguments: [], expectedAdded: [])
    }

    /// An MD5-only bag keeps its MD5 manifest as it is; Amana adds SHA-256 and SHA-512 manifests, which the seal
    /// commits to (a seal never names MD5).
    func testAdoptingAnMD5BagAddsStrongManifestsBesideIt() throws {
        try adopt(bagitArguments: ["--md5"], expectedAdded: ["manifest-sha256.txt", "manifest-sha512.txt"])
    }

    private func adopt(bagitArguments: [String], expectedAdded: [String]) throws {
        let bagit = try TestEnvironment.requireTool("bagit.py")
        let fixture = try InteropFixture()
        let bag = fixture.folder.file("partner-bag")
        try FileManager.default.copyItem(atPath: TestEnvironment.sampleMedia.path, toPath: bag)
        var result = try runTool(bagit, bagitArguments + ["--contact-name", "Partner Archive", "--external-identifier", "PARTNER-7", bag])
        XCTAssertEqual(result.status, 0, "\(result)")
        let manifests = try FileManager.default.contentsOfDirectory(atPath: bag).filter { $0.hasPrefix("manifest-") }.sorted()
        let sourceBagInfo = try readBytes(bag + "/bag-info.txt")

        let output = fixture.folder.file("adopted.tar")
        result = try amana(["seal", "--bag", bag, "--key", fixture.key, "--output", output, "--case", "CASE-9"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("adopted the BagIt bag"), result.stdout)
        XCTAssertEqual(try readBytes(bag + "/bag-info.txt"), sourceBagInfo, "the source bag must not change")

        result = try amana(["verify", output, "--trust", fixture.pub])
        XCTAssertEqual(result.status, 0, "\(result)")
        let extracted = fixture.folder.file("adopted")
        result = try amana(["extract", output, "--output", extracted, "--trust", fixture.pub])
        XCTAssertEqual(result.status, 0, "\(result)")

        // Payload bytes and payload manifests, byte for byte (cmp, diff -r), and nothing else under data/.
        for manifest in manifests {
            XCTAssertEqual(try runTool("/usr/bin/cmp", [bag + "/" + manifest, extracted + "/" + manifest]).status, 0, manifest)
        }
        XCTAssertEqual(try runTool("/usr/bin/diff", ["-r", bag + "/data", extracted + "/data"]).status, 0)
        XCTAssertEqual(try runTool("/usr/bin/cmp", [bag + "/bagit.txt", extracted + "/bagit.txt"]).status, 0)
        let added = try FileManager.default.contentsOfDirectory(atPath: extracted).filter { $0.hasPrefix("manifest-") }
        XCTAssertEqual(Set(added), Set(manifests + expectedAdded))
        // The original bag-info.txt is kept; the new one names the bundle and keeps the maker's fields.
        XCTAssertEqual(try readBytes(extracted + "/amana/adopted/bag-info.txt"), sourceBagInfo)
        let info = try String(contentsOfFile: extracted + "/bag-info.txt", encoding: .utf8)
        XCTAssertTrue(info.contains("Contact-Name: Partner Archive"), info)
        XCTAssertFalse(info.contains("PARTNER-7"), info)
        XCTAssertTrue(info.contains("Internal-Sender-Identifier: CASE-9"), info)
        XCTAssertTrue(info.contains("Bag-Software-Agent: bagit.py"), info)
        XCTAssertTrue(info.contains("Bag-Software-Agent: amana"), info)

        result = try runTool(bagit, ["--validate", extracted])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stderr.contains("is valid"), result.stderr)
    }
}
