@testable import AmanaKit
import AmanaTestSupport
import XCTest

/// Every allowed digest set seals and verifies end to end, through the pipeline, with files around the pipeline's
/// slot size (empty, one byte, one slot, one slot and one byte) in a tar and in the extracted folder.
final class SealDigestChoiceTests: XCTestCase {
    func testEveryAllowedSetSealsAndVerifies() throws {
        let folder = TemporaryFolder()
        let slot = ChunkPipeline.slotSize
        for (name, size) in [("empty", 0), ("one", 1), ("slot", slot), ("slot-plus-one", slot + 1)] {
            try folder.write("in/\(name).bin", (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131) })
        }
        let key = try SecretKey.generate(name: "Test", organization: nil)
        let trust = try VerifyOptions(trustedKeys: [TrustedKey(key: key.publicKey, source: "test")])
        for (index, set) in DigestChoice.allowed.enumerated() {
            var options = SealOptions(inputs: [folder.file("in")], output: folder.file("bundle\(index).tar"))
            options.algorithms = set
            _ = try Sealer.seal(options, key: key)
            let report = try Verifier.verify(options.output, options: trust)
            XCTAssertEqual(report.verdict, .totalPassed, DigestChoice.spelling(set))
            let payload = report.findings.first { $0.code == PayloadCode.digests.rawValue }?.message ?? ""
            for algorithm in set {
                XCTAssertTrue(payload.contains(Manifest(kind: .payload, algorithm: algorithm).fileName),
                              "\(DigestChoice.spelling(set)): \(payload)")
            }
            XCTAssertEqual(report.findings.filter { $0.code == PayloadCode.digests.rawValue }.count, 1)

            let extracted = folder.file("out\(index)")
            let outcome = try Extractor.extract(options.output, to: extracted, options: trust, force: false)
            XCTAssertTrue(outcome.extracted)
            let root = extracted
            XCTAssertEqual(try Verifier.verify(root, options: trust).verdict, .totalPassed, DigestChoice.spelling(set))
        }
    }
}
