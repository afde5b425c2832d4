import AmanaTestSupport
import Foundation
import XCTest

/// The hand-off chain across three parties, each with their own key, through the CLI.
final class CustodyCLITests: XCTestCase {
    private var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = TemporaryFolder("amana-custody")
        for party in ["field", "archive", "prosecutor"] {
            let result = try amana(["keygen", "--output", folder.file(party), "--name", "\(party) person",
                                    "--organization", "\(party) org", "--unencrypted"])
            XCTAssertEqual(result.status, 0, "\(result)")
        }
    }

    private func f(_ name: String) -> String { folder.file(name) }

    @discardableResult
    private func ok(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let result = try amana(arguments)
        XCTAssertEqual(result.status, 0, "\(arguments.joined(separator: " "))\n\(result)", file: file, line: line)
        return result
    }

    @discardableResult
    private func sealFieldBundle() throws -> String {
        let sample = TestEnvironment.sampleMedia.path
        try ok(["seal", "\(sample)/checkpoint-photo.png", "\(sample)/day-2", "--key", f("field.key"), "--output", f("b1.tar"),
                "--role", "documenter", "--collector", "team 3"])
        return f("b1.tar")
    }

    func testThreePartyChainEveryHandOffCountersigned() throws {
        try sealFieldBundle()
        try ok(["custody", "transfer", f("b1.tar"), "--key", f("field.key"), "--to", f("archive.pub"), "--output", f("b2.tar")])
        try ok(["custody", "receive", f("b2.tar"), "--key", f("archive.key"), "--trust", f("field.pub"), "--output", f("b3.tar"),
                "--role", "archivist", "--receipt", f("receipt.json")])
        try ok(["custody", "transfer", f("b3.tar"), "--key", f("archive.key"), "--to", f("prosecutor.pub"), "--trust", f("field.pub"),
                "--output", f("b4.tar")])
        try ok(["custody", "receive", f("b4.tar"), "--key", f("prosecutor.key"), "--trust", f("field.pub"), "--trust", f("archive.pub"),
                "--output", f("b5.tar"), "--role", "prosecutor"])

        let all = ["--trust", f("field.pub"), "--trust", f("archive.pub"), "--trust", f("prosecutor.pub")]
        let verify = try ok(["verify", f("b5.tar")] + all)
        XCTAssertTrue(verify.stdout.contains("verdict: TOTAL-PASSED"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains("seal 5 covers events 1–12"), verify.stdout)

        let show = try ok(["custody", "show", f("b5.tar"), "--json", "--receipt", f("receipt.json")] + all)
        let document = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as! [String: Any]
        let events = document["events"] as! [[String: Any]]
        XCTAssertEqual(events.map { $0["action"] as! String },
                       ["acquired", "acquired", "acquired", "sealed", "transferred", "sealed", "received", "sealed",
                        "transferred", "sealed", "received", "sealed"])
        XCTAssertTrue(events.allSatisfy { $0["signatureValid"] as? Bool == true && $0["trustedAs"] != nil })
        // Each transfer names its recipient, and each receipt names the sender and the verdict obtained.
        let keyID = { (name: String) in try String(contentsOfFile: self.f(name), encoding: .utf8).split(separator: " ")[5].prefix(16) }
        XCTAssertEqual((events[4]["details"] as! [String: String])["to"], String(try keyID("archive.pub")))
        XCTAssertEqual((events[6]["details"] as! [String: String])["from"], String(try keyID("field.pub")))
        XCTAssertEqual((events[6]["details"] as! [String: String])["verdict"], "TOTAL-PASSED")
        XCTAssertEqual((events[10]["details"] as! [String: String])["from"], String(try keyID("archive.pub")))
        let receipt = document["receipt"] as! [String: Any]
        XCTAssertEqual(receipt["signatureValid"] as? Bool, true)
        XCTAssertEqual(receipt["logExtendsReceipt"] as? Bool, true)

        let text = try ok(["custody", "show", f("b5.tar")] + all)
        XCTAssertTrue(text.stdout.contains("received    archive person, archive org, archivist"), text.stdout)
    }

    func testPayloadAndEarlierSealsStayByteIdentical() throws {
        try sealFieldBundle()
        let inputBefore = try readBytes(f("b1.tar"))
        try ok(["custody", "append", f("b1.tar"), "--key", f("field.key"), "--action", "verified",
                "--item", "checkpoint-photo.png", "--note", "checked at the office", "--output", f("b2.tar")])
        let before = try BundleEntries(tar: f("b1.tar"))
        let after = try BundleEntries(tar: f("b2.tar"))
        for entry in before.entries where !entry.name.hasSuffix("custody.jsonl") && !entry.name.contains("/tagmanifest-") {
            XCTAssertEqual(after.entries.first { $0.name == entry.name }?.contents, entry.contents, entry.name)
        }
        XCTAssertTrue(after.contains("seals/0002.seal"))
        XCTAssertEqual(try readBytes(f("b1.tar")), inputBefore, "the input is untouched")
    }

    func testInPlaceReplacesAtomically() throws {
        try sealFieldBundle()
        let original = try readBytes(f("b1.tar"))
        try ok(["custody", "append", f("b1.tar"), "--key", f("field.key"), "--action", "note", "--note", "hello", "--in-place"])
        XCTAssertNotEqual(try readBytes(f("b1.tar")), original)
        XCTAssertFalse(folder.listing().contains { $0.hasPrefix(".amana-partial") }, "\(folder.listing())")
        let result = try amana(["verify", f("b1.tar"), "--trust", f("field.pub")])
        XCTAssertEqual(result.status, 0, "\(result)")
    }

    func testReceiveRefusesWhatDoesNotVerify() throws {
        try sealFieldBundle()
        // Not trusting the sender: INDETERMINATE, so receive refuses and writes nothing.
        var result = try amana(["custody", "receive", f("b1.tar"), "--key", f("archive.key"), "--output", f("out.tar")])
        XCTAssertEqual(result.status, 65, "\(result)")
        XCTAssertTrue(result.stderr.contains("verifies as INDETERMINATE; amana adds nothing to it"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: f("out.tar")))

        var entries = try BundleEntries(tar: f("b1.tar"))
        entries["data/checkpoint-photo.png"][50] ^= 1
        try entries.write(to: f("tampered.tar"))
        result = try amana(["custody", "receive", f("tampered.tar"), "--key", f("archive.key"), "--trust", f("field.pub"),
                            "--output", f("out.tar")])
        XCTAssertEqual(result.status, 65, "\(result)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: f("out.tar")))

        // --force records the verdict it obtained, so the record stays honest.
        result = try amana(["custody", "receive", f("tampered.tar"), "--key", f("archive.key"), "--trust", f("field.pub"),
                            "--output", f("forced.tar"), "--force"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stderr.contains("RECEIVED WITH --force"), result.stderr)
        let show = try amana(["custody", "show", f("forced.tar"), "--trust", f("field.pub"), "--trust", f("archive.pub")])
        XCTAssertTrue(show.stdout.contains("verdict: TOTAL-FAILED"), show.stdout)
    }

    func testAppendRefusesReservedActionsAndUnknownItems() throws {
        try sealFieldBundle()
        var result = try amana(["custody", "append", f("b1.tar"), "--key", f("field.key"), "--action", "transferred", "--output", f("x.tar")])
        XCTAssertEqual(result.status, 64, "\(result)")
        result = try amana(["custody", "append", f("b1.tar"), "--key", f("field.key"), "--action", "accessed",
                            "--item", "nope.jpg", "--output", f("x.tar")])
        XCTAssertEqual(result.status, 64, "\(result)")
        XCTAssertTrue(result.stderr.contains("the bundle has no payload item data/nope.jpg"), result.stderr)
        result = try amana(["custody", "append", f("b1.tar"), "--key", f("field.key"), "--action", "note", "--output", f("b1.tar")])
        XCTAssertEqual(result.status, 73, "\(result)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: f("x.tar")))
    }

    func testAKeyringWithARevokedKeyFailsLaterSeals() throws {
        try sealFieldBundle()
        let pub = try String(contentsOfFile: f("field.pub"), encoding: .utf8).split(separator: "\n")[1]
        try folder.write("team.keyring", "amana-keyring: 1\n\nkey: \(pub)\nname: Field\nrevoked-at: 2000-01-01T00:00:00Z\n")
        let result = try amana(["verify", f("b1.tar"), "--trust", f("team.keyring"), "--json"])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("\"code\" : \"seal.key.validity\""), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"code\" : \"custody.actor.validity\""), result.stdout)
    }
}
