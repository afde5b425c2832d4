import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// The store's ledger is a custody log: the same rule that judges a bundle's `amana/custody.jsonl` accepts its chain
/// and signatures, and catches an edited event.
final class LedgerCustodyRuleTests: XCTestCase {
    func testTheBundleCustodyRuleAcceptsTheLedgerAndCatchesAnEdit() throws {
        let folder = TemporaryFolder("amana-ledger")
        let key = try SecretKey.generate(name: "Archivist", organization: nil)
        // The creating store object holds the writer lock until it goes away.
        let storeID = try EvidenceStore.create(at: folder.file("store"), key: key).config.storeID
        try folder.write("card/a.bin", Array(repeating: 7, count: 5_000))
        try folder.write("card/b.bin", Array(repeating: 9, count: 6_000))
        let store: EvidenceStore? = try EvidenceStore.open(folder.file("store"), writing: true)
        let ingester = Ingester(store: store!, request: IngestRequest(sources: [folder.file("card")], caseID: "C",
                                                                      collector: "X", key: key))
        _ = try ingester.run(ingester.plan())
        let bytes = try readBytes(store!.layout.ledgerPath)

        func failed(_ log: [UInt8]) -> Set<String> {
            var inventory = BagInventory()
            inventory.files[CustodyLog.path] = .init(size: UInt64(log.count), digests: [:], contents: log)
            var context = VerificationContext(inventory: inventory,
                                              trust: try! TrustSet([TrustedKey(key: key.publicKey, source: "archivist.pub")]),
                                              bundleID: StoreCheckpoint.origin(storeID: storeID))
            let findings = CustodyRule().check(&context)
            return Set(findings.filter { $0.status == .failed }.map(\.code))
        }
        let intact = failed(bytes)
        XCTAssertFalse(intact.contains("custody.signature.invalid"), "\(intact)")
        XCTAssertFalse(intact.contains("custody.chain"), "\(intact)")
        XCTAssertFalse(intact.contains("custody.event.malformed"), "\(intact)")
        let edited = Array(String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: "\"source.path\":\"a.bin\"", with: "\"source.path\":\"z.bin\"").utf8)
        XCTAssertNotEqual(edited, bytes)
        XCTAssertTrue(failed(edited).contains("custody.signature.invalid"), "\(failed(edited))")
    }
}
