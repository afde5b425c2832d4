@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// The attacks of issues 10 and 11 on trust, through the CLI: a revocation passed after the key's own `.pub`, a
/// forged receipt, a borrowed name, a borrowed key id, and a verdict line that named every trusted key as a signer.
/// The attacker holds keys of their own, edits what they hand over, and chooses what files the victim passes.
final class TrustAttackCLITests: XCTestCase {
    private var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = TemporaryFolder("amana-trust")
        for (party, name, organization) in [("field", "Demo Documenter", "Example Archive"),
                                            ("archive", "Demo Archivist", "Example Court Archive")] {
            let result = try amana(["keygen", "--output", f(party), "--name", name, "--organization", organization, "--unencrypted"])
            XCTAssertEqual(result.status, 0, "\(result)")
        }
    }

    private func f(_ name: String) -> String { folder.file(name) }

    @discardableResult
    private func run(_ arguments: [String], expect status: Int32, file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let result = try amana(arguments)
        XCTAssertEqual(result.status, status, "\(arguments.joined(separator: " "))\n\(result)", file: file, line: line)
        return result
    }

    private func seal(_ output: String, key: String) throws {
        let sample = TestEnvironment.sampleMedia.path
        try run(["seal", "\(sample)/checkpoint-photo.png", "--key", key, "--output", output], expect: 0)
    }

    private func publicKey(_ name: String) throws -> PublicKey {
        try PublicKey(minisignFile: Array(FileManager.default.contents(atPath: f(name))!))
    }

    /// Mallory's key: her own key bytes, carrying `id` and the comment she chose, written as NAME.key; and NAME.pub
    /// as the victim labels it.
    private func impostor(_ name: String, id: KeyID, claims: (String, String), labelled: (String, String)) throws {
        let secret = SecretKey(keyID: id, secret: try Ed25519.generateSecretKey(),
                               metadata: try KeyComment.validated(name: claims.0, organization: claims.1))
        try Data(try secret.minisignFile(passphrase: nil).utf8).write(to: URL(fileURLWithPath: f("\(name).key")))
        let honest = PublicKey(keyID: id, rawKey: secret.publicKey.rawKey,
                               metadata: try KeyComment.validated(name: labelled.0, organization: labelled.1))
        try Data(honest.minisignFile().utf8).write(to: URL(fileURLWithPath: f("\(name).pub")))
    }

    private func keyring(_ name: String, _ stanza: String) throws {
        try Data("amana-keyring: 1\n\n\(stanza)\n".utf8).write(to: URL(fileURLWithPath: f(name)))
    }

    // MARK: issue 10 item 1

    func testARevocationAppliesWhateverTheOrderOfTrustInputs() throws {
        try seal(f("case.tar"), key: f("field.key"))
        try keyring("revoked.keyring", "key: \(try publicKey("field.pub").base64)\nname: Demo Documenter\nrevoked-at: 2000-01-01T00:00:00Z\n")
        for order in [["revoked.keyring", "field.pub"], ["field.pub", "revoked.keyring"],
                      ["field.pub", "revoked.keyring", "field.pub"], ["revoked.keyring", "revoked.keyring"]] {
            let result = try run(["verify", f("case.tar")] + order.flatMap { ["--trust", f($0)] }, expect: 1)
            XCTAssertTrue(result.stdout.contains("seal.key.validity"), "\(order)\n\(result.stdout)")
        }
    }

    func testTwoTrustInputsGivingOneKeyIDToTwoKeysAreAUsageError() throws {
        try seal(f("case.tar"), key: f("field.key"))
        try impostor("mallory", id: try publicKey("archive.pub").keyID, claims: ("Demo Archivist", "Example Court Archive"),
                     labelled: ("Mallory", "Partner NGO"))
        for order in [["archive.pub", "mallory.pub"], ["mallory.pub", "archive.pub"]] {
            let result = try run(["verify", f("case.tar")] + order.flatMap { ["--trust", f($0)] }, expect: 64)
            XCTAssertTrue(result.stderr.hasPrefix("amana: error: \(f("archive.pub")) and \(f("mallory.pub")) give key id "), result.stderr)
            XCTAssertTrue(result.stderr.contains("amana: hint: "), result.stderr)
        }
    }

    func testConflictingHolderNamesAreAWarningListingEverySource() throws {
        try seal(f("case.tar"), key: f("field.key"))
        try keyring("other.keyring", "key: \(try publicKey("field.pub").base64)\nname: Someone Else\n")
        let result = try run(["verify", f("case.tar"), "--json", "--trust", f("other.keyring"), "--trust", f("field.pub")], expect: 0)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let findings = report["findings"] as! [[String: Any]]
        XCTAssertTrue(findings.contains { $0["code"] as? String == "trust.key.conflict" && $0["status"] as? String == "warning" })
        let keys = (report["trust"] as! [String: Any])["keys"] as! [[String: Any]]
        XCTAssertEqual(keys.count, 1)
        guard !keys.isEmpty else { return }
        XCTAssertEqual((keys.first?["sources"] as? [[String: Any]])?.compactMap { $0["source"] as? String }, [f("field.pub"), f("other.keyring")])
        XCTAssertEqual(keys[0]["name"] as? String, "Someone Else", "a keyring names the holder over a .pub comment")
    }

    // MARK: issue 11 items 2 and 3

    /// Hands b1 (sealed by the field team) to the archive, which receives it and writes a receipt.
    private func handOff() throws {
        try seal(f("b1.tar"), key: f("field.key"))
        try run(["custody", "transfer", f("b1.tar"), "--key", f("field.key"), "--to", f("archive.pub"), "--output", f("b2.tar")], expect: 0)
        try run(["custody", "receive", f("b2.tar"), "--key", f("archive.key"), "--trust", f("field.pub"), "--output", f("b3.tar"),
                 "--role", "archivist", "--receipt", f("receipt.json")], expect: 0)
    }

    func testAReceiptIsBelievedOnlyFromATrustedRawKey() throws {
        try handOff()
        let trustBoth = ["--trust", f("field.pub"), "--trust", f("archive.pub")]
        let genuine = try run(["custody", "show", f("b3.tar"), "--receipt", f("receipt.json")] + trustBoth, expect: 0)
        XCTAssertTrue(genuine.stdout.contains("receipt from Demo Archivist, Example Court Archive, archivist"), genuine.stdout)

        // The forger: a new key carrying the archive's key id, the archive's name copied into the receipt.
        let real = try Receipt(bytes: Array(FileManager.default.contents(atPath: f("receipt.json"))!))
        let forger = SecretKey(keyID: try publicKey("archive.pub").keyID, secret: try Ed25519.generateSecretKey(),
                               metadata: KeyComment())
        var forged = real
        forged.verdict = "TOTAL-PASSED"
        forged.recipient.publicKey = forger.publicKey.base64
        try forged.sign(with: forger)
        try Data(forged.bytes).write(to: URL(fileURLWithPath: f("forged.json")))
        let caught = try run(["custody", "show", f("b3.tar"), "--receipt", f("forged.json"), "--json"] + trustBoth, expect: 1)
        let document = try JSONSerialization.jsonObject(with: Data(caught.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(document["verdict"] as? String, "TOTAL-FAILED")
        let receiptFindings = try XCTUnwrap((document["receipt"] as? [String: Any])?["findings"] as? [[String: Any]])
        let codes = receiptFindings.compactMap { $0["code"] as? String }
        XCTAssertEqual(codes, ["receipt.key.substituted", "receipt.log"])

        // The genuine receipt, with the archive not trusted: nothing vouches for its signer.
        let untrusted = try run(["custody", "show", f("b3.tar"), "--receipt", f("receipt.json"), "--trust", f("field.pub")], expect: 2)
        XCTAssertTrue(untrusted.stdout.contains("receipt.key.untrusted"), untrusted.stdout)
        XCTAssertTrue(untrusted.stdout.contains("receipt from untrusted key, claims to be Demo Archivist"), untrusted.stdout)
    }

    func testCustodyShowNamesTheTrustedHolderNotTheEventsClaim() throws {
        try seal(f("b1.tar"), key: f("field.key"))
        try run(["custody", "transfer", f("b1.tar"), "--key", f("field.key"), "--to", f("archive.pub"), "--output", f("b2.tar")], expect: 0)
        // Mallory's secret key says "Demo Archivist, Example Court Archive" and reuses the archive's key id; the victim
        // labels her public key honestly.
        try impostor("mallory", id: try publicKey("archive.pub").keyID, claims: ("Demo Archivist", "Example Court Archive"),
                     labelled: ("Mallory", "Partner NGO"))
        let receive = try run(["custody", "receive", f("b2.tar"), "--key", f("mallory.key"), "--trust", f("field.pub"),
                               "--output", f("b3.tar"), "--role", "archivist"], expect: 0)
        _ = receive
        // The transfer named the archive's key; Mallory's has the same id but other bytes, and the event records it.
        let shown = try run(["custody", "show", f("b3.tar"), "--json", "--trust", f("field.pub"), "--trust", f("mallory.pub")], expect: 0)
        let events = (try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as! [String: Any])["events"] as! [[String: Any]]
        let received = try XCTUnwrap(events.first { $0["action"] as? String == "received" })
        XCTAssertNotNil((received["details"] as? [String: String])?["addressedTo"], "receive compares whole keys, not ids")
        XCTAssertEqual((received["holder"] as? [String: Any])?["name"] as? String, "Mallory")

        let text = try run(["custody", "show", f("b3.tar"), "--trust", f("field.pub"), "--trust", f("mallory.pub")], expect: 0)
        XCTAssertTrue(text.stdout.contains("received    Mallory, Partner NGO, archivist (the event claims to be Demo Archivist, Example Court Archive)"),
                      text.stdout)
        XCTAssertFalse(text.stdout.contains("received    Demo Archivist"), text.stdout)
        // The archive's real key and Mallory's cannot both be trusted: one id, two keys.
        try run(["custody", "show", f("b3.tar"), "--trust", f("archive.pub"), "--trust", f("mallory.pub")], expect: 64)
    }

    // MARK: issue 11 item 6

    func testTheVerdictLineNamesOnlyTheKeysThatSigned() throws {
        try impostor("mallory", id: try KeyID.random(), claims: ("Mallory", "Partner NGO"), labelled: ("Mallory", "Partner NGO"))
        try seal(f("by-mallory.tar"), key: f("mallory.key"))
        let mallory = try publicKey("mallory.pub").keyID
        let field = try publicKey("field.pub").keyID
        let result = try run(["verify", f("by-mallory.tar"), "--trust", f("field.pub"), "--trust", f("mallory.pub")], expect: 0)
        XCTAssertTrue(result.stdout.contains("every seal is a valid signature by trusted key \(mallory) (Mallory, Partner NGO) (1 warning above)\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("trusted, but signed no seal of this bundle: \(field) (Demo Documenter, Example Archive) from \(f("field.pub"))"),
                      result.stdout)
        XCTAssertFalse(result.stdout.contains("signature by trusted keys"), result.stdout)
    }

    // MARK: issue 10 item 2

    func testAtWithAnOffsetIsAUsageErrorWithTheUTCSpellingAsHint() throws {
        try seal(f("case.tar"), key: f("field.key"))
        let result = try run(["verify", f("case.tar"), "--trust", f("field.pub"), "--at", "2026-12-06T06:00:36+02:00"], expect: 64)
        XCTAssertEqual(result.stderr, """
            amana: error: --at 2026-12-06T06:00:36+02:00 is not a utc-time (YYYY-MM-DDTHH:MM:SSZ)
            amana: hint: write the same instant in UTC, whole seconds: --at 2026-12-06T04:00:36Z

            """)
        for spelling in ["2026-12-06T04:00:36.5Z", "2026-12-06T04:00:36z", "2026-12-06"] {
            try run(["verify", f("case.tar"), "--at", spelling], expect: 64)
            try run(["verify-timestamp", f("case.tar"), "--data", f("case.tar"), "--at", spelling], expect: 64)
        }
    }
}
