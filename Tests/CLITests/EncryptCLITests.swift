import AmanaTestSupport
import Foundation
import XCTest

/// `amana keygen --age`, `amana encrypt` and `amana decrypt` as a person runs them: exit codes, one error line, and
/// no plaintext file left behind on any failure.
final class EncryptCLITests: XCTestCase {
    func testKeygenEncryptDecryptRoundTrip() throws {
        let fixture = try CLIFixture()
        let folder = fixture.folder
        let bundle = try fixture.sealSample()
        var result = try amana(["keygen", "--age", "--output", folder.file("partner")])
        XCTAssertEqual(result.status, 0, "\(result)")
        let mode = try FileManager.default.attributesOfItem(atPath: folder.file("partner.agekey"))[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let recipient = try String(contentsOfFile: folder.file("partner.agepub"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(recipient.hasPrefix("age1"), recipient)

        result = try amana(["encrypt", bundle, "--to", recipient, "--output", folder.file("b.tar.age")])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("recipient: \(recipient)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("no custody event was appended"), result.stdout)
        result = try amana(["decrypt", folder.file("b.tar.age"), "--identity", folder.file("partner.agekey"),
                            "--output", folder.file("back.tar")])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(try readBytes(folder.file("back.tar")), try readBytes(bundle))
        result = try amana(["verify", folder.file("back.tar"), "--trust", fixture.pub])
        XCTAssertEqual(result.status, 0, "\(result)")
    }

    func testPostQuantumKeygenEncryptDecryptRoundTrip() throws {
        let fixture = try CLIFixture()
        let folder = fixture.folder
        let bundle = try fixture.sealSample()
        var result = try amana(["keygen", "--pq", "--output", folder.file("pq")])
        XCTAssertEqual(result.status, 64, "--pq needs --age: \(result)")
        result = try amana(["keygen", "--age", "--pq", "--output", folder.file("pq")])
        XCTAssertEqual(result.status, 0, "\(result)")
        let secret = try String(contentsOfFile: folder.file("pq.agekey"), encoding: .utf8)
        XCTAssertTrue(secret.contains("\nAGE-SECRET-KEY-PQ-1"), "the identity line is missing")
        XCTAssertFalse(result.stdout.contains("AGE-SECRET-KEY"), "the secret key must not be printed")
        let recipient = try String(contentsOfFile: folder.file("pq.agepub"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(recipient.hasPrefix("age1pq1"), recipient)
        XCTAssertTrue(secret.contains("# public key: \(recipient)\n"))

        result = try amana(["encrypt", bundle, "--to", recipient, "--output", folder.file("b.tar.age")])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("recipient: \(recipient.prefix(24))…\(recipient.suffix(12))\n"), result.stdout)
        XCTAssertFalse(result.stdout.contains(recipient), "the 1,950-character recipient is abbreviated")
        let header = String(decoding: try readBytes(folder.file("b.tar.age")).prefix(4096), as: UTF8.self)
        XCTAssertTrue(header.contains("\n-> mlkem768x25519 "), header)
        XCTAssertFalse(header.contains("-> X25519"), header)
        result = try amana(["decrypt", folder.file("b.tar.age"), "--identity", folder.file("pq.agekey"),
                            "--output", folder.file("back.tar")])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(try readBytes(folder.file("back.tar")), try readBytes(bundle))

        // Another hybrid key does not open it, and says so in one line.
        XCTAssertEqual(try amana(["keygen", "--age", "--pq", "--output", folder.file("other")]).status, 0)
        result = try amana(["decrypt", folder.file("b.tar.age"), "--identity", folder.file("other.agekey"),
                            "--output", folder.file("no.tar")])
        XCTAssertEqual(result.status, 77, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: no identity given opens this file\n"), result.stderr)
        XCTAssertFalse(folder.listing().contains("no.tar"))

        // A recipient with one character changed fails its checksum: one error line, no output.
        var broken = Array(recipient)
        broken[100] = broken[100] == "q" ? "p" : "q"
        result = try amana(["encrypt", bundle, "--to", String(broken), "--output", folder.file("x.age")])
        XCTAssertEqual(result.status, 65, "\(result)")
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertLessThan(result.stderr.count, 200, "the 1,950-character key is abbreviated")
        XCTAssertFalse(folder.listing().contains("x.age"))
    }

    func testWrongKeyAndDamageFailWithOneLineAndLeaveNoFile() throws {
        let fixture = try CLIFixture()
        let folder = fixture.folder
        let bundle = try fixture.sealSample()
        XCTAssertEqual(try amana(["keygen", "--age", "--output", folder.file("a")]).status, 0)
        XCTAssertEqual(try amana(["keygen", "--age", "--output", folder.file("b")]).status, 0)
        let recipientA = try String(contentsOfFile: folder.file("a.agepub"), encoding: .utf8).trimmingCharacters(in: .newlines)
        XCTAssertEqual(try amana(["encrypt", bundle, "--to", recipientA, "--output", folder.file("b.tar.age")]).status, 0)

        var result = try amana(["decrypt", folder.file("b.tar.age"), "--identity", folder.file("b.agekey"),
                                "--output", folder.file("out.tar")])
        XCTAssertEqual(result.status, 77, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: no identity given opens this file\n"), result.stderr)

        var damaged = try readBytes(folder.file("b.tar.age"))
        damaged[damaged.count - 5] ^= 1  // inside the last chunk
        let damagedPath = try folder.write("damaged.age", damaged)
        result = try amana(["decrypt", damagedPath, "--identity", folder.file("a.agekey"), "--output", folder.file("out.tar")])
        XCTAssertEqual(result.status, 65, "\(result)")
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)

        let truncated = try folder.write("truncated.age", Array(try readBytes(folder.file("b.tar.age")).dropLast(100)))
        result = try amana(["decrypt", truncated, "--identity", folder.file("a.agekey"), "--output", folder.file("out.tar")])
        XCTAssertEqual(result.status, 65, "\(result)")
        XCTAssertTrue(result.stderr.contains("damaged"), result.stderr)
        XCTAssertFalse(folder.listing().contains { $0.contains("out.tar") }, "\(folder.listing())")
    }

    func testIdentityFileReadableByOthersIsRefusedWithHint() throws {
        let folder = TemporaryFolder()
        XCTAssertEqual(try amana(["keygen", "--age", "--output", folder.file("k")]).status, 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder.file("k.agekey"))
        try folder.write("plain", "x\n")
        let recipient = try String(contentsOfFile: folder.file("k.agepub"), encoding: .utf8).trimmingCharacters(in: .newlines)
        XCTAssertEqual(try amana(["encrypt", folder.file("plain"), "--to", recipient, "--output", folder.file("p.age")]).status, 0)
        let result = try amana(["decrypt", folder.file("p.age"), "--identity", folder.file("k.agekey"), "--output", folder.file("o")])
        XCTAssertEqual(result.status, 65, "\(result)")
        XCTAssertTrue(result.stderr.contains("can be read by others"), result.stderr)
        XCTAssertTrue(result.stderr.contains("amana: hint: run 'chmod 600"), result.stderr)
    }

    func testRecipientsAreRequiredAndPassphraseIsAlone() throws {
        let folder = TemporaryFolder()
        try folder.write("plain", "x\n")
        var result = try amana(["encrypt", folder.file("plain"), "--output", folder.file("p.age")])
        XCTAssertEqual(result.status, 64, "\(result)")
        try folder.write("pass", "secret\n")
        result = try amana(["encrypt", folder.file("plain"), "--passphrase-file", folder.file("pass"), "--to", "age1x",
                            "--output", folder.file("p.age")])
        XCTAssertEqual(result.status, 64, "\(result)")
        result = try amana(["encrypt", folder.file("plain"), "--to", "age1notakey", "--output", folder.file("p.age")])
        XCTAssertEqual(result.status, 65, "\(result)")
        XCTAssertEqual(folder.listing(), ["pass", "plain"])
    }
}
