@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Encrypting then decrypting gives the bytes back across chunk boundaries, binary and armored; every kind of damage
/// gives its own failure class, and a failed decryption leaves no output file.
final class AgeRoundTripTests: XCTestCase {
    let temp = TemporaryFolder("amana-age")

    private func plaintext(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } }

    private func encrypt(_ bytes: [UInt8], to recipients: [AgeRecipient], armor: Bool = false) throws -> [UInt8] {
        let input = try temp.write("plain-\(bytes.count)-\(armor)", bytes)
        var out: [UInt8] = []
        try AgeEncryptor(recipients: recipients, armor: armor).encrypt(path: input) { out += $0 }
        return out
    }

    private func decrypt(_ bytes: [UInt8], with identities: [AgeIdentity]) throws -> [UInt8] {
        let path = try temp.write("cipher-\(UUID().uuidString)", bytes)
        var out: [UInt8] = []
        try AgeDecryptor(identities: identities).decrypt(path: path) { out += $0 }
        return out
    }

    private func assertCode(_ code: AmanaError.Code, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) {
            XCTAssertEqual(($0 as? AmanaError)?.code, code, "\($0)", file: file, line: line)
        }
    }

    func testBech32KeysRoundTripAgeKeygenSpelling() throws {
        let text = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"
        let identity = try AgeX25519Identity(text)
        XCTAssertEqual(identity.encoded, text)
        XCTAssertEqual(try AgeX25519Recipient(identity.recipient.publicName).publicKey, identity.recipient.publicKey)
        XCTAssertThrowsError(try AgeX25519Identity(String(text.dropLast()) + "1"))  // checksum
        XCTAssertThrowsError(try AgeX25519Recipient(identity.recipient.publicName.uppercased()))
    }

    func testRoundTripAcrossChunkBoundariesBinaryAndArmored() throws {
        let identity = AgeX25519Identity()
        for size in [0, 1, 65_535, 65_536, 65_537, 3 * 65_536] {
            for armor in [false, true] {
                let bytes = plaintext(size)
                let sealed = try encrypt(bytes, to: [identity.recipient], armor: armor)
                XCTAssertEqual(try decrypt(sealed, with: [identity]), bytes, "size \(size) armor \(armor)")
            }
        }
    }

    func testScryptRoundTripAndWorkFactorLimit() throws {
        let bytes = plaintext(1000)
        let sealed = try encrypt(bytes, to: [AgeScryptRecipient(passphrase: "correct horse", workFactor: 10)])
        XCTAssertEqual(try decrypt(sealed, with: [AgeScryptIdentity(passphrase: "correct horse")]), bytes)
        assertCode(.ageNoMatch) { _ = try decrypt(sealed, with: [AgeScryptIdentity(passphrase: "wrong")]) }
        assertCode(.ageHeader) { _ = try decrypt(sealed, with: [AgeScryptIdentity(passphrase: "correct horse", maxWorkFactor: 9)]) }
        XCTAssertThrowsError(try AgeEncryptor(recipients: [AgeScryptRecipient(passphrase: "x"), AgeX25519Identity().recipient]))
    }

    func testEachKindOfDamageHasItsClass() throws {
        let identity = AgeX25519Identity()
        let bytes = plaintext(2 * 65_536 + 10)
        let sealed = try encrypt(bytes, to: [identity.recipient])
        assertCode(.ageNoMatch) { _ = try decrypt(sealed, with: [AgeX25519Identity()]) }
        var lastFlipped = sealed
        lastFlipped[lastFlipped.count - 3] ^= 1
        assertCode(.agePayload) { _ = try decrypt(lastFlipped, with: [identity]) }
        assertCode(.agePayload) { _ = try decrypt(Array(sealed.dropLast(26)), with: [identity]) }  // the last chunk gone
        assertCode(.agePayload) { _ = try decrypt(sealed + [0], with: [identity]) }
        var header = sealed
        let stanza = header.firstIndex(of: 0x0A)! + 12  // inside the X25519 share
        header[stanza] = header[stanza] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        XCTAssertThrowsError(try decrypt(header, with: [identity]))
        var grease = sealed  // a changed type of an unknown stanza: MAC failure, not silent success
        let extra = Array("-> grease\n\n".utf8)
        grease.insert(contentsOf: extra, at: sealed.firstIndex(of: 0x0A)! + 1)
        assertCode(.ageHMAC) { _ = try decrypt(grease, with: [identity]) }
    }

    func testFailedDecryptionLeavesNoFile() throws {
        let identity = AgeX25519Identity()
        var sealed = try encrypt(plaintext(3 * 65_536), to: [identity.recipient])
        sealed[sealed.count - 1] ^= 0x80  // the final chunk's tag
        let input = try temp.write("damaged.age", sealed)
        let output = temp.file("out.tar")
        XCTAssertThrowsError(try AgeFileDecryption.decrypt(input, to: output, identities: [identity]))
        XCTAssertEqual(temp.listing().filter { $0.contains("out.tar") }, [])
    }

    func testIdentityFileReadableByOthersIsRefused() throws {
        let identity = AgeX25519Identity()
        let path = try temp.write("key.agekey", AgeIdentityFile.text(for: identity, created: "2026-01-01T00:00:00Z"))
        chmod(path, 0o644)
        XCTAssertThrowsError(try AgeIdentityFile.read(path)) {
            XCTAssertEqual(($0 as? AmanaError)?.code, .inputInvalid)
            XCTAssertTrue(($0 as? AmanaError)?.hint?.contains("chmod 600") ?? false)
        }
        chmod(path, 0o600)
        XCTAssertEqual(try AgeIdentityFile.read(path).count, 1)
    }
}
