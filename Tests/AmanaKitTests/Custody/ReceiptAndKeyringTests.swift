@testable import AmanaKit
import XCTest

final class ReceiptAndKeyringTests: XCTestCase {
    func testReceiptSignsAndRejectsAlteration() throws {
        let key = try SecretKey.generate(name: "Rana", organization: "Archive")
        let actor = CustodyEvent.Actor(keyID: key.keyID.description, publicKey: key.publicKey.base64, name: "Rana")
        var receipt = Receipt(bundleID: "b", verdict: "TOTAL-PASSED", receivedAt: "2026-11-29T03:05:41Z", custodyLength: 6,
                              custodyRoot: String(repeating: "a", count: 64), seal: 3, recipient: actor, sender: "0123456789ABCDEF")
        try receipt.sign(with: key)
        let parsed = try Receipt(bytes: receipt.bytes)
        XCTAssertEqual(parsed, receipt)
        XCTAssertNotNil(parsed.verifiedRecipient())
        var altered = parsed
        altered.custodyLength = 5
        XCTAssertNil(altered.verifiedRecipient())
        XCTAssertThrowsError(try Receipt(bytes: Array("{}\n".utf8)))
    }

    func testKeyringParsing() throws {
        let a = try SecretKey.generate(name: nil, organization: nil)
        let b = try SecretKey.generate(name: nil, organization: nil)
        let text = """
            amana-keyring: 1
            # the field team
            key: \(a.publicKey.base64)
            name: Lina Haddad
            organization: Syrian Archive
            role: documenter
            not-before: 2026-01-01T00:00:00Z
            revoked-at: 2027-03-01T00:00:00Z

            key: \(b.publicKey.base64)
            name: Omar

            """
        let keys = try Keyring.parse(Array(text.utf8), source: "team.keyring")
        XCTAssertEqual(keys.count, 2)
        XCTAssertEqual(keys[0].name, "Lina Haddad")
        XCTAssertEqual(keys[0].role, "documenter")
        XCTAssertEqual(keys[0].revokedAt, UTCTime.parse("2027-03-01T00:00:00Z"))
        XCTAssertNil(keys[1].organization)
        XCTAssertNil(keys[1].validityProblem(at: UTCTime.parse("2026-06-01T00:00:00Z")!))
        // Before a revocation, only the signer's own claim says so: indeterminate, never passed.
        XCTAssertEqual(keys[0].validityProblem(at: UTCTime.parse("2026-06-01T00:00:00Z")!)?.status, .indeterminate)
        XCTAssertEqual(keys[0].validityProblem(at: UTCTime.parse("2025-06-01T00:00:00Z")!)?.status, .failed)
        XCTAssertEqual(keys[0].validityProblem(at: UTCTime.parse("2027-06-01T00:00:00Z")!)?.status, .failed)

        // A keyring saved on Windows (CRLF line ends) reads the same.
        let crlf = try Keyring.parse(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), source: "team.keyring")
        XCTAssertEqual(crlf.map(\.name), keys.map(\.name))
        XCTAssertEqual(crlf[0].revokedAt, keys[0].revokedAt)

        for bad in ["amana-keyring: 2\nkey: \(a.publicKey.base64)\n",
                    "amana-keyring: 1\nname: x\n",
                    "amana-keyring: 1\nkey: \(a.publicKey.base64)\ncolour: red\n",
                    "amana-keyring: 1\nkey: \(a.publicKey.base64)\nnot-after: soon\n",
                    "amana-keyring: 1\nkey: \(a.publicKey.base64)\n\nkey: \(a.publicKey.base64)\n",
                    "amana-keyring: 1\n"] {
            XCTAssertThrowsError(try Keyring.parse(Array(bad.utf8), source: "k"), bad)
        }
    }
}
