@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Runs every generated vector in fixtures/vectors/ (see Sources/generate-vectors). A vector folder that this runner
/// does not understand fails the test, so new vectors cannot be silently ignored.
final class VectorTests: XCTestCase {
    private let vectors = TestEnvironment.packageRoot.appendingPathComponent("fixtures/vectors")

    private func cases(_ kind: String) throws -> [URL] {
        let folder = vectors.appendingPathComponent(kind)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertFalse(names.isEmpty, "no \(kind) vectors")
        return names.map { folder.appendingPathComponent($0) }
    }

    private func expected(_ folder: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    private func trusted(_ name: String) throws -> TrustedKey {
        let path = vectors.appendingPathComponent("keys/\(name)").path
        return TrustedKey(key: try PublicKey(minisignFile: String(contentsOfFile: path, encoding: .utf8)), source: name)
    }

    func testSealVectors() throws {
        for folder in try cases("seal") {
            let expect = try expected(folder)["expect"] as! String
            var inventory = BagInventory()
            for (source, target) in [("statement", "seals/0001.seal"), ("statement.minisig", "seals/0001.seal.minisig")] {
                let bytes = try readBytes(folder.appendingPathComponent(source).path)
                inventory.files[target] = BagInventory.File(
                    size: UInt64(bytes.count), digests: MultiDigest.digests(of: bytes, DigestAlgorithm.allCases), contents: bytes)
            }
            var rule = SealRule(inventory: inventory, bundleID: nil, trusted: try TrustSet([try trusted("signer.pub")]))
            let findings = rule.check()
                .filter { !$0.code.hasPrefix("seal.commitment") && $0.code != "seal.time.claimed-only" }  // no manifests, no tokens here
            let name = folder.lastPathComponent
            if expect == "valid" {
                XCTAssertEqual(findings.map(\.status), [.passed], "\(name): \(findings)")
            } else {
                XCTAssertTrue(findings.contains { $0.code == expect && $0.status != .passed }, "\(name): expected \(expect), got \(findings)")
            }
        }
    }

    /// Receipts (custody-log.md section 8.1): the receipt's own findings, judged against the bundle it answers and
    /// the case's trust inputs, give exactly the expected verdict and set of non-passed codes.
    func testReceiptVectors() throws {
        for folder in try cases("receipt") {
            let expect = try expected(folder)
            let name = folder.lastPathComponent
            let trust = try TrustSet((expect["trust"] as! String).split(separator: " ").flatMap { file -> [TrustedKey] in
                let local = folder.appendingPathComponent(String(file)).path
                guard FileManager.default.fileExists(atPath: local) else { return [try trusted(String(file))] }
                return try Keyring.parse(readBytes(local), source: String(file))
            })
            let bundle = vectors.appendingPathComponent(expect["bundle"] as! String).path
            let inventory = try TarBagReader.read(bundle, payloadAlgorithms: [])
            let log = try CustodyLog(bytes: XCTUnwrap(inventory.files[CustodyLog.path]?.contents))
            let receipt = try Receipt(bytes: readBytes(folder.appendingPathComponent("receipt.json").path))
            let findings = ReceiptRule(receipt: receipt, trusted: trust, bundleID: inventory.rootName, log: log).check().findings
            XCTAssertEqual(Verdict(findings: findings).rawValue, expect["verdict"] as? String, "\(name): \(findings)")
            XCTAssertEqual(Set(findings.filter { $0.status != .passed }.map(\.code)), Set(expect["codes"] as! [String]), name)
        }
    }

    func testBundleVectors() throws {
        for folder in try cases("bundle") {
            let expect = try expected(folder)
            let report = try Verifier.verify(folder.appendingPathComponent("bundle.tar").path,
                                             options: try VerifyOptions(trustedKeys: try (expect["trust"] as! String)
                                                 .split(separator: " ").map { try trusted(String($0)) }))
            let name = folder.lastPathComponent
            XCTAssertEqual(report.verdict.rawValue, expect["verdict"] as? String, "\(name): \(report.findings.filter { $0.status != .passed })")
            let notPassed = Set(report.findings.filter { $0.status == .failed || $0.status == .indeterminate }.map(\.code))
            for code in expect["codes"] as! [String] {
                XCTAssertTrue(notPassed.contains(code), "\(name): expected \(code) in \(notPassed)")
            }
        }
    }
}
