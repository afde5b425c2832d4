@testable import AmanaKit
import XCTest

/// Seal rules an outside implementer could not read from the spec before (issue 12, section 1): seals are `ED` only,
/// a statement names its manifest algorithms once each in grammar order, and `Bundle-Id` is held to
/// `External-Identifier` as well as to the root folder.
final class SealGapTests: XCTestCase {
    private func statement(_ key: PublicKey, bundleID: String = "b",
                           manifests: [DigestAlgorithm] = [.sha256]) -> SealStatement {
        SealStatement(bundleID: bundleID, number: 1, claimedTime: "2026-12-06T04:00:36Z", signerKeyID: key.keyID.description,
                      signerPublicKey: key.base64,
                      manifests: manifests.map { .init(algorithm: $0, hex: String(repeating: "a", count: $0.byteCount * 2)) },
                      tagManifests: [.init(algorithm: .sha256, hex: String(repeating: "b", count: 64))],
                      custodyLength: 1, custodyRoot: String(repeating: "c", count: 64), previousSeal: nil)
    }

    private func inventory(statement: [UInt8], signature: String) -> BagInventory {
        var inventory = BagInventory()
        for (path, content) in [("seals/0001.seal", statement), ("seals/0001.seal.minisig", Array(signature.utf8))] {
            inventory.files[path] = .init(size: UInt64(content.count), digests: MultiDigest.digests(of: content, [.sha256]),
                                          contents: content)
        }
        return inventory
    }

    /// The codes of the seal's own signature and statement checks (commitments and tokens are not part of these cases).
    private func codes(_ findings: [Finding]) -> Set<String> {
        Set(findings.filter { !$0.code.hasPrefix("seal.commitment") && $0.code != SealCode.timeClaimedOnly.rawValue }.map(\.code))
    }

    /// A legacy `Ed` signature made by the real minisign (`-S -l`) over a seal statement is refused by name, while the
    /// prehashed signature minisign makes by default over the same statement with the same key passes.
    func testMinisignLegacySealSignatureIsRefused() throws {
        let minisign = try SigningTestSupport.minisign()
        let directory = try SigningTemporaryDirectory()
        func run(_ arguments: [String]) throws {
            let result = try SigningTestSupport.run(minisign, arguments, stdin: "", in: directory.url)
            XCTAssertEqual(result.status, 0, "minisign \(arguments): \(result.stderr)")
        }
        try run(["-G", "-W", "-p", "k.pub", "-s", "k.key"])
        let key = try PublicKey(minisignFile: try directory.read("k.pub"))
        let trust = try TrustSet([TrustedKey(key: key, source: "k.pub")])
        let bytes = statement(key).serialized()
        try directory.write("0001.seal", bytes)

        try run(["-S", "-l", "-s", "k.key", "-m", "0001.seal", "-t", "timestamp:0\tfile:0001.seal"])
        let legacy = try directory.read("0001.seal.minisig")
        XCTAssertEqual(try MinisignSignature(minisignFile: legacy).algorithm, .legacy)
        var context = VerificationContext(inventory: inventory(statement: bytes, signature: legacy), trust: trust, bundleID: "b")
        let findings = SealRule().check(&context)
        XCTAssertEqual(codes(findings), [SealCode.signatureLegacy.rawValue])
        XCTAssertEqual(findings.first { $0.has(SealCode.signatureLegacy) }?.found, "Ed")

        try run(["-S", "-s", "k.key", "-m", "0001.seal", "-t", "timestamp:0\tfile:0001.seal"])
        let prehashed = try directory.read("0001.seal.minisig")
        XCTAssertEqual(try MinisignSignature(minisignFile: prehashed).algorithm, .prehashed)
        var control = VerificationContext(inventory: inventory(statement: bytes, signature: prehashed), trust: trust, bundleID: "b")
        XCTAssertEqual(codes(SealRule().check(&control)), [SealCode.signature.rawValue])
    }

    /// `Bundle-Id` is compared with the root folder and with `External-Identifier`; one finding per seal.
    func testBundleIdIsHeldToExternalIdentifierToo() throws {
        let key = try SecretKey.generate(name: "Signer", organization: nil)
        let trust = try TrustSet([TrustedKey(key: key.publicKey, source: "signer.pub")])
        let bytes = statement(key.publicKey, bundleID: "root").serialized()
        let signature = try key.sign(bytes, trustedComment: "timestamp:0\tfile:0001.seal").minisignFile()
        let cases: [(root: String?, declared: String?, expected: String?)] = [
            ("root", "root", nil), ("root", "other", "other"), ("other", "root", "other"), ("x", "y", "x"),
            (nil, "other", "other"), (nil, nil, nil),
        ]
        for (root, declared, expected) in cases {
            var context = VerificationContext(inventory: inventory(statement: bytes, signature: signature), trust: trust,
                                              bundleID: root, declaredID: declared)
            let mismatches = SealRule().check(&context).filter { $0.has(SealCode.bundleMismatch) }
            XCTAssertEqual(mismatches.count, expected == nil ? 0 : 1, "root \(root ?? "-"), External-Identifier \(declared ?? "-")")
            XCTAssertEqual(mismatches.first?.expected, expected)
        }
    }

    /// One spelling per statement: each manifest algorithm at most once, in the grammar's order, blake2b512 last.
    func testStatementManifestOrderIsTheGrammars() throws {
        let key = try SecretKey.generate(name: nil, organization: nil).publicKey
        XCTAssertNoThrow(try SealStatement(parsing: statement(key, manifests: [.sha256, .sha512]).serialized()))
        XCTAssertNoThrow(try SealStatement(parsing: statement(key, manifests: [.sha256, .blake2b512]).serialized()))
        XCTAssertNoThrow(try SealStatement(parsing: statement(key, manifests: [.sha512, .blake2b512]).serialized()))
        // The initializer sorts, so the wrong orders are made by editing the bytes of right ones.
        func swapped(_ algorithms: [DigestAlgorithm]) -> [UInt8] {
            var lines = String(decoding: statement(key, manifests: algorithms).serialized(), as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false)
            let first = lines.firstIndex { $0.hasPrefix("Manifest: ") }!
            lines.swapAt(first, first + 1)
            return Array(lines.joined(separator: "\n").utf8)
        }
        func repeated() -> [UInt8] {
            var lines = String(decoding: statement(key, manifests: [.sha256]).serialized(), as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false)
            let first = lines.firstIndex { $0.hasPrefix("Manifest: ") }!
            lines.insert(lines[first], at: first)
            return Array(lines.joined(separator: "\n").utf8)
        }
        for (name, bytes) in [("sha512 first", swapped([.sha256, .sha512])), ("blake2b512 first", swapped([.sha256, .blake2b512])),
                              ("sha256 twice", repeated())] {
            XCTAssertThrowsError(try SealStatement(parsing: bytes), name)
        }
    }
}
