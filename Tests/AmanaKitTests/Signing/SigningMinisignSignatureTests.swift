import XCTest

@testable import AmanaKit

final class SigningMinisignSignatureTests: XCTestCase {
    private var key: SecretKey!
    private let message = Array("the evidence, byte for byte\n".utf8)
    private let trusted = "timestamp:1700000000\tfile:0001.seal\tbundle:abc"

    override func setUpWithError() throws {
        key = try SecretKey.generate(name: "Lina Haddad", organization: "Syrian Archive")
    }

    func testSignAndVerify() throws {
        let signature = try key.sign(message, trustedComment: trusted)
        XCTAssertEqual(signature.algorithm, .prehashed)
        XCTAssertEqual(signature.keyID, key.keyID)
        XCTAssertEqual(signature.untrustedComment, "signature from amana secret key")
        XCTAssertEqual(signature.trustedComment, trusted)
        XCTAssertEqual(key.publicKey.verify(signature, message: message), .valid)
        XCTAssertEqual(key.publicKey.verify(try key.sign([], trustedComment: ""), message: []), .valid)
    }

    func testFileShapeAndRoundTrip() throws {
        let signature = try key.sign(message, trustedComment: trusted, untrustedComment: "seal 1")
        let file = signature.minisignFile()
        let lines = file.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(lines[0], "untrusted comment: seal 1")
        XCTAssertTrue(lines[1].hasPrefix("RU"), "\"ED\" encodes as RU...")
        XCTAssertEqual(lines[1].count, 100)
        XCTAssertEqual(lines[2], "trusted comment: \(trusted)")
        XCTAssertEqual(lines[3].count, 88)
        XCTAssertEqual(lines[4], "")
        XCTAssertEqual(try MinisignSignature(minisignFile: file), signature)
        XCTAssertEqual(try MinisignSignature(minisignFile: file.replacingOccurrences(of: "\n", with: "\r\n")), signature)
        XCTAssertEqual(try MinisignSignature(minisignFile: String(file.dropLast())), signature)
    }

    func testTamperingGivesTheRightCheck() throws {
        let signature = try key.sign(message, trustedComment: trusted)
        let publicKey = key.publicKey

        var flippedMessage = message
        flippedMessage[3] ^= 0x01
        XCTAssertEqual(publicKey.verify(signature, message: flippedMessage), .invalidSignature)
        XCTAssertEqual(publicKey.verify(signature, message: message + [0]), .invalidSignature)

        var flippedSignature = signature.signature
        flippedSignature[10] ^= 0x80
        XCTAssertEqual(publicKey.verify(rebuilt(signature, signature: flippedSignature), message: message), .invalidSignature)

        XCTAssertEqual(
            publicKey.verify(rebuilt(signature, trustedComment: trusted + " "), message: message), .invalidTrustedComment
        )
        var flippedGlobal = signature.globalSignature
        flippedGlobal[63] ^= 0x01
        XCTAssertEqual(
            publicKey.verify(rebuilt(signature, globalSignature: flippedGlobal), message: message), .invalidTrustedComment
        )

        // The untrusted comment is not signed: changing it changes nothing.
        XCTAssertEqual(publicKey.verify(rebuilt(signature, untrustedComment: "forged"), message: message), .valid)

        // Relabelling the algorithm means the signature is checked over the wrong bytes.
        XCTAssertEqual(publicKey.verify(rebuilt(signature, algorithm: .legacy), message: message), .invalidSignature)
    }

    func testTamperingThroughTheFileText() throws {
        let file = try key.sign(message, trustedComment: trusted).minisignFile()
        let edited = file.replacingOccurrences(of: "bundle:abc", with: "bundle:abd")
        XCTAssertEqual(key.publicKey.verify(try MinisignSignature(minisignFile: edited), message: message),
                       .invalidTrustedComment)
    }

    func testKeyMismatch() throws {
        let signature = try key.sign(message, trustedComment: trusted)
        let other = try SecretKey.generate(name: nil, organization: nil).publicKey
        XCTAssertEqual(other.verify(signature, message: message),
                       .keyMismatch(expected: other.keyID, found: key.keyID))
        // Same key id, other key bytes: the id only names a key, so this is a plain cryptographic failure.
        let impostor = try PublicKey(base64: Base64.encode(MinisignFormat.keyAlgorithm + key.keyID.bytes + other.rawKey))
        XCTAssertEqual(impostor.verify(signature, message: message), .invalidSignature)
    }

    func testLegacySignaturesVerify() throws {
        // Amana never writes legacy signatures; build one by hand: Ed25519 over the message itself.
        let signature = try key.sign(message, trustedComment: trusted)
        let legacySignature = try legacySign(message)
        let legacy = MinisignSignature(
            algorithm: .legacy, keyID: key.keyID, signature: legacySignature, untrustedComment: "legacy",
            trustedComment: trusted, globalSignature: try globalSign(legacySignature, trusted)
        )
        XCTAssertEqual(key.publicKey.verify(legacy, message: message), .valid)
        XCTAssertEqual(try MinisignSignature(minisignFile: legacy.minisignFile()), legacy)
        XCTAssertTrue(legacy.minisignFile().split(separator: "\n")[1].hasPrefix("RW"), "\"Ed\" encodes as RW...")
        XCTAssertEqual(key.publicKey.verify(legacy, message: message + [1]), .invalidSignature)
        XCTAssertNotEqual(legacy.signature, signature.signature)
    }

    func testCommentsAreSingleLinesWithinMinisignsLimits() throws {
        for bad in ["a\nb", "a\rb", "a\r\nb", "a\u{0}b", "\u{1b}[2J", "a\u{2029}b"] {
            SigningAssertThrows(.usage, bad.debugDescription) { try key.sign(message, trustedComment: bad) }
            SigningAssertThrows(.usage, bad.debugDescription) {
                try key.sign(message, trustedComment: "ok", untrustedComment: bad)
            }
        }
        XCTAssertNoThrow(try key.sign(message, trustedComment: "tab\tseparated\tfields"))
        let longestTrusted = String(repeating: "t", count: 8173)
        let signature = try key.sign(message, trustedComment: longestTrusted,
                                     untrustedComment: String(repeating: "u", count: 1003))
        XCTAssertEqual(try MinisignSignature(minisignFile: signature.minisignFile()), signature)
        // With CRLF, minisign's line buffer also holds the CR, so comments at the limit no longer fit.
        SigningAssertThrows(.inputInvalid) {
            try MinisignSignature(minisignFile: signature.minisignFile().replacingOccurrences(of: "\n", with: "\r\n"))
        }
        SigningAssertThrows(.usage) { try key.sign(message, trustedComment: longestTrusted + "t") }
        SigningAssertThrows(.usage) {
            try key.sign(message, trustedComment: "", untrustedComment: String(repeating: "u", count: 1004))
        }
        // The limit counts UTF-8 bytes, not characters.
        SigningAssertThrows(.usage) { try key.sign(message, trustedComment: String(repeating: "é", count: 4087)) }
    }

    func testOverlongCommentsInFilesAreRefused() throws {
        let file = try key.sign(message, trustedComment: "x").minisignFile()
        SigningAssertThrows(.inputInvalid) {
            try MinisignSignature(minisignFile: file.replacingOccurrences(
                of: "trusted comment: x", with: "trusted comment: " + String(repeating: "x", count: 8174)))
        }
        SigningAssertThrows(.inputInvalid) {
            try MinisignSignature(minisignFile: file.replacingOccurrences(
                of: "signature from amana secret key", with: String(repeating: "x", count: 1004)))
        }
    }

    func testNonCanonicalBase64IsRefused() throws {
        let file = try key.sign(message, trustedComment: "x").minisignFile()
        var lines = file.split(separator: "\n").map(String.init)
        // 64 bytes end in "==", leaving 4 unused bits in the last data character; set one of them.
        let global = lines[3]
        XCTAssertTrue(global.hasSuffix("=="))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let last = global.dropLast(2).last!
        let sloppy = alphabet[alphabet.firstIndex(of: last)! ^ 0x01]
        lines[3] = String(global.dropLast(3)) + String(sloppy) + "=="
        SigningAssertThrows(.inputInvalid) { try MinisignSignature(minisignFile: lines.joined(separator: "\n")) }
        // Missing padding is refused too.
        lines[3] = String(global.dropLast(2))
        SigningAssertThrows(.inputInvalid) { try MinisignSignature(minisignFile: lines.joined(separator: "\n")) }
    }

    func testUnknownAlgorithmIsRefused() throws {
        let file = try key.sign(message, trustedComment: "x").minisignFile()
        var blob = SigningTestSupport.blob(ofLine: 1, in: file)
        for tag in ["Sc", "ed", "EE", "\0\0"] {
            blob.replaceSubrange(0..<2, with: Array(tag.utf8))
            SigningAssertThrows(.inputInvalid, tag) {
                try MinisignSignature(minisignFile: SigningTestSupport.replacingBlob(ofLine: 1, in: file, with: blob))
            }
        }
    }

    // MARK: Helpers

    private func rebuilt(
        _ s: MinisignSignature, algorithm: MinisignSignature.Algorithm? = nil, signature: [UInt8]? = nil,
        untrustedComment: String? = nil, trustedComment: String? = nil, globalSignature: [UInt8]? = nil
    ) -> MinisignSignature {
        MinisignSignature(
            algorithm: algorithm ?? s.algorithm, keyID: s.keyID, signature: signature ?? s.signature,
            untrustedComment: untrustedComment ?? s.untrustedComment, trustedComment: trustedComment ?? s.trustedComment,
            globalSignature: globalSignature ?? s.globalSignature
        )
    }

    private func legacySign(_ bytes: [UInt8]) throws -> [UInt8] {
        try Ed25519.sign(bytes, secretKey: secretBytes())
    }

    private func globalSign(_ signature: [UInt8], _ comment: String) throws -> [UInt8] {
        try Ed25519.sign(signature + Array(comment.utf8), secretKey: secretBytes())
    }

    /// The key's secret, read back out of its unencrypted file (tests only).
    private func secretBytes() throws -> SecretBytes {
        let file = try key.minisignFile(passphrase: nil)
        let blob = SigningTestSupport.blob(ofLine: 1, in: file)
        return SecretBytes(copying: blob[62..<126])
    }
}
