@testable import AmanaKit
import XCTest

final class SealStatementTests: XCTestCase {
    private func sample(previous: String? = nil, number: Int = 1) -> SealStatement {
        SealStatement(bundleID: "b-1", number: number, claimedTime: "2026-11-29T03:05:41Z",
                      signerKeyID: "E7620F1842B4E81F", signerPublicKey: "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3",
                      manifests: [.init(algorithm: .sha512, hex: String(repeating: "b", count: 128)),
                                  .init(algorithm: .sha256, hex: String(repeating: "a", count: 64))],
                      tagManifests: [.init(algorithm: .sha256, hex: String(repeating: "c", count: 64))],
                      custodyLength: 7, custodyRoot: String(repeating: "e", count: 64), previousSeal: previous)
    }

    func testSerialisationIsTheDocumentedText() {
        XCTAssertEqual(String(decoding: sample().serialized(), as: UTF8.self), """
            Amana-Seal-Version: 1
            Bundle-Id: b-1
            Seal-Number: 1
            Claimed-Time: 2026-11-29T03:05:41Z
            Signer-Key-Id: E7620F1842B4E81F
            Signer-Public-Key: RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3
            Manifest: sha256 \(String(repeating: "a", count: 64))
            Manifest: sha512 \(String(repeating: "b", count: 128))
            Tag-Manifest: sha256 \(String(repeating: "c", count: 64))
            Custody-Log: 7 \(String(repeating: "e", count: 64))

            """)
    }

    func testRoundTrip() throws {
        XCTAssertEqual(try SealStatement(parsing: sample().serialized()), sample())
        let second = sample(previous: String(repeating: "d", count: 64), number: 2)
        XCTAssertEqual(try SealStatement(parsing: second.serialized()), second)
    }

    func testRejectsNonCanonicalAndHostileText() {
        let good = String(decoding: sample().serialized(), as: UTF8.self)
        let variants = [
            good.replacingOccurrences(of: "\n", with: "\r\n"),
            good.replacingOccurrences(of: "Seal-Number: 1", with: "Seal-Number: 01"),
            good.replacingOccurrences(of: String(repeating: "a", count: 64), with: String(repeating: "A", count: 64)),
            good.replacingOccurrences(of: "Bundle-Id: b-1", with: "Bundle-Id: ../etc"),
            good + "Extra: field\n",
            String(good.dropLast()),
            good.replacingOccurrences(of: "Manifest: sha256 " + String(repeating: "a", count: 64),
                                      with: "Manifest: md5 " + String(repeating: "a", count: 32)),
            good.replacingOccurrences(of: "2026-11-29T03:05:41Z", with: "yesterday"),
            good.replacingOccurrences(of: "Custody-Log: 7 ", with: "Custody-Log: 0 "),
            good.replacingOccurrences(of: "Custody-Log: 7 ", with: "Custody-Log: 07 "),
            good + "Previous-Seal: sha256 \(String(repeating: "d", count: 64))\n",  // seal 1 has no previous
            "", "\n", String(repeating: "x", count: 70_000),
        ]
        for variant in variants {
            XCTAssertThrowsError(try SealStatement(parsing: Array(variant.utf8)), variant.prefix(80).description) { error in
                XCTAssertEqual((error as? AmanaError)?.code, .inputInvalid)
            }
        }
        XCTAssertThrowsError(try SealStatement(parsing: [0xFF, 0xFE]))
    }

    func testSealFileNames() {
        XCTAssertEqual(BundleLayout.sealFile(1), "seals/0001.seal")
        XCTAssertEqual(BundleLayout.sealSignature(12), "seals/0012.seal.minisig")
        XCTAssertEqual(BundleLayout.parseSealPath("seals/0007.seal")?.number, 7)
        XCTAssertEqual(BundleLayout.parseSealPath("seals/0007.seal.minisig")?.kind, .signature)
        for bad in ["seals/7.seal", "seals/0000.seal", "seals/00a1.seal", "seals/0001.seal.tsr", "seal/0001.seal", "seals/00001.seal"] {
            XCTAssertNil(BundleLayout.parseSealPath(bad), bad)
        }
    }
}
