import XCTest

@testable import AmanaKit

final class BagItManifestTests: XCTestCase {
    private let md5 = "8ad8757baa8564dc136c1e07507f4a98"

    private func parse(
        _ text: String, kind: Manifest.Kind = .payload, algorithm: DigestAlgorithm = .md5, version: BagItVersion = .v1_0
    ) -> (manifest: Manifest, findings: [Finding]) {
        Manifest.parse(text, kind: kind, algorithm: algorithm, version: version)
    }

    private func paths(_ text: String, version: BagItVersion = .v1_0) -> [String] {
        let (manifest, findings) = parse(text, version: version)
        XCTAssertEqual(findings.filter { $0.status == .failed }, [], text.debugDescription)
        return manifest.entries.map(\.path)
    }

    func testSeparatorsAreOneOrMoreSpacesOrTabs() {
        XCTAssertEqual(paths("\(md5) data/a\n\(md5)  data/b\n\(md5)\tdata/c\n\(md5) \t  data/d\r\n"), ["data/a", "data/b", "data/c", "data/d"])
    }

    func testPathsKeepInnerAndTrailingSpaces() {
        XCTAssertEqual(paths("\(md5) data/test file with spaces.txt\n\(md5)  data/trailing \n"), ["data/test file with spaces.txt", "data/trailing "])
    }

    func testUppercaseHexIsAccepted() {
        let (manifest, findings) = parse("\(md5.uppercased())  data/a\n")
        XCTAssertEqual(findings, [])
        XCTAssertEqual(manifest.digest(for: "data/a")?.hex, md5)
    }

    func testDigestsMustBeHexOfTheAlgorithmsLength() {
        let (manifest, findings) = parse("\(md5)00  data/a\nxyz  data/b\n\(md5)\n  \(md5) data/c\n", algorithm: .md5)
        XCTAssertEqual(manifest.entries, [])
        XCTAssertEqual(findings.map(\.code), Array(repeating: ManifestCode.malformed.rawValue, count: 4))
        XCTAssertEqual(findings[0].expected, "32 hex digits")
        XCTAssertEqual(findings[0].found, "34 hex digits")
        XCTAssertTrue(findings.allSatisfy { $0.subject == "manifest-md5.txt" })
        XCTAssertEqual(parse("\(md5)  data/a\n", algorithm: .sha256).findings.map(\.code), [ManifestCode.malformed.rawValue])
    }

    func testHostilePathsAreRejected() {
        let hostile = [
            "../x", "/etc/passwd", "data\\x", "data/../x", "data/./x", "data//x", "data/", "data", "", "~/x",
            "~root/x", "C:/x", "c:data/x", "x/data/y", "data/a/..", "./../data/x", "data/x\u{0}y",
            "\\\\?\\UNC\\server\\x", "%HomeDrive%\\x",
        ]
        for path in hostile {
            let (manifest, findings) = parse("\(md5)  \(path)\n")
            XCTAssertEqual(manifest.entries, [], path.debugDescription)
            XCTAssertEqual(findings.filter { $0.status == .failed }.map(\.code), [ManifestCode.pathInvalid.rawValue], path.debugDescription)
        }
    }

    func testEncodedDotsAreLiteralNamesNotParentFolders() {
        XCTAssertEqual(paths("\(md5)  data/%2e%2e/x\n"), ["data/%2e%2e/x"])
        XCTAssertNil(ManifestPath.problem(with: "data/%2e%2e/x", scope: .payload))
    }

    func testOnlyLFCRAndPercentAreDecoded() {
        XCTAssertEqual(paths("\(md5)  data/a%0Ab%0dc%25d%7Ee%test%2\n"), ["data/a\nb\rc%d%7Ee%test%2"])
        XCTAssertEqual(paths("\(md5)  data/%\n\(md5)  data/x%25\n", version: .v0_97), ["data/%", "data/x%25"], "no %25 before 1.0")
        XCTAssertEqual(paths("\(md5)  data/%250A\n"), ["data/%0A"], "decoding is one pass")
        XCTAssertEqual(ManifestPath.decode("%0a%0D%25", version: .v1_0), "\n\r%")
    }

    func testALeadingDotSlashIsDroppedWithAWarning() {
        let (manifest, findings) = parse("\(md5) ./data/test2.txt\n")
        XCTAssertEqual(manifest.entries.map(\.path), ["data/test2.txt"])
        XCTAssertEqual(findings.map(\.code), [ManifestCode.pathRelative.rawValue])
        XCTAssertEqual(findings.first?.status, .warning)
    }

    func testTheMd5sumBinaryMarkerIsDroppedWithAWarning() {
        let (manifest, findings) = parse("\(md5) *data/hello.txt\n")
        XCTAssertEqual(manifest.entries.map(\.path), ["data/hello.txt"])
        XCTAssertEqual(findings.map(\.code), [ManifestCode.pathMarker.rawValue])
    }

    func testDuplicatesFailExceptIdenticalOnesBefore1_0() {
        let same = "\(md5)  data/a\n\(md5)  data/a\n"
        XCTAssertEqual(parse(same, version: .v0_97).findings.map(\.status), [.warning])
        XCTAssertEqual(parse(same, version: .v1_0).findings.map(\.status), [.failed])
        let different = "\(md5)  data/a\n\(String(repeating: "0", count: 32))  data/a\n"
        for version in [BagItVersion.v0_97, .v1_0] {
            let (manifest, findings) = parse(different, version: version)
            XCTAssertEqual(findings.map(\.code), [ManifestCode.entryDuplicate.rawValue])
            XCTAssertEqual(findings.first?.status, .failed)
            XCTAssertEqual(findings.first?.expected, md5)
            XCTAssertEqual(manifest.entries.count, 1, "the first entry is kept")
        }
        XCTAssertEqual(parse("\(md5)  data/a\n\(md5)  ./data/a\n").findings.map(\.code), [ManifestCode.pathRelative.rawValue, ManifestCode.entryDuplicate.rawValue])
    }

    func testNamesThatDifferOnlyInNormalisationAreDifferentPaths() {
        let nfd = "data/Nu\u{301}n\u{303}ez", nfc = "data/N\u{FA}\u{F1}ez"
        let (manifest, findings) = parse("\(md5)  \(nfd)\n\(md5)  \(nfc)\n")
        XCTAssertEqual(findings, [])
        XCTAssertEqual(manifest.entries.count, 2)
        XCTAssertEqual(manifest.digest(for: nfd)?.hex, md5)
        XCTAssertNil(Manifest(kind: .payload, algorithm: .md5).digest(for: nfc))
    }

    func testATagManifestMustNotListPayloadFiles() {
        let (manifest, findings) = parse("\(md5) bagit.txt\n\(md5) data/x\n\(md5) amana/items.json\n", kind: .tag)
        XCTAssertEqual(manifest.entries.map(\.path), ["bagit.txt", "amana/items.json"])
        XCTAssertEqual(findings.map(\.code), [ManifestCode.pathInvalid.rawValue])
        XCTAssertEqual(findings.first?.subject, "data/x")
    }

    func testFileNames() {
        XCTAssertEqual(Manifest.identify(fileName: "manifest-sha256.txt")?.kind, .payload)
        XCTAssertEqual(Manifest.identify(fileName: "manifest-sha256.txt")?.algorithmName, "sha256")
        XCTAssertEqual(Manifest.identify(fileName: "tagmanifest-blake3.txt")?.algorithmName, "blake3")
        XCTAssertEqual(Manifest.identify(fileName: "tagmanifest-md5.txt")?.kind, .tag)
        for name in ["manifest-.txt", "manifest-sha256", "manifest-sha256.txt.bak", "xmanifest-md5.txt", "bagit.txt", "manifest.txt"] {
            XCTAssertNil(Manifest.identify(fileName: name), name)
        }
        XCTAssertEqual(Manifest(kind: .tag, algorithm: .sha512).fileName, "tagmanifest-sha512.txt")
    }

    func testWritingIsSha256sumCompatibleSortedAndEncoded() throws {
        var manifest = Manifest(kind: .payload, algorithm: .sha256)
        let names = ["data/b.txt", "data/a b.txt", "data/100%.txt", "data/line\nbreak", "data/é.txt"]
        for name in names {
            try manifest.add(path: name, digest: MultiDigest.digests(of: Array(name.utf8), [.sha256])[.sha256]!)
        }
        let text = String(decoding: manifest.serialized(), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, names.count + 1)
        XCTAssertEqual(lines.last, "")
        XCTAssertEqual(lines.dropLast().map { String($0.dropFirst(66)) }, ["data/100%25.txt", "data/a b.txt", "data/b.txt", "data/line%0Abreak", "data/é.txt"])
        XCTAssertTrue(lines.dropLast().allSatisfy { $0.dropFirst(64).hasPrefix("  ") })
        XCTAssertTrue(lines.dropLast().allSatisfy { $0.prefix(64).allSatisfy { "0123456789abcdef".contains($0) } }, "lowercase hex")
        let reread = Manifest.parse(text, kind: .payload, algorithm: .sha256, version: .v1_0)
        XCTAssertEqual(reread.findings, [])
        XCTAssertEqual(Set(reread.manifest.entries.map { ExactPath($0.path) }), Set(names.map(ExactPath.init)))
        for entry in manifest.entries {
            XCTAssertEqual(reread.manifest.digest(for: entry.path), entry.digest)
        }
    }

    func testAddingRefusesWhatAParserWouldReject() throws {
        var manifest = Manifest(kind: .payload, algorithm: .sha256)
        let digest = MultiDigest.digests(of: [1], [.sha256])[.sha256]!
        try manifest.add(path: "data/x", digest: digest)
        XCTAssertThrowsError(try manifest.add(path: "data/x", digest: digest))
        XCTAssertThrowsError(try manifest.add(path: "data/../x", digest: digest))
        XCTAssertThrowsError(try manifest.add(path: "bagit.txt", digest: digest))
        XCTAssertThrowsError(try manifest.add(path: "data/y", digest: MultiDigest.digests(of: [1], [.sha512])[.sha512]!))
    }

    func testUTF16ManifestTextParses() throws {
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in "\(md5)  data/bare-filename\n".utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let text = try XCTUnwrap(TagFileEncoding.utf16.decode(bytes)).text
        XCTAssertEqual(paths(text), ["data/bare-filename"])
    }

    func testATruncatedManifestLosesOnlyItsLastLine() {
        let full = "\(md5)  data/a\n\(md5)  data/b\n"
        for cut in 1..<full.utf8.count {
            let text = String(decoding: full.utf8.prefix(cut), as: UTF8.self)
            let (manifest, findings) = parse(text)
            XCTAssertTrue(manifest.entries.count <= 2, "cut at \(cut)")
            if cut > 32 + 2 + 6 {
                XCTAssertEqual(manifest.entries.first?.path, "data/a", "cut at \(cut)")
            }
            // A cut inside a digest or before any path is malformed; a cut inside a path leaves a shorter path.
            let lastLine = text.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
            if !lastLine.isEmpty && lastLine.utf8.count <= 32 {
                XCTAssertEqual(findings.map(\.code), [ManifestCode.malformed.rawValue], "cut at \(cut)")
            }
        }
    }

    func testGarbageNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = parse(TagFileEncoding.iso8859_1.decode(bytes)!.text)
            _ = parse(String(decoding: bytes, as: UTF8.self), kind: .tag, algorithm: .sha1)
        }
        _ = parse(String(md5.prefix(10)))
    }
}
