import XCTest

@testable import AmanaKit

/// Amana against the real `minisign` 0.11 binary, both ways: keys and signatures each side writes, the other reads.
/// Skipped when `minisign` is not installed. Tests with minisign's default scrypt limits cost a few seconds each,
/// so only two do that; the rest use unencrypted keys or cheap limits stored in the key file.
final class SigningMinisignInteropTests: XCTestCase {
    private var minisign: String!
    private var directory: SigningTemporaryDirectory!
    private let message = Array("evidence: interview-0042.wav sha256 9f2c...\n".utf8)
    private let trusted = "timestamp:1700000000\tfile:0001.seal\tamana-interop"

    override func setUpWithError() throws {
        minisign = try SigningTestSupport.minisign()
        directory = try SigningTemporaryDirectory()
    }

    @discardableResult
    private func run(_ arguments: [String], stdin: String = "") throws -> SigningProcessResult {
        try SigningTestSupport.run(minisign, arguments, stdin: stdin, in: directory.url)
    }

    private func assertSucceeded(_ result: SigningProcessResult, _ what: String, line: UInt = #line) {
        XCTAssertEqual(result.status, 0, "\(what) failed: \(result.stderr)\(result.stdout)", line: line)
    }

    /// Signs `message` with amana into `m` / `m.minisig`, and checks that `minisign -V` accepts it with `k.pub`.
    private func assertMinisignVerifiesAmana(_ key: SecretKey, line: UInt = #line) throws {
        try directory.write("m", message)
        try directory.write("m.minisig", try key.sign(message, trustedComment: trusted).minisignFile())
        let result = try run(["-V", "-p", "k.pub", "-m", "m"])
        assertSucceeded(result, "minisign -V of an amana signature", line: line)
        XCTAssertTrue(result.stdout.contains("Trusted comment: \(trusted)"), result.stdout, line: line)
    }

    // MARK: (a) keys minisign made, used by amana

    func testMinisignUnencryptedKeySignsForMinisign() throws {
        assertSucceeded(try run(["-G", "-W", "-p", "k.pub", "-s", "k.key"]), "minisign -G -W")
        let keyFile = try directory.read("k.key")
        XCTAssertFalse(try SecretKey.isEncrypted(minisignFile: keyFile))
        let key = try SecretKey(minisignFile: keyFile, passphrase: {
            XCTFail("asked for a passphrase for an unencrypted key")
            return ""
        })
        let publicKey = try PublicKey(minisignFile: try directory.read("k.pub"))
        XCTAssertEqual(key.publicKey.rawKey, publicKey.rawKey)
        XCTAssertEqual(key.keyID, publicKey.keyID)
        XCTAssertNil(publicKey.name, "minisign's own comment carries no metadata")
        // minisign prints the id without zero padding ("%" PRIX64), so about one key in 16 shows 15 digits there;
        // amana always shows 16. Compare the numbers, not the spellings.
        let comment = try directory.read("k.pub").split(separator: "\n")[0]
        XCTAssertTrue(comment.hasPrefix("untrusted comment: minisign public key "), String(comment))
        XCTAssertEqual(UInt64(comment.split(separator: " ").last ?? "", radix: 16),
                       UInt64(publicKey.keyID.description, radix: 16), "amana's key id is the number minisign shows")
        try assertMinisignVerifiesAmana(key)
    }

    /// Costs two derivations at minisign's default limits (minisign's and amana's).
    func testMinisignEncryptedKeySignsForMinisign() throws {
        assertSucceeded(try run(["-G", "-p", "k.pub", "-s", "k.key"], stdin: "pw\npw\n"), "minisign -G")
        let keyFile = try directory.read("k.key")
        XCTAssertTrue(try SecretKey.isEncrypted(minisignFile: keyFile))
        let key = try SecretKey(minisignFile: keyFile, passphrase: { "pw" })
        XCTAssertEqual(key.publicKey.rawKey, try PublicKey(minisignFile: try directory.read("k.pub")).rawKey)
        try assertMinisignVerifiesAmana(key)
    }

    // MARK: (b) keys amana wrote, used by minisign

    func testAmanaUnencryptedKeyWorksInMinisign() throws {
        let key = try SecretKey.generate(name: "Lina Haddad", organization: "Syrian Archive")
        try directory.write("k.key", try key.minisignFile(passphrase: nil))
        try directory.write("k.pub", key.publicKey.minisignFile())
        try directory.write("m", message)
        // `-p` makes minisign also check the new signature against amana's public key file before writing it.
        assertSucceeded(
            try run(["-S", "-s", "k.key", "-p", "k.pub", "-m", "m", "-t", trusted, "-c", "made by minisign"]),
            "minisign -S with an amana unencrypted key"
        )
        let signature = try MinisignSignature(minisignFile: try directory.read("m.minisig"))
        XCTAssertEqual(signature.algorithm, .prehashed)
        XCTAssertEqual(signature.trustedComment, trusted)
        XCTAssertEqual(signature.untrustedComment, "made by minisign")
        XCTAssertEqual(key.publicKey.verify(signature, message: message), .valid)
        // The signature is deterministic, so minisign and amana must have produced the very same bytes.
        XCTAssertEqual(signature.signature, try key.sign(message, trustedComment: trusted).signature)

        // minisign reads amana's commented public key file, and rebuilds the same key line from the secret key.
        assertSucceeded(try run(["-V", "-p", "k.pub", "-m", "m"]), "minisign -V with an amana public key file")
        assertSucceeded(try run(["-R", "-s", "k.key", "-p", "re.pub"]), "minisign -R from an amana secret key")
        XCTAssertEqual(try PublicKey(minisignFile: try directory.read("re.pub")).base64, key.publicKey.base64)
    }

    /// Costs two derivations at minisign's default limits (amana's and minisign's).
    func testAmanaEncryptedKeyWorksInMinisign() throws {
        let key = try SecretKey.generate(name: "Lina Haddad", organization: nil)
        try directory.write("k.key", try key.minisignFile(passphrase: "pw"))
        try directory.write("m", message)
        assertSucceeded(try run(["-S", "-s", "k.key", "-m", "m"], stdin: "pw\n"), "minisign -S with an amana encrypted key")
        let signature = try MinisignSignature(minisignFile: try directory.read("m.minisig"))
        XCTAssertEqual(key.publicKey.verify(signature, message: message), .valid)
    }

    func testCheapEncryptedAmanaKeyInMinisign() throws {
        // minisign honours the limits stored in the file, so this checks amana's encryption and checksum cheaply,
        // including minisign's wrong-password detection.
        let key = try SecretKey.generate(name: nil, organization: "Syrian Archive")
        try directory.write("k.key", try SigningTestSupport.cheapEncryptedFile(key, passphrase: "pässwörd 1"))
        try directory.write("m", message)
        let wrong = try run(["-S", "-s", "k.key", "-m", "m"], stdin: "password 1\n")
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.stderr.contains("Wrong password"), wrong.stderr)
        assertSucceeded(try run(["-S", "-s", "k.key", "-m", "m"], stdin: "pässwörd 1\n"), "minisign -S")
        XCTAssertEqual(
            key.publicKey.verify(try MinisignSignature(minisignFile: try directory.read("m.minisig")), message: message),
            .valid
        )
        // `minisign -C -W` removes the passphrase but keeps salt, limits and the real checksum: amana reads that too.
        assertSucceeded(try run(["-C", "-W", "-s", "k.key"], stdin: "pässwörd 1\n"), "minisign -C -W")
        let stripped = try directory.read("k.key")
        XCTAssertFalse(try SecretKey.isEncrypted(minisignFile: stripped))
        let read = try SecretKey(minisignFile: stripped, passphrase: { XCTFail("asked"); return "" })
        XCTAssertEqual(read.keyID, key.keyID)
        XCTAssertEqual(read.publicKey.organization, "Syrian Archive", "minisign -C keeps amana's comment line")
    }

    // MARK: (c) minisign verifying amana's signatures, and failing after damage

    func testMinisignRejectsTamperedAmanaSignatures() throws {
        let key = try SecretKey.generate(name: "Lina Haddad", organization: "Syrian Archive")
        try directory.write("k.pub", key.publicKey.minisignFile())
        try assertMinisignVerifiesAmana(key)
        assertSucceeded(try run(["-V", "-P", key.publicKey.base64, "-m", "m"]), "minisign -V -P")

        var flipped = message
        flipped[0] ^= 0x01
        try directory.write("m", flipped)
        let badMessage = try run(["-V", "-p", "k.pub", "-m", "m"])
        XCTAssertNotEqual(badMessage.status, 0)
        XCTAssertTrue(badMessage.stderr.contains("Signature verification failed"), badMessage.stderr)

        try directory.write("m", message)
        let signatureFile = try directory.read("m.minisig")
        try directory.write("m.minisig", signatureFile.replacingOccurrences(of: "amana-interop", with: "amana-interoq"))
        let badComment = try run(["-V", "-p", "k.pub", "-m", "m"])
        XCTAssertNotEqual(badComment.status, 0)
        XCTAssertTrue(badComment.stderr.contains("Comment signature verification failed"), badComment.stderr)
        XCTAssertEqual(
            key.publicKey.verify(try MinisignSignature(minisignFile: try directory.read("m.minisig")), message: message),
            .invalidTrustedComment
        )

        let other = try SecretKey.generate(name: nil, organization: nil)
        try directory.write("m.minisig", try other.sign(message, trustedComment: trusted).minisignFile())
        let badKey = try run(["-V", "-p", "k.pub", "-m", "m"])
        XCTAssertNotEqual(badKey.status, 0)
        XCTAssertTrue(badKey.stderr.contains("key id"), badKey.stderr)
    }

    func testMinisignAcceptsCommentsAtAmanasLimits() throws {
        // The longest name that fits: "amana secret key " (17) + id (16) + "\tname:" (6) + name = 1003 bytes.
        let key = try SecretKey.generate(name: String(repeating: "n", count: 964), organization: nil)
        SigningAssertThrows(.usage) { try SecretKey.generate(name: String(repeating: "n", count: 965), organization: nil) }
        try directory.write("k.key", try key.minisignFile(passphrase: nil))
        try directory.write("k.pub", key.publicKey.minisignFile())
        try directory.write("m", message)
        let untrusted = String(repeating: "u", count: 1003)
        let trusted = String(repeating: "t", count: 8173)
        try directory.write("m.minisig", try key.sign(message, trustedComment: trusted, untrustedComment: untrusted)
            .minisignFile())
        let verified = try run(["-V", "-p", "k.pub", "-m", "m"])
        assertSucceeded(verified, "minisign -V with comments at the limits")
        XCTAssertTrue(verified.stdout.contains(trusted))
        assertSucceeded(try run(["-S", "-s", "k.key", "-p", "k.pub", "-m", "m", "-x", "n.minisig"]),
                        "minisign -S with a key comment at the limit")
    }

    func testAmanaVerifiesMinisignLegacySignatures() throws {
        assertSucceeded(try run(["-G", "-W", "-p", "k.pub", "-s", "k.key"]), "minisign -G -W")
        try directory.write("m", message)
        assertSucceeded(try run(["-S", "-l", "-s", "k.key", "-m", "m", "-t", trusted]), "minisign -S -l")
        let publicKey = try PublicKey(minisignFile: try directory.read("k.pub"))
        let signature = try MinisignSignature(minisignFile: try directory.read("m.minisig"))
        XCTAssertEqual(signature.algorithm, .legacy)
        XCTAssertEqual(publicKey.verify(signature, message: message), .valid)
        XCTAssertEqual(publicKey.verify(signature, message: message + [0x0a]), .invalidSignature)
    }
}
