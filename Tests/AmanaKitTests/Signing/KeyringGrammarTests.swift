@testable import AmanaKit
import XCTest

/// The keyring grammar of keys.md section 10a, case by case: what is one stanza, what is refused.
final class KeyringGrammarTests: XCTestCase {
    private var first: PublicKey!
    private var second: PublicKey!

    override func setUpWithError() throws {
        first = try SecretKey.generate(name: nil, organization: nil).publicKey
        second = try SecretKey.generate(name: nil, organization: nil).publicKey
    }

    private func parse(_ text: String) throws -> [TrustedKey] {
        try Keyring.parse(Array(text.utf8), source: "k.keyring")
    }

    func testLineEndsBlankRunsCommentsAndTheFinalLF() throws {
        let lf = "amana-keyring: 1\n\n\n# team\nkey: \(first.base64)\n# a comment inside the stanza\nname: A\n \t\n\nkey: \(second.base64)\nrole: r"
        let keys = try parse(lf)
        XCTAssertEqual(keys.map(\.key.keyID), [first.keyID, second.keyID])
        XCTAssertEqual(keys.first?.name, "A", "a comment inside a stanza neither ends it nor belongs to it")
        XCTAssertEqual(keys.last?.role, "r", "the final LF is optional")
        let crlf = try parse(lf.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
        XCTAssertEqual(crlf.map(\.key.keyID), keys.map(\.key.keyID))
        XCTAssertEqual(crlf.first?.name, "A", "CR before LF is removed, not kept in the value")
        XCTAssertEqual(try parse("amana-keyring: 1\nkey: \(first.base64)\nname: a # not a comment\n").first?.name, "a # not a comment")
    }

    func testWhatIsRefused() throws {
        let header = "amana-keyring: 1\n\n"
        let refused = [
            "listed twice, same bytes": "key: \(first.base64)\n\nkey: \(first.base64)\n",
            "C1 control in a value": "key: \(first.base64)\nname: a\u{9B}b\n",
            "DEL in a value": "key: \(first.base64)\nname: a\u{7F}b\n",
            "lone CR in a value": "key: \(first.base64)\nname: a\rb\n",
            "a no-break space is no blank line": "key: \(first.base64)\n\u{A0}\nkey: \(second.base64)\n",
            "no key": "# nothing\n",
            "stanza not starting with key": "name: A\nkey: \(first.base64)\n",
        ]
        for (name, body) in refused.sorted(by: { $0.key < $1.key }) {
            XCTAssertThrowsError(try parse(header + body), name)
        }
        XCTAssertNoThrow(try parse(header + "key: \(first.base64)\nname: tab\tinside\n"), "HTAB is allowed in values")
        let big = header + "key: \(first.base64)\n" + String(repeating: "#\n", count: (Keyring.maximumSize - 200) / 2)
        XCTAssertNoThrow(try parse(big))
        XCTAssertThrowsError(try parse(big + String(repeating: "#", count: Keyring.maximumSize)))
    }
}
