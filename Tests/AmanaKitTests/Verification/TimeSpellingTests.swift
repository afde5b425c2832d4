@testable import AmanaKit
import XCTest

/// A signed time has one spelling, `utc-time` (spec/seal.md section 3.4). Each other spelling of the same instant,
/// signed by the trusted key, is refused with the exact code of the document it appears in.
final class TimeSpellingTests: XCTestCase {
    static let spellings = [
        "offset": "2026-12-06T06:00:36+02:00",
        "zero offset": "2026-12-06T04:00:36+00:00",
        "fraction": "2026-12-06T04:00:36.000Z",
        "lowercase z": "2026-12-06T04:00:36z",
        "lowercase t": "2026-12-06t04:00:36Z",
        "missing Z": "2026-12-06T04:00:36",
    ]

    func testSealStatementsWithAnotherSpellingAreMalformed() throws {
        let key = try SecretKey.generate(name: "Signer", organization: nil)
        let trust = try TrustSet([TrustedKey(key: key.publicKey, source: "signer.pub")])
        for (name, time) in Self.spellings.sorted(by: { $0.key < $1.key }) + [("canonical", "2026-12-06T04:00:36Z")] {
            let statement = SealStatement(bundleID: "b", number: 1, claimedTime: time, signerKeyID: key.keyID.description,
                                          signerPublicKey: key.publicKey.base64,
                                          manifests: [.init(algorithm: .sha256, hex: String(repeating: "a", count: 64))],
                                          tagManifests: [.init(algorithm: .sha256, hex: String(repeating: "b", count: 64))],
                                          custodyLength: 1, custodyRoot: String(repeating: "c", count: 64), previousSeal: nil)
            let bytes = statement.serialized()
            let signature = try key.sign(bytes, trustedComment: "timestamp:0\tfile:0001.seal").minisignFile()
            var inventory = BagInventory()
            for (path, content) in [("seals/0001.seal", bytes), ("seals/0001.seal.minisig", Array(signature.utf8))] {
                inventory.files[path] = .init(size: UInt64(content.count), digests: MultiDigest.digests(of: content, [.sha256]),
                                              contents: content)
            }
            var context = VerificationContext(inventory: inventory, trust: trust, bundleID: nil)
            let codes = Set(SealRule().check(&context).filter { $0.status != .passed && !$0.code.hasPrefix("seal.commitment") && $0.code != "seal.time.claimed-only" }
                .map(\.code))
            XCTAssertEqual(codes, name == "canonical" ? [] : ["seal.statement.malformed"], name)
        }
    }

    func testCustodyEventsWithAnotherSpellingAreMalformed() throws {
        let key = try SecretKey.generate(name: "Actor", organization: nil)
        let trust = try TrustSet([TrustedKey(key: key.publicKey, source: "actor.pub")])
        for (name, time) in Self.spellings.sorted(by: { $0.key < $1.key }) + [("canonical", "2026-12-06T04:00:36Z")] {
            let actor = CustodyEvent.Actor(keyID: key.keyID.description, publicKey: key.publicKey.base64, name: "Actor")
            var event = CustodyEvent(seq: 1, time: time, actor: actor, action: .note, items: [], details: ["note": "n"],
                                     prev: CustodyLog.genesis(bundleID: "b"))
            try event.sign(with: key)
            var log = CustodyLog()
            log.append(event)
            var inventory = BagInventory()
            inventory.files[CustodyLog.path] = .init(size: UInt64(log.bytes.count), digests: [:], contents: log.bytes)
            var context = VerificationContext(inventory: inventory, trust: trust, bundleID: "b")
            let findings = CustodyRule().check(&context)
            let codes = Set(findings.filter { $0.status == .failed }.map(\.code))
            XCTAssertEqual(codes, name == "canonical" ? [] : ["custody.event.malformed"], name)
        }
    }

    func testKeyringsAndReceiptsRefuseOtherSpellings() throws {
        let key = try SecretKey.generate(name: nil, organization: nil)
        for (name, time) in Self.spellings {
            let keyring = "amana-keyring: 1\n\nkey: \(key.publicKey.base64)\nrevoked-at: \(time)\n"
            XCTAssertThrowsError(try Keyring.parse(Array(keyring.utf8), source: "k"), name)
            var receipt = Receipt(bundleID: "b", verdict: "TOTAL-PASSED", receivedAt: time, custodyLength: 1,
                                  custodyRoot: String(repeating: "c", count: 64), seal: 2,
                                  recipient: .init(keyID: key.keyID.description, publicKey: key.publicKey.base64), sender: nil)
            try receipt.sign(with: key)
            XCTAssertThrowsError(try Receipt(bytes: receipt.bytes), name)
        }
    }
}
