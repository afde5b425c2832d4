import Foundation
import XCTest

@testable import AmanaKit

/// The one writer of seals, read back by GNU tar: tag manifests in the statement's order, the `seals` folder opened
/// by seal 1 only, and a signature over the statement that names the seal it signs.
final class SealWriterTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("amana-sealwriter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Writes a tar holding two tag files, their tag manifests and seal `number`, then lists and extracts it with tar.
    private func write(number: Int, key: SecretKey) throws -> (entries: [String], statement: SealStatement, root: URL) {
        let path = folder.appendingPathComponent("seal-\(number).tar").path
        let output = try AtomicOutput(path: path)
        let tar = try TarWriter(output: output)
        let time = Date(timeIntervalSince1970: 1_780_000_000)
        let writer = SealWriter(tar: tar, root: "b", key: key, time: time)
        try tar.addDirectory("b", modified: 1_780_000_000)
        let tagFiles: [(path: String, bytes: [UInt8])] = [("bagit.txt", Array("one\n".utf8)), ("bag-info.txt", Array("two\n".utf8))]
        for file in tagFiles { try tar.addFile("b/\(file.path)", contents: file.bytes, modified: 1_780_000_000) }
        let algorithms: [DigestAlgorithm] = [.sha512, .sha256]  // as `--digests` might list them
        let tagManifests = try writer.writeTagManifests(
            tagFiles.map { (path: $0.path, digests: MultiDigest.digests(of: $0.bytes, algorithms)) }, algorithms: algorithms)
        var custody = CustodyRecorder(log: CustodyLog(), bundleID: "b", key: key, role: nil)
        try custody.record(.sealed, items: [], details: ["seal": String(number)], time: time)
        let statement = writer.statement(number: number, manifests: [], tagManifests: tagManifests, log: custody.log,
                                         previousSeal: number == 1 ? nil : String(repeating: "0", count: 64))
        try writer.writeSeal(statement)
        try output.commit()

        let list = try run(["-tf", path])
        let extracted = folder.appendingPathComponent("x-\(number)")
        try FileManager.default.createDirectory(at: extracted, withIntermediateDirectories: true)
        _ = try run(["-xf", path, "-C", extracted.path])
        return (list.split(separator: "\n").map(String.init), statement, extracted.appendingPathComponent("b"))
    }

    private func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "tar \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }

    func testSealOneOpensTheSealsFolderAndTagManifestsFollowTheStatementOrder() throws {
        let key = try SecretKey.generate(name: "Writer", organization: nil)
        let (entries, statement, root) = try write(number: 1, key: key)
        XCTAssertEqual(entries.filter { $0.contains("tagmanifest-") },
                       ["b/tagmanifest-sha256.txt", "b/tagmanifest-sha512.txt"])
        XCTAssertEqual(Array(entries.suffix(3)), ["b/seals/", "b/seals/0001.seal", "b/seals/0001.seal.minisig"])
        XCTAssertEqual(statement.tagManifests.map(\.algorithm), [.sha256, .sha512])
        for committed in statement.tagManifests {
            let bytes = try Array(Data(contentsOf: root.appendingPathComponent(BagItNames.tagManifest(committed.algorithm))))
            XCTAssertEqual(SealWriter.digest(bytes, committed.algorithm).hex, committed.hex)
        }
        let manifest = try String(contentsOf: root.appendingPathComponent("tagmanifest-sha256.txt"), encoding: .utf8)
        XCTAssertEqual(manifest.split(separator: "\n").map { $0.split(separator: " ").last! }, ["bag-info.txt", "bagit.txt"])
    }

    func testALaterSealGoesIntoTheExistingFolderAndItsSignatureNamesIt() throws {
        let key = try SecretKey.generate(name: "Writer", organization: nil)
        let (entries, statement, root) = try write(number: 2, key: key)
        XCTAssertFalse(entries.contains("b/seals/"), "\(entries)")
        XCTAssertEqual(Array(entries.suffix(2)), ["b/seals/0002.seal", "b/seals/0002.seal.minisig"])
        let sealBytes = try Array(Data(contentsOf: root.appendingPathComponent("seals/0002.seal")))
        XCTAssertEqual(sealBytes, statement.serialized())
        XCTAssertEqual(statement.custodyLength, 1)
        let signature = try MinisignSignature(
            minisignFile: String(contentsOf: root.appendingPathComponent("seals/0002.seal.minisig"), encoding: .utf8))
        XCTAssertEqual(key.publicKey.verify(signature, message: sealBytes), .valid)
        XCTAssertEqual(signature.trustedComment, "timestamp:1780000000\tfile:0002.seal\tbundle:b\tseal:2")
    }
}
