import XCTest

@testable import AmanaKit

final class BagItCheckerTests: XCTestCase {
    private typealias Support = BagItTestSupport

    private func check(_ files: [String: [UInt8]], payloadAlgorithms: Set<DigestAlgorithm> = [.sha256, .sha512]) -> BagCheck {
        BagChecker.check(Support.inventory(files, payloadAlgorithms: payloadAlgorithms))
    }

    private func failed(_ check: BagCheck) -> [String] { Support.codes(check.findings, .failed) }

    private func md5Manifest(_ entries: [(String, [UInt8])], kind: Manifest.Kind = .payload) -> [UInt8] {
        var manifest = Manifest(kind: kind, algorithm: .md5)
        for (path, bytes) in entries { try! manifest.add(path: path, digest: MultiDigest.digests(of: bytes, [.md5])[.md5]!) }
        return manifest.serialized()
    }

    func testAValidBagPassesEveryGroup() {
        let result = check(Support.validBag())
        XCTAssertEqual(failed(result), [])
        XCTAssertEqual(Support.codes(result.findings, .passed), [BagItCode.declaration.rawValue, BagItCode.infoOxum.rawValue, PayloadCode.digests.rawValue, TagManifestCode.digests.rawValue])
        XCTAssertEqual(result.findings.first { $0.code == PayloadCode.digests.rawValue }?.message, "2 files match in manifest-sha256.txt and manifest-sha512.txt")
        XCTAssertEqual(result.findings.first { $0.code == TagManifestCode.digests.rawValue }?.message, "4 tag files match in tagmanifest-sha256.txt and tagmanifest-sha512.txt")
        XCTAssertEqual(result.verdict, .totalPassed)
        XCTAssertEqual(result.declaration, BagDeclaration())
        XCTAssertEqual(result.bagInfo?.payloadOxum?.description, "12.2")
        XCTAssertEqual(Set(result.payloadManifests.keys), [.sha256, .sha512])
        XCTAssertEqual(result.tagManifests[.sha512]?.entries.count, 4)
        XCTAssertNil(result.fetch)
    }

    func testAFlippedByteIsAMismatchInEveryManifest() throws {
        var files = Support.validBag()
        files["data/a.txt"]![0] ^= 0x01
        let result = check(files)
        let mismatches = result.findings.filter { $0.code == PayloadCode.digestMismatch.rawValue }
        XCTAssertEqual(mismatches.count, 2)
        let sha256 = try XCTUnwrap(mismatches.first)
        XCTAssertEqual(sha256.subject, "data/a.txt")
        XCTAssertEqual(sha256.expected, MultiDigest.digests(of: Array("alpha\n".utf8), [.sha256])[.sha256]!.hex)
        XCTAssertEqual(sha256.found, MultiDigest.digests(of: files["data/a.txt"]!, [.sha256])[.sha256]!.hex)
        XCTAssertFalse(result.findings.contains { $0.code == PayloadCode.digests.rawValue })
        XCTAssertEqual(result.verdict, .totalFailed)
    }

    func testAMissingFileIsReportedOnceNamingEveryManifest() {
        var files = Support.validBag()
        files["data/sub/b.txt"] = nil
        let result = check(files)
        XCTAssertEqual(failed(result), [BagItCode.infoOxumMismatch.rawValue, PayloadCode.fileMissing.rawValue])
        let missing = result.findings.first { $0.code == PayloadCode.fileMissing.rawValue }
        XCTAssertEqual(missing?.subject, "data/sub/b.txt")
        XCTAssertEqual(missing?.message, "data/sub/b.txt is listed in manifest-sha256.txt and manifest-sha512.txt but is not present")
        XCTAssertEqual(result.findings.first { $0.code == BagItCode.infoOxumMismatch.rawValue }?.expected, "12.2")
        XCTAssertEqual(result.findings.first { $0.code == BagItCode.infoOxumMismatch.rawValue }?.found, "6.1")
    }

    func testAnExtraFileIsUnlisted() {
        var files = Support.validBag()
        files["data/extra"] = []
        let result = check(files)
        XCTAssertEqual(failed(result), [BagItCode.infoOxumMismatch.rawValue, PayloadCode.fileUnlisted.rawValue])
        XCTAssertEqual(result.findings.first { $0.code == PayloadCode.fileUnlisted.rawValue }?.subject, "data/extra")
    }

    func testEveryPayloadFileMustBeInEveryPayloadManifest() {
        var files = Support.validBag()
        var sha512 = Manifest(kind: .payload, algorithm: .sha512)
        try! sha512.add(path: "data/a.txt", digest: MultiDigest.digests(of: files["data/a.txt"]!, [.sha512])[.sha512]!)
        files["manifest-sha512.txt"] = sha512.serialized()
        let result = check(files)
        let unlisted = result.findings.filter { $0.code == PayloadCode.fileUnlisted.rawValue }
        XCTAssertEqual(unlisted.map(\.subject), ["data/sub/b.txt"])
        XCTAssertEqual(unlisted.first?.message, "data/sub/b.txt is not listed in manifest-sha512.txt")
    }

    func testBefore1_0OneManifestPerFileWasEnough() {
        var files = Support.validBag()
        var sha512 = Manifest(kind: .payload, algorithm: .sha512)
        try! sha512.add(path: "data/a.txt", digest: MultiDigest.digests(of: files["data/a.txt"]!, [.sha512])[.sha512]!)
        files["manifest-sha512.txt"] = sha512.serialized()
        files["bagit.txt"] = BagDeclaration(version: .v0_97, encodingName: "UTF-8").serialized()
        files["tagmanifest-sha256.txt"] = nil
        files["tagmanifest-sha512.txt"] = nil
        var result = check(files)
        XCTAssertEqual(failed(result), [])
        XCTAssertEqual(result.findings.first { $0.code == PayloadCode.fileUnlisted.rawValue }?.status, .warning)

        files["data/extra"] = []
        files["bag-info.txt"] = nil
        result = check(files)
        XCTAssertEqual(failed(result), [PayloadCode.fileUnlisted.rawValue], "a file in no manifest fails in every version")
    }

    func testABagWithoutPayloadManifestFails() {
        var files = Support.validBag()
        files["manifest-sha256.txt"] = nil
        files["manifest-sha512.txt"] = nil
        XCTAssertTrue(failed(check(files)).contains(ManifestCode.missing.rawValue))
    }

    func testAnUnsupportedAlgorithmIsIndeterminateNotFailed() {
        var files = Support.validBag()
        files["manifest-blake3.txt"] = Array("abcd  data/a.txt\n".utf8)
        let result = check(files)
        XCTAssertEqual(failed(result), [])
        XCTAssertEqual(Support.codes(result.findings, .indeterminate), [ManifestCode.algorithmUnsupported.rawValue])
        XCTAssertTrue(result.findings.contains { $0.code == PayloadCode.digests.rawValue }, "sha256 and sha512 were still checked")
        XCTAssertEqual(result.verdict, .indeterminate)

        files["manifest-sha256.txt"] = nil
        files["manifest-sha512.txt"] = nil
        let only = check(files)
        XCTAssertFalse(failed(only).contains(ManifestCode.missing.rawValue))
        XCTAssertFalse(only.findings.contains { $0.code == PayloadCode.digests.rawValue })
        XCTAssertEqual(only.verdict, .totalFailed, "the tag manifests no longer match")
    }

    func testOnlyBrokenAlgorithmsGiveAWarning() {
        let payload = Array("x".utf8)
        let files: [String: [UInt8]] = [
            "bagit.txt": BagDeclaration().serialized(), "data/x": payload, "manifest-md5.txt": md5Manifest([("data/x", payload)]),
        ]
        let result = check(files, payloadAlgorithms: [.md5])
        XCTAssertEqual(failed(result), [])
        XCTAssertEqual(Support.codes(result.findings, .warning), [ManifestCode.algorithmWeak.rawValue])
        XCTAssertEqual(Support.codes(check(Support.validBag()).findings, .warning), [])
    }

    func testTheReaderMustHaveComputedTheManifestsAlgorithm() {
        let result = check(Support.validBag(), payloadAlgorithms: [.sha256])
        XCTAssertEqual(failed(result), [])
        XCTAssertEqual(Support.codes(result.findings, .indeterminate), [PayloadCode.digestUnavailable.rawValue])
        XCTAssertEqual(result.verdict, .indeterminate)
    }

    func testDeclarationProblems() {
        var files = Support.validBag()
        files["bagit.txt"] = nil
        XCTAssertTrue(failed(check(files)).contains(BagItCode.declarationMissing.rawValue))
        files["bagit.txt"] = Array("BagIt-Version : 1.0\nTag-File-Character-Encoding : UTF-8\n".utf8)
        let result = check(files)
        XCTAssertTrue(failed(result).contains(BagItCode.declarationInvalid.rawValue))
        XCTAssertNil(result.declaration)
        XCTAssertTrue(failed(result).contains(TagManifestCode.digestMismatch.rawValue), "checking went on after the bad declaration")
    }

    func testAnUndecodableEncodingStopsWithIndeterminate() {
        var files = Support.validBag()
        files["bagit.txt"] = Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: Shift_JIS\n".utf8)
        let result = check(files)
        XCTAssertEqual(Support.codes(result.findings, .indeterminate), [BagItCode.encodingUnsupported.rawValue])
        XCTAssertEqual(result.verdict, .indeterminate)
    }

    func testPayloadOxumProblems() {
        var files = Support.validBag()
        files["bag-info.txt"] = Array("Payload-Oxum: 12\n".utf8)
        XCTAssertTrue(failed(check(files)).contains(BagItCode.infoInvalid.rawValue))
        files["bag-info.txt"] = Array("Payload-Oxum: 12.2\nPayload-Oxum: 13.2\n".utf8)
        XCTAssertTrue(failed(check(files)).contains(BagItCode.infoOxumMismatch.rawValue), "every repeated value is checked")
        files["bag-info.txt"] = Array("no colon\n".utf8)
        XCTAssertTrue(failed(check(files)).contains(BagItCode.infoInvalid.rawValue))
    }

    func testTagManifestProblems() {
        var files = Support.validBag()
        files["bag-info.txt"]! += Array("Extra: x\n".utf8)
        var result = check(files)
        XCTAssertEqual(Set(failed(result)), [TagManifestCode.digestMismatch.rawValue])
        XCTAssertEqual(result.findings.first { $0.code == TagManifestCode.digestMismatch.rawValue }?.subject, "bag-info.txt")

        files = Support.validBag()
        files["amana/custody.jsonl"] = Array("{}\n".utf8)
        result = check(files)
        XCTAssertEqual(failed(result), [], "tag manifests need not list every tag file")

        files["bag-info.txt"] = nil
        result = check(files)
        XCTAssertEqual(failed(result), [TagManifestCode.fileMissing.rawValue])
    }

    func testAPayloadPathInATagManifestIsRejected() {
        var files = Support.validBag()
        files["tagmanifest-md5.txt"] = md5Manifest([("bagit.txt", files["bagit.txt"]!)], kind: .tag) + Array("00000000000000000000000000000000  data/a.txt\n".utf8)
        XCTAssertEqual(failed(check(files)), [ManifestCode.pathInvalid.rawValue])
    }

    func testFetchIsNeverFollowedButJudged() {
        var files = Support.validBag()
        files["fetch.txt"] = Array("https://example.org/a - data/a.txt\nhttps://example.org/c 3 data/c.txt\n".utf8)
        let result = check(files)
        XCTAssertEqual(Support.codes(result.findings, .warning), [FetchCode.ignored.rawValue])
        XCTAssertEqual(failed(result), [FetchCode.entryUnlisted.rawValue])
        XCTAssertEqual(result.fetch?.entries.count, 2)
    }

    func testNamesDifferingInCaseOrNormalisationMatchWithAWarning() {
        let nfc = "data/N\u{FA}\u{F1}ez", nfd = "data/Nu\u{301}n\u{303}ez"
        let bytes = Array("x".utf8)
        for (listed, present) in [(nfd, nfc), ("data/HELLO.txt", "data/hello.txt")] {
            let files: [String: [UInt8]] = [
                "bagit.txt": BagDeclaration().serialized(), present: bytes, "manifest-md5.txt": md5Manifest([(listed, bytes)]),
            ]
            let result = check(files, payloadAlgorithms: [.md5])
            XCTAssertEqual(failed(result), [], listed)
            let variant = result.findings.first { $0.code == ManifestCode.pathVariant.rawValue }
            XCTAssertEqual(variant?.status, .warning)
            XCTAssertEqual(variant?.found, present)
        }
        // A variant's bytes are still checked.
        let files: [String: [UInt8]] = [
            "bagit.txt": BagDeclaration().serialized(), "data/hello.txt": bytes,
            "manifest-md5.txt": md5Manifest([("data/HELLO.txt", Array("y".utf8))]),
        ]
        XCTAssertEqual(failed(check(files, payloadAlgorithms: [.md5])), [PayloadCode.digestMismatch.rawValue])
    }

    func testAFileStartingWithACombiningMarkIsStillPayload() {
        // "data/" + U+0301: Swift's hasPrefix("data/") says no, because "/" and the mark form one Character.
        var files = Support.validBag()
        files["data/\u{301}hidden"] = Array("x".utf8)
        let result = check(files)
        XCTAssertTrue(result.findings.contains { $0.code == PayloadCode.fileUnlisted.rawValue && $0.subject == "data/\u{301}hidden" })
    }

    func testISO8859_1ManifestsNameUTF8Files() {
        let payload = Array("x".utf8)
        let md5 = MultiDigest.digests(of: payload, [.md5])[.md5]!.hex
        let files: [String: [UInt8]] = [
            "bagit.txt": Array("BagIt-Version: 0.97\nTag-File-Character-Encoding: ISO-8859-1\n".utf8),
            "data/caf\u{E9}.txt": payload,
            "manifest-md5.txt": Array("\(md5)  data/caf".utf8) + [0xE9] + Array(".txt\n".utf8),
        ]
        XCTAssertEqual(failed(check(files, payloadAlgorithms: [.md5])), [])
    }

    func testAByteOrderMarkInAManifestIsAWarning() {
        var files = Support.validBag()
        files["manifest-sha256.txt"] = [0xEF, 0xBB, 0xBF] + files["manifest-sha256.txt"]!
        files["tagmanifest-sha256.txt"] = nil
        files["tagmanifest-sha512.txt"] = nil
        let result = check(files)
        XCTAssertEqual(failed(result), [])
        XCTAssertEqual(Support.codes(result.findings, .warning), [BagItCode.tagfileBOM.rawValue])
    }

    func testNoPayloadFolderFails() {
        var inventory = Support.inventory(["bagit.txt": BagDeclaration().serialized(), "manifest-sha256.txt": []], directories: [])
        XCTAssertTrue(Support.codes(BagChecker.check(inventory).findings, .failed).contains(BagItCode.payloadMissing.rawValue))
        inventory.directories = ["data"]
        XCTAssertEqual(Support.codes(BagChecker.check(inventory).findings, .failed), [], "an empty payload is valid")
    }

    func testSystemFilesGiveAWarning() {
        XCTAssertTrue(BagCheckRun.isSystemFile("data/.DS_Store"))
        XCTAssertTrue(BagCheckRun.isSystemFile("data/x/thumbs.db"))
        XCTAssertTrue(BagCheckRun.isSystemFile("data/__MACOSX/photo.jpg"))
        XCTAssertTrue(BagCheckRun.isSystemFile("data/._photo.jpg"))
        XCTAssertFalse(BagCheckRun.isSystemFile("data/photo.jpg"))
        XCTAssertFalse(BagCheckRun.isSystemFile("data/.hidden"))
    }
}
