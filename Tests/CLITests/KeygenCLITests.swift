import AmanaTestSupport
import Foundation
import XCTest

final class KeygenCLITests: XCTestCase {
    func testUnencryptedKeygenWritesBothFilesWithSafeModes() throws {
        let folder = TemporaryFolder()
        let result = try amana(["keygen", "--output", folder.file("k"), "--name", "Lina Haddad",
                                "--organization", "Syrian Archive", "--unencrypted"])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("key id: "), result.stdout)
        let keyMode = try FileManager.default.attributesOfItem(atPath: folder.file("k.key"))[.posixPermissions] as? Int
        XCTAssertEqual(keyMode, 0o600)
        let pub = try String(contentsOfFile: folder.file("k.pub"), encoding: .utf8)
        XCTAssertTrue(pub.hasPrefix("untrusted comment: amana public key "), pub)
        XCTAssertTrue(pub.contains("\tname:Lina Haddad\torganization:Syrian Archive\n"), pub)
        XCTAssertEqual(folder.listing(), ["k.key", "k.pub"])
    }

    func testKeygenNeverOverwrites() throws {
        let folder = TemporaryFolder()
        try folder.write("k.pub", "keep me\n")
        let result = try amana(["keygen", "--output", folder.file("k"), "--unencrypted"])
        XCTAssertEqual(result.status, 73, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: "), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: folder.file("k.pub"), encoding: .utf8), "keep me\n")
        XCTAssertEqual(folder.listing(), ["k.pub"])
    }

    func testKeygenWithoutPassphraseSourceOrTerminalFailsWithHint() throws {
        let folder = TemporaryFolder()
        // setsid detaches from any controlling terminal, as in CI.
        let setsid = try TestEnvironment.requireTool("setsid")
        let result = try runTool(setsid, ["--wait", TestEnvironment.amanaBinary, "keygen", "--output", folder.file("k")],
                             environment: ["AMANA_PASSPHRASE": ""])
        XCTAssertEqual(result.status, 64, "\(result)")
        XCTAssertTrue(result.stderr.contains("amana: error: a passphrase is needed"), result.stderr)
        XCTAssertTrue(result.stderr.contains("amana: hint: use --passphrase-file"), result.stderr)
        XCTAssertEqual(folder.listing(), [])
    }

    /// One scrypt-encrypted key, used for the right passphrase, a wrong one, and the environment variable.
    func testEncryptedKeyRoundTripAndWrongPassphrase() throws {
        let folder = TemporaryFolder()
        let pass = try folder.write("pass.txt", "correct horse battery staple\n")
        let wrong = try folder.write("wrong.txt", "not it\n")
        var result = try amana(["keygen", "--output", folder.file("k"), "--passphrase-file", pass])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("encrypted with your passphrase"), result.stdout)
        let secret = try String(contentsOfFile: folder.file("k.key"), encoding: .utf8)
        XCTAssertFalse(secret.contains("correct horse"), "the passphrase must never be written")
        let input = try folder.write("in/evidence.txt", "evidence\n")

        result = try amana(["seal", input, "--key", folder.file("k.key"), "--output", folder.file("bad.tar"),
                            "--passphrase-file", wrong])
        XCTAssertEqual(result.status, 77, "\(result)")
        XCTAssertEqual(result.stderr, "amana: error: the passphrase does not unlock this secret key\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.file("bad.tar")))

        result = try amana(["seal", input, "--key", folder.file("k.key"), "--output", folder.file("good.tar")],
                           environment: ["AMANA_PASSPHRASE": "correct horse battery staple"])
        XCTAssertEqual(result.status, 0, "\(result)")
        result = try amana(["verify", folder.file("good.tar"), "--trust", folder.file("k.pub")])
        XCTAssertEqual(result.status, 0, "\(result)")
    }
}
