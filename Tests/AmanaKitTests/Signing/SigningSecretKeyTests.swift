import XCTest

@testable import AmanaKit

final class SigningSecretKeyTests: XCTestCase {
    private func neverAsked() -> String {
        XCTFail("the passphrase closure must not be called for an unencrypted key")
        return ""
    }

    // MARK: Generation

    func testGenerateRefusesControlCharactersInMetadata() {
        for bad in ["Lina\tHaddad", "Lina\nHaddad", "Lina\rHaddad", "Lina\u{0}", "\u{1b}[31mred", "a\u{85}b", "a\u{2028}b",
                    "x\u{7f}"] {
            SigningAssertThrows(.usage, bad.debugDescription) { try SecretKey.generate(name: bad, organization: nil) }
            SigningAssertThrows(.usage, bad.debugDescription) { try SecretKey.generate(name: nil, organization: bad) }
        }
        SigningAssertThrows(.usage) { try SecretKey.generate(name: "", organization: nil) }
        SigningAssertThrows(.usage) { try SecretKey.generate(name: nil, organization: "") }
    }

    func testGenerateRefusesMetadataTooLongForOneLine() throws {
        XCTAssertNoThrow(try SecretKey.generate(name: String(repeating: "n", count: 400), organization: "o"))
        SigningAssertThrows(.usage) {
            try SecretKey.generate(name: String(repeating: "n", count: 500), organization: String(repeating: "o", count: 500))
        }
    }

    func testGeneratedKeysDiffer() throws {
        let a = try SecretKey.generate(name: nil, organization: nil)
        let b = try SecretKey.generate(name: nil, organization: nil)
        XCTAssertNotEqual(a.keyID, b.keyID)
        XCTAssertNotEqual(a.publicKey.rawKey, b.publicKey.rawKey)
        XCTAssertEqual(a.publicKey.keyID, a.keyID)
    }

    func testDescriptionNamesTheKeyOnly() throws {
        let key = try SecretKey.generate(name: "Lina Haddad", organization: nil)
        XCTAssertEqual(key.description, "secret key \(key.keyID)")
        XCTAssertEqual("\(key)", "secret key \(key.keyID)")
    }

    // MARK: Unencrypted files

    func testUnencryptedFileHasMinisignLayout() throws {
        let key = try SecretKey.generate(name: "Lina Haddad", organization: "Syrian Archive")
        let file = try key.minisignFile(passphrase: nil)
        let lines = file.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[2], "", "ends in a newline")
        XCTAssertEqual(
            lines[0], "untrusted comment: amana secret key \(key.keyID)\tname:Lina Haddad\torganization:Syrian Archive"
        )
        let blob = SigningTestSupport.blob(ofLine: 1, in: file)
        XCTAssertEqual(blob.count, 158)
        XCTAssertEqual(Array(blob[0..<6]), [0x45, 0x64, 0, 0, 0x42, 0x32], "\"Ed\", no KDF, \"B2\"")
        XCTAssertEqual(Array(blob[6..<54]), [UInt8](repeating: 0, count: 48), "zero salt and limits")
        XCTAssertEqual(Array(blob[54..<62]), key.keyID.bytes)
        XCTAssertEqual(Array(blob[94..<126]), key.publicKey.rawKey, "the secret key's second half is the public key")
        XCTAssertEqual(Array(blob[126..<158]), [UInt8](repeating: 0, count: 32), "zero checksum, as minisign -G -W")
        XCTAssertFalse(try SecretKey.isEncrypted(minisignFile: file))
    }

    func testUnencryptedRoundTripSignsIdentically() throws {
        let key = try SecretKey.generate(name: "Lina Haddad", organization: nil)
        let read = try SecretKey(minisignFile: try key.minisignFile(passphrase: nil), passphrase: neverAsked)
        XCTAssertEqual(read.keyID, key.keyID)
        XCTAssertEqual(read.publicKey, key.publicKey)
        // Ed25519 is deterministic: the same secret gives the same signature.
        XCTAssertEqual(try read.sign([1, 2, 3], trustedComment: "t"), try key.sign([1, 2, 3], trustedComment: "t"))
    }

    func testUnencryptedKeyWithRealChecksumIsAccepted() throws {
        // `minisign -C -W` (remove a passphrase) keeps the checksum it verified, so a real one must be accepted too.
        let key = try SecretKey.generate(name: nil, organization: nil)
        let file = try key.minisignFile(passphrase: nil)
        var blob = SigningTestSupport.blob(ofLine: 1, in: file)
        let hasher = Blake2b(outputLength: 32)
        hasher.update(Array(blob[0..<2]) + Array(blob[54..<126]))
        blob.replaceSubrange(126..<158, with: hasher.finalize())
        let read = try SecretKey(
            minisignFile: SigningTestSupport.replacingBlob(ofLine: 1, in: file, with: blob), passphrase: neverAsked
        )
        XCTAssertEqual(read.keyID, key.keyID)
    }

    func testDamagedUnencryptedKeysAreRefused() throws {
        let key = try SecretKey.generate(name: nil, organization: nil)
        let file = try key.minisignFile(passphrase: nil)
        let blob = SigningTestSupport.blob(ofLine: 1, in: file)
        for (index, what) in [(62, "seed"), (100, "public half"), (130, "checksum")] {
            var damaged = blob
            damaged[index] ^= 0x01
            SigningAssertThrows(.inputInvalid, what) {
                try SecretKey(minisignFile: SigningTestSupport.replacingBlob(ofLine: 1, in: file, with: damaged),
                              passphrase: neverAsked)
            }
        }
    }

    func testUnsupportedAlgorithmsAreRefused() throws {
        let key = try SecretKey.generate(name: nil, organization: nil)
        let file = try key.minisignFile(passphrase: nil)
        let blob = SigningTestSupport.blob(ofLine: 1, in: file)
        for (range, value) in [(0..<2, "ED"), (2..<4, "Ar"), (4..<6, "B3"), (2..<4, "sc")] {
            var changed = blob
            changed.replaceSubrange(range, with: Array(value.utf8))
            let text = SigningTestSupport.replacingBlob(ofLine: 1, in: file, with: changed)
            SigningAssertThrows(.inputInvalid, value) { try SecretKey.isEncrypted(minisignFile: text) }
            SigningAssertThrows(.inputInvalid, value) { try SecretKey(minisignFile: text, passphrase: { "x" }) }
        }
    }

    func testSecretCommentMustMatchTheKey() throws {
        let key = try SecretKey.generate(name: "A", organization: nil)
        let other = try SecretKey.generate(name: "A", organization: nil)
        let file = try key.minisignFile(passphrase: nil)
            .replacingOccurrences(of: key.keyID.description, with: other.keyID.description)
        SigningAssertThrows(.inputInvalid) { try SecretKey(minisignFile: file, passphrase: neverAsked) }
    }

    func testMalformedCommentIsRefusedBeforeAskingForAPassphrase() throws {
        let key = try SecretKey.generate(name: "A", organization: nil)
        let file = try SigningTestSupport.cheapEncryptedFile(key, passphrase: "pw")
            .replacingOccurrences(of: "\tname:A", with: "\tname:A\tname:B")
        SigningAssertThrows(.inputInvalid) { try SecretKey.isEncrypted(minisignFile: file) }
        SigningAssertThrows(.inputInvalid) {
            try SecretKey(minisignFile: file, passphrase: { XCTFail("asked for a passphrase"); return "pw" })
        }
    }

    func testMinisignsOwnCommentReadsWithoutMetadata() throws {
        let key = try SecretKey.generate(name: "A", organization: "B")
        var lines = try key.minisignFile(passphrase: nil).split(separator: "\n").map(String.init)
        lines[0] = "untrusted comment: minisign encrypted secret key"
        let read = try SecretKey(minisignFile: lines.joined(separator: "\r\n"), passphrase: neverAsked)
        XCTAssertEqual(read.keyID, key.keyID)
        XCTAssertNil(read.publicKey.name)
        XCTAssertNil(read.publicKey.organization)
    }

    // MARK: Encrypted files (cheap scrypt limits, except one test)

    func testEncryptedRoundTripAndWrongPassphrase() throws {
        let key = try SecretKey.generate(name: "Lina Haddad", organization: "Syrian Archive")
        let file = try SigningTestSupport.cheapEncryptedFile(key, passphrase: "correct horse")
        XCTAssertTrue(try SecretKey.isEncrypted(minisignFile: file))
        let blob = SigningTestSupport.blob(ofLine: 1, in: file)
        XCTAssertEqual(Array(blob[0..<6]), Array("EdScB2".utf8))
        XCTAssertNotEqual(Array(blob[54..<62]), key.keyID.bytes, "the key id is encrypted too")

        var asked = 0
        let read = try SecretKey(minisignFile: file, passphrase: { asked += 1; return "correct horse" })
        XCTAssertEqual(asked, 1)
        XCTAssertEqual(read.keyID, key.keyID)
        XCTAssertEqual(read.publicKey, key.publicKey)

        SigningAssertThrows(.wrongPassphrase) { try SecretKey(minisignFile: file, passphrase: { "correct horsE" }) }
        SigningAssertThrows(.wrongPassphrase) { try SecretKey(minisignFile: file, passphrase: { "" }) }
        do {
            _ = try SecretKey(minisignFile: file, passphrase: { throw CancellationError() })
            XCTFail("the closure's error must propagate")
        } catch is CancellationError {}
    }

    func testWrongPassphraseMessage() throws {
        let key = try SecretKey.generate(name: nil, organization: nil)
        let file = try SigningTestSupport.cheapEncryptedFile(key, passphrase: "pw")
        do {
            _ = try SecretKey(minisignFile: file, passphrase: { "wrong" })
            XCTFail("accepted a wrong passphrase")
        } catch let error as AmanaError {
            XCTAssertEqual(error.code, .wrongPassphrase)
            XCTAssertEqual(error.reason, "the passphrase does not unlock this secret key")
        }
    }

    func testEncryptedFilesDifferEachTime() throws {
        let key = try SecretKey.generate(name: nil, organization: nil)
        XCTAssertNotEqual(
            try SigningTestSupport.cheapEncryptedFile(key, passphrase: "pw"),
            try SigningTestSupport.cheapEncryptedFile(key, passphrase: "pw"),
            "a fresh salt every time"
        )
    }

    func testBadPassphrasesAreRefusedWhenWriting() throws {
        let key = try SecretKey.generate(name: nil, organization: nil)
        for bad in ["", "a\nb", "a\rb", "a\u{0}b", String(repeating: "x", count: 1024)] {
            SigningAssertThrows(.usage, bad.debugDescription) { try key.minisignFile(passphrase: bad) }
        }
    }

    func testAbsurdLimitsAreRefusedBeforeAskingForAPassphrase() throws {
        let key = try SecretKey.generate(name: nil, organization: nil)
        let file = try SigningTestSupport.cheapEncryptedFile(key, passphrase: "pw")
        for (offset, value) in [(46, UInt64(8) << 30), (38, UInt64.max)] {
            var blob = SigningTestSupport.blob(ofLine: 1, in: file)
            blob.replaceSubrange(offset..<offset + 8, with: MinisignText.storeLittleEndian64(value))
            let text = SigningTestSupport.replacingBlob(ofLine: 1, in: file, with: blob)
            SigningAssertThrows(.inputInvalid) { try SecretKey.isEncrypted(minisignFile: text) }
            SigningAssertThrows(.inputInvalid) {
                try SecretKey(minisignFile: text, passphrase: { XCTFail("asked for a passphrase"); return "pw" })
            }
        }
    }

    /// The one unit test that pays for minisign's real limits (about 1 GiB and a few seconds).
    func testDefaultLimitsAreMinisignsSensitiveLimits() throws {
        let key = try SecretKey.generate(name: nil, organization: nil)
        let file = try key.minisignFile(passphrase: "pw")
        let blob = SigningTestSupport.blob(ofLine: 1, in: file)
        XCTAssertEqual(MinisignText.loadLittleEndian64(blob[38..<46]), 33_554_432)
        XCTAssertEqual(MinisignText.loadLittleEndian64(blob[46..<54]), 1_073_741_824)
        XCTAssertEqual(Array(blob[38..<54]), [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0])
    }
}
