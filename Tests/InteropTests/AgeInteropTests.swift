import AmanaTestSupport
import Foundation
import XCTest

/// Debian's `age` (the reference implementation) decrypts what Amana encrypts, and Amana decrypts what `age` encrypts:
/// X25519 keys, passphrases (scrypt) and ASCII armor, both ways. age reads passphrases only from a terminal, so those
/// runs go through `script`, which gives it one.
final class AgeInteropTests: XCTestCase {
    var folder: TemporaryFolder!
    var bundle: String!
    var age: String!
    var ageKeygen: String!

    override func setUpWithError() throws {
        age = try TestEnvironment.requireTool("age")
        ageKeygen = try TestEnvironment.requireTool("age-keygen")
        let fixture = try InteropFixture()
        folder = fixture.folder
        bundle = fixture.bundle
    }

    /// Runs a shell line in a pseudo-terminal, feeding it `lines` one second apart (age asks for a passphrase twice).
    private func inTerminal(_ command: String, lines: [String]) throws -> RunResult {
        let script = try TestEnvironment.requireTool("script")
        let feed = lines.map { "printf '%s\\n' '\($0)'" }.joined(separator: "; sleep 1; ")
        return try runTool("/bin/sh", ["-c", "(sleep 1; \(feed)) | \(script) -qec \"\(command)\" /dev/null"])
    }

    func testAgeDecryptsWhatAmanaEncryptedToKeysBinaryAndArmored() throws {
        XCTAssertEqual(try amana(["keygen", "--age", "--output", folder.file("p")]).status, 0)
        let recipient = try String(contentsOfFile: folder.file("p.agepub"), encoding: .utf8).trimmingCharacters(in: .newlines)
        for armor in [false, true] {
            let sealed = folder.file("b-\(armor).age"), back = folder.file("b-\(armor).tar")
            var result = try amana(["encrypt", bundle, "--to", recipient, "--output", sealed] + (armor ? ["--armor"] : []))
            XCTAssertEqual(result.status, 0, "\(result)")
            result = try runTool(age, ["-d", "-i", folder.file("p.agekey"), "-o", back, sealed])
            XCTAssertEqual(result.status, 0, "\(result)")
            XCTAssertEqual(try readBytes(back), try readBytes(bundle), "armor \(armor)")
        }
    }

    func testAmanaDecryptsWhatAgeEncryptedToKeysBinaryAndArmored() throws {
        var result = try runTool(ageKeygen, ["-o", folder.file("k.agekey")])
        XCTAssertEqual(result.status, 0, "\(result)")
        result = try runTool(ageKeygen, ["-y", folder.file("k.agekey")])
        let recipient = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for armor in [false, true] {
            let sealed = folder.file("a-\(armor).age"), back = folder.file("a-\(armor).tar")
            result = try runTool(age, ["-e", "-r", recipient, "-o", sealed] + (armor ? ["-a"] : []) + [bundle])
            XCTAssertEqual(result.status, 0, "\(result)")
            result = try amana(["decrypt", sealed, "--identity", folder.file("k.agekey"), "--output", back])
            XCTAssertEqual(result.status, 0, "\(result)")
            XCTAssertEqual(try readBytes(back), try readBytes(bundle), "armor \(armor)")
        }
    }

    /// age 1.1.1 (Debian's) predates the hybrid kind, so it cannot open a mlkem768x25519 stanza; what it must do is
    /// skip the unknown stanza and open the X25519 one beside it, which is what a mixed-recipient bundle relies on.
    /// (The hybrid stanza itself is checked against the reference implementation's CCTV vectors.)
    func testAgeSkipsTheHybridStanzaAndOpensTheX25519OneBesideIt() throws {
        XCTAssertEqual(try amana(["keygen", "--age", "--pq", "--output", folder.file("pq")]).status, 0)
        var result = try runTool(ageKeygen, ["-o", folder.file("k.agekey")])
        XCTAssertEqual(result.status, 0, "\(result)")
        let classic = try runTool(ageKeygen, ["-y", folder.file("k.agekey")]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let sealed = folder.file("mixed.age"), back = folder.file("mixed.tar")
        result = try amana(["encrypt", bundle, "--to-file", folder.file("pq.agepub"), "--to", classic, "--output", sealed])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(try readBytes(sealed).prefix(4096).contains(Array("-> mlkem768x25519 ".utf8)))
        result = try runTool(age, ["-d", "-i", folder.file("k.agekey"), "-o", back, sealed])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(try readBytes(back), try readBytes(bundle))
    }

    func testPassphrasesBothWays() throws {
        try folder.write("pass", "interop passphrase\n")
        // Amana encrypts, age decrypts.
        var result = try amana(["encrypt", bundle, "--passphrase-file", folder.file("pass"), "--output", folder.file("m.age")])
        XCTAssertEqual(result.status, 0, "\(result)")
        result = try inTerminal("\(age!) -d -o \(folder.file("m.tar")) \(folder.file("m.age"))", lines: ["interop passphrase"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(try readBytes(folder.file("m.tar")), try readBytes(bundle))
        // age encrypts (armored), Amana decrypts.
        result = try inTerminal("\(age!) -p -a -o \(folder.file("g.age")) \(bundle!)",
                                lines: ["interop passphrase", "interop passphrase"])
        XCTAssertEqual(result.status, 0, "\(result)")
        result = try amana(["decrypt", folder.file("g.age"), "--passphrase-file", folder.file("pass"), "--output", folder.file("g.tar")])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(try readBytes(folder.file("g.tar")), try readBytes(bundle))
    }
}
