import Foundation
import XCTest

@testable import AmanaKit

/// Amana's BagIt output checked by other tools, and other tools' bags checked by Amana. Each test skips, with a
/// message, when its tool is not installed. (These belong with the InteropTests target once it can see the BagIt
/// test helpers; they live here so that `swift test --filter BagIt` runs them.)
final class BagItInteropTests: XCTestCase {
    private typealias Support = BagItTestSupport
    private var root = ""

    override func setUpWithError() throws {
        root = try Support.makeTemporaryFolder()
    }

    override func tearDown() {
        Support.removeTree(root)
    }

    /// `$BAGIT_PY`, else `bagit.py` on the PATH, else the venv this project's machines use.
    private func bagitPy() throws -> String {
        var candidates = [String]()
        if let explicit = ProcessInfo.processInfo.environment["BAGIT_PY"] { candidates.append(explicit) }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(folder)/bagit.py")
        }
        candidates.append("/tmp/venvtest/bin/bagit.py")
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("bagit.py is not installed (set BAGIT_PY to run this interop test)")
        }
        return found
    }

    private func run(_ tool: String, _ arguments: [String], in folder: String) throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: tool) else { throw XCTSkip("\(tool) is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static let awkwardPayload = [
        "a.txt": "alpha\n", "sub/b.txt": "bravo\n", "with space.txt": "c\n", "caf\u{E9}.txt": "d\n", "100%.txt": "e\n",
    ]

    /// Without names holding `%`: bagit-python (1.9.0) does not decode `%25`, which BagIt 1.0 requires
    /// (LibraryOfCongress/bagit-python issue 157), so it looks for `data/100%25.txt` and fails.
    func testBagitPyValidatesWhatAmanaWrites() throws {
        let tool = try bagitPy()
        try Support.write(Support.validBag(Self.awkwardPayload.filter { !$0.key.contains("%") }), to: root)
        let (status, output) = try run(tool, ["--validate", root], in: root)
        XCTAssertEqual(status, 0, output)
    }

    func testSha256sumChecksAmanasManifestFromTheBagRoot() throws {
        try Support.write(Support.validBag(Self.awkwardPayload.filter { !$0.key.contains("%") }), to: root)
        let (status, output) = try run("/usr/bin/sha256sum", ["--check", "--strict", "manifest-sha256.txt"], in: root)
        XCTAssertEqual(status, 0, output)
        let tags = try run("/usr/bin/sha512sum", ["--check", "--strict", "tagmanifest-sha512.txt"], in: root)
        XCTAssertEqual(tags.status, 0, tags.output)
    }

    func testAmanaVerifiesWhatBagitPyMakes() throws {
        let tool = try bagitPy()
        var payload = [String: [UInt8]]()
        // bagit-python writes BagIt 0.97, where "%25" is literal text, not an escape.
        for (name, text) in Self.awkwardPayload.merging(["x%25y.txt": "f\n"], uniquingKeysWith: { $1 }) {
            payload[name] = Array(text.utf8)
        }
        try Support.write(payload, to: root)
        let made = try run(tool, ["--sha256", "--sha512", "--contact-name", "Amana Interop", root], in: root)
        XCTAssertEqual(made.status, 0, made.output)
        let inventory = try FolderReader.read(root)
        let check = BagChecker.check(inventory)
        let findings = inventory.findings + check.findings
        XCTAssertEqual(findings.filter { $0.status != .passed }, [])
        XCTAssertEqual(Verdict(findings: findings), .totalPassed)
        XCTAssertEqual(check.bagInfo?.values("Contact-Name"), ["Amana Interop"])
        XCTAssertEqual(check.declaration?.version, .v0_97)
        XCTAssertEqual(check.payloadManifests[.sha512]?.entries.count, Self.awkwardPayload.count + 1)
        XCTAssertNotNil(check.payloadManifests[.sha512]?.digest(for: "data/x%25y.txt"))
    }
}
