@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// The hybrid post-quantum recipient (`mlkem768x25519`): key spellings, the stanza's shape, unwrapping only by the
/// matching identity, and the low-order X25519 half refused whatever the ML-KEM half holds. The CCTV vectors
/// (AgeConformanceTests) check it against the reference implementation; these check Amana's own side.
final class AgeHybridTests: XCTestCase {
    /// The identity of the CCTV hybrid vectors, from which its recipient is derived.
    let vectorIdentity = "AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG"

    private func assertCode(_ code: AmanaError.Code, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) {
            XCTAssertEqual(($0 as? AmanaError)?.code, code, "\($0)", file: file, line: line)
        }
    }

    func testKeysRoundTripInAgeSpelling() throws {
        let identity = try AgeHybridIdentity(vectorIdentity)
        XCTAssertEqual(identity.encoded, vectorIdentity)
        let recipient = identity.recipient.publicName
        XCTAssertTrue(recipient.hasPrefix("age1pq1"), recipient)
        XCTAssertEqual(identity.recipient.publicKey.count, 1216)
        XCTAssertEqual(try AgeHybridRecipient(recipient).publicKey, identity.recipient.publicKey)
        XCTAssertTrue(try AgeRecipients.parse(recipient) is AgeHybridRecipient)
        XCTAssertTrue(try AgeIdentities.parse(vectorIdentity) is AgeHybridIdentity)
        XCTAssertThrowsError(try AgeHybridRecipient(recipient.uppercased()))
        XCTAssertThrowsError(try AgeHybridIdentity(String(vectorIdentity.dropLast()) + "Q"))  // checksum
        // The right prefix on a 32-byte key is not a hybrid recipient.
        XCTAssertThrowsError(try AgeHybridRecipient(Bech32.encode(hrp: "age1pq", data: [UInt8](repeating: 9, count: 32))))
        // A new identity is new each time.
        XCTAssertNotEqual(try AgeHybridIdentity().encoded, try AgeHybridIdentity().encoded)
    }

    func testStanzaShapeAndOnlyTheMatchingIdentityUnwraps() throws {
        let identity = try AgeHybridIdentity(vectorIdentity)
        let fileKey = [UInt8](0..<16)
        let stanzas = try identity.recipient.wrap(fileKey: fileKey)
        XCTAssertEqual(stanzas.count, 1)
        XCTAssertEqual(stanzas[0].type, "mlkem768x25519")
        XCTAssertEqual(stanzas[0].arguments.count, 1)
        XCTAssertEqual(AgeStanza.decodeArgument(stanzas[0].arguments[0], count: 1120)?.count, 1120)
        XCTAssertEqual(stanzas[0].body.count, 32)
        XCTAssertEqual(try identity.unwrap(stanzas), fileKey)
        XCTAssertNil(try AgeHybridIdentity().unwrap(stanzas))
        // An X25519 identity ignores the hybrid stanza, and the hybrid identity an X25519 one.
        XCTAssertNil(try AgeX25519Identity().unwrap(stanzas))
        XCTAssertNil(try identity.unwrap(try AgeX25519Identity().recipient.wrap(fileKey: fileKey)))
        // A changed body does not authenticate: not for this identity.
        var changed = stanzas
        changed[0].body[0] ^= 1
        XCTAssertNil(try identity.unwrap(changed))
    }

    func testLowOrderX25519HalfAndMalformedStanzasAreHeaderFailures() throws {
        let identity = try AgeHybridIdentity(vectorIdentity)
        let stanza = try identity.recipient.wrap(fileKey: [UInt8](repeating: 7, count: 16))[0]
        var enc = AgeStanza.decodeArgument(stanza.arguments[0], count: 1120)!
        for low in [[UInt8](repeating: 0, count: 32), [1] + [UInt8](repeating: 0, count: 31)] {
            enc.replaceSubrange(1088..<1120, with: low)
            let bad = AgeStanza(type: stanza.type, arguments: [AgeBase64.encodeString(enc)], body: stanza.body)
            assertCode(.ageHeader) { _ = try identity.unwrap([bad]) }
        }
        XCTAssertFalse(AgeHybridIdentity.isUsableShare([UInt8](repeating: 0, count: 32)))
        XCTAssertTrue(AgeHybridIdentity.isUsableShare(Array(try AgeX25519Identity().recipient.publicKey)))

        let short = AgeStanza(type: stanza.type, arguments: [AgeBase64.encodeString(enc.dropLast())], body: stanza.body)
        assertCode(.ageHeader) { _ = try identity.unwrap([short]) }
        let extra = AgeStanza(type: stanza.type, arguments: stanza.arguments + ["x"], body: stanza.body)
        assertCode(.ageHeader) { _ = try identity.unwrap([extra]) }
        let longBody = AgeStanza(type: stanza.type, arguments: stanza.arguments, body: stanza.body + [0])
        assertCode(.ageHeader) { _ = try identity.unwrap([longBody]) }
    }

    func testMixedRecipientsEachOpenTheFile() throws {
        let temp = TemporaryFolder("amana-age-hybrid")
        let hybrid = try AgeHybridIdentity(), classic = AgeX25519Identity()
        let plain = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let input = try temp.write("plain", plain)
        var sealed: [UInt8] = []
        try AgeEncryptor(recipients: [hybrid.recipient, classic.recipient]).encrypt(path: input) { sealed += $0 }
        let path = try temp.write("sealed.age", sealed)
        for identity in [hybrid as AgeIdentity, classic] {
            var out: [UInt8] = []
            try AgeDecryptor(identities: [identity]).decrypt(path: path) { out += $0 }
            XCTAssertEqual(out, plain)
        }
    }
}
