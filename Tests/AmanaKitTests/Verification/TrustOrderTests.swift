@testable import AmanaKit
import AmanaTestSupport
import XCTest

/// Trust must not depend on the order or repetition of `--trust` inputs (spec/keys.md section 11).
///
/// The property: for every sequence drawn from (the signer's `.pub`, a keyring that revokes it, a second keyring
/// that only names its holder), every order and every duplication of the same inputs gives the same verdict and the
/// same set of finding codes; and any set that includes the revoking keyring fails.
final class TrustOrderTests: XCTestCase {
    private let claimed = UTCTime.parse("2026-06-01T12:00:00Z")!

    func testEveryOrderAndDuplicationGivesTheSameVerdictAndCodes() throws {
        let folder = TemporaryFolder()
        try folder.write("in/exhibit.txt", Array("exhibit".utf8))
        let key = try SecretKey.generate(name: "Field Team", organization: "Documenters")
        var options = SealOptions(inputs: [folder.file("in")], output: folder.file("case.tar"))
        options.time = claimed
        _ = try Sealer.seal(options, key: key)

        let keyLine = key.publicKey.base64
        let inputs: [(name: String, keys: [TrustedKey])] = [
            ("field-team.pub", [TrustedKey(key: try PublicKey(minisignFile: key.publicKey.minisignFile()), source: "field-team.pub")]),
            ("revoked.keyring", try Keyring.parse(Array("""
                amana-keyring: 1

                key: \(keyLine)
                name: Field Team
                revoked-at: 2026-03-01T00:00:00Z

                """.utf8), source: "revoked.keyring")),
            ("names.keyring", try Keyring.parse(Array("""
                amana-keyring: 1

                key: \(keyLine)
                name: Someone Else
                organization: Other Org

                """.utf8), source: "names.keyring")),
        ]

        var outcomes = [Set<Int>: (verdict: Verdict, codes: Set<String>, sequence: [Int])]()
        var checked = 0
        for sequence in Self.sequences(of: inputs.count, maxRepeats: 2) {
            let trust = try TrustSet(sequence.flatMap { inputs[$0].keys })
            let report = try Verifier.verify(options.output, options: VerifyOptions(trust: trust, validationTime: claimed))
            let codes = Set(report.findings.filter { $0.status != .passed }.map(\.code))
            let set = Set(sequence)
            if let first = outcomes[set] {
                XCTAssertEqual(report.verdict, first.verdict, "\(sequence) vs \(first.sequence)")
                XCTAssertEqual(codes, first.codes, "\(sequence) vs \(first.sequence)")
            } else {
                outcomes[set] = (report.verdict, codes, sequence)
            }
            if set.contains(1) {
                XCTAssertEqual(report.verdict, .totalFailed, "\(sequence): the revocation must apply in every order")
                XCTAssertTrue(codes.contains("seal.key.validity"), "\(sequence): \(codes)")
            } else {
                XCTAssertEqual(report.verdict, .totalPassed, "\(sequence): \(codes)")
            }
            XCTAssertEqual(codes.contains("trust.key.conflict"), set.contains(2) && set.count > 1, "\(sequence): \(codes)")
            checked += 1
        }
        XCTAssertEqual(outcomes.count, 7)
        XCTAssertEqual(checked, 270)
    }

    func testOneKeyIDForTwoKeysIsRefusedWhateverTheOrder() throws {
        let real = try SecretKey.generate(name: "Archive", organization: nil).publicKey
        let impostor = try Self.key(withID: real.keyID)
        let a = TrustedKey(key: real, source: "archive.pub")
        let b = TrustedKey(key: impostor, source: "mallory.pub")
        for order in [[a, b], [b, a]] {
            XCTAssertThrowsError(try TrustSet(order)) { error in
                let error = error as! AmanaError
                XCTAssertEqual(error.code, .usage)
                XCTAssertEqual(error.reason, "archive.pub and mallory.pub give key id \(real.keyID) to two different keys")
            }
        }
    }

    func testMergedConstraintsTakeTheNarrowestWindowAndEarliestRevocation() throws {
        let key = try SecretKey.generate(name: nil, organization: nil).publicKey
        var first = TrustedKey(key: key, source: "a.keyring")
        first.fromKeyring = true
        first.notBefore = UTCTime.parse("2026-01-01T00:00:00Z")
        first.notAfter = UTCTime.parse("2027-01-01T00:00:00Z")
        first.revokedAt = UTCTime.parse("2026-09-01T00:00:00Z")
        var second = TrustedKey(key: key, source: "b.keyring")
        second.fromKeyring = true
        second.notBefore = UTCTime.parse("2026-02-01T00:00:00Z")
        second.notAfter = UTCTime.parse("2028-01-01T00:00:00Z")
        second.revokedAt = UTCTime.parse("2026-08-01T00:00:00Z")
        for order in [[first, second], [second, first]] {
            let merged = try XCTUnwrap(TrustSet(order).key(raw: key.rawKey))
            XCTAssertEqual(merged.notBefore, second.notBefore)
            XCTAssertEqual(merged.notAfter, first.notAfter)
            XCTAssertEqual(merged.revokedAt, second.revokedAt)
            XCTAssertEqual(merged.sources.map(\.source), ["a.keyring", "b.keyring"])
            XCTAssertEqual(merged.source, "a.keyring, b.keyring")
        }
    }

    /// Every sequence over `count` inputs in which each input appears at most `maxRepeats` times, in every order.
    static func sequences(of count: Int, maxRepeats: Int) -> [[Int]] {
        var result = [[Int]]()
        func extend(_ prefix: [Int], _ used: [Int]) {
            if !prefix.isEmpty { result.append(prefix) }
            for input in 0..<count where used[input] < maxRepeats {
                var next = used
                next[input] += 1
                extend(prefix + [input], next)
            }
        }
        extend([], Array(repeating: 0, count: count))
        return result
    }

    /// A public key with a chosen key id and fresh key bytes: what an impersonator makes.
    static func key(withID id: KeyID) throws -> PublicKey {
        let fresh = try SecretKey.generate(name: nil, organization: nil).publicKey
        return try PublicKey(base64: Base64.encode(MinisignFormat.keyAlgorithm + id.bytes + fresh.rawKey))
    }
}
