import XCTest

@testable import AmanaKit

final class SigningPublicKeyTests: XCTestCase {
    private func makeKey(name: String? = "Lina Haddad", organization: String? = "Syrian Archive") throws -> PublicKey {
        try SecretKey.generate(name: name, organization: organization).publicKey
    }

    func testFileShapeWithNameAndOrganization() throws {
        let key = try makeKey()
        XCTAssertEqual(
            key.minisignFile(),
            "untrusted comment: amana public key \(key.keyID)\tname:Lina Haddad\torganization:Syrian Archive\n"
                + key.base64 + "\n"
        )
        XCTAssertEqual(key.base64.utf8.count, 56)
        XCTAssertTrue(key.base64.hasPrefix("RW"), "\"Ed\" encodes as RW...")
    }

    func testFileOmitsAbsentFields() throws {
        let nameOnly = try makeKey(organization: nil)
        XCTAssertEqual(
            nameOnly.minisignFile().split(separator: "\n").first.map(String.init),
            "untrusted comment: amana public key \(nameOnly.keyID)\tname:Lina Haddad"
        )
        let organizationOnly = try makeKey(name: nil)
        XCTAssertEqual(
            organizationOnly.minisignFile().split(separator: "\n").first.map(String.init),
            "untrusted comment: amana public key \(organizationOnly.keyID)\torganization:Syrian Archive"
        )
        let neither = try makeKey(name: nil, organization: nil)
        XCTAssertEqual(
            neither.minisignFile().split(separator: "\n").first.map(String.init),
            "untrusted comment: amana public key \(neither.keyID)"
        )
    }

    func testRoundTripKeepsMetadata() throws {
        for (name, organization) in [("Lina Haddad", "Syrian Archive"), ("لينا حداد", "الأرشيف السوري: فرع 2"),
                                     (nil, nil), ("A", nil), (nil, "B")] as [(String?, String?)] {
            let key = try makeKey(name: name, organization: organization)
            let read = try PublicKey(minisignFile: key.minisignFile())
            XCTAssertEqual(read, key)
            XCTAssertEqual(read.name, name)
            XCTAssertEqual(read.organization, organization)
        }
    }

    func testBase64RoundTrip() throws {
        let key = try makeKey()
        let read = try PublicKey(base64: key.base64)
        XCTAssertEqual(read.keyID, key.keyID)
        XCTAssertEqual(read.rawKey, key.rawKey)
        XCTAssertNil(read.name)
        XCTAssertNil(read.organization)
    }

    func testForeignCommentReadsWithoutMetadata() throws {
        let key = try makeKey()
        for comment in ["minisign public key \(key.keyID)", "", "anything at all\twith:tabs",
                        "amana secret key \(key.keyID)\tname:X", "Amana public key \(key.keyID)\tname:X"] {
            let read = try PublicKey(minisignFile: "untrusted comment: \(comment)\n\(key.base64)\n")
            XCTAssertEqual(read.keyID, key.keyID)
            XCTAssertNil(read.name, comment)
            XCTAssertNil(read.organization, comment)
        }
    }

    func testLineEndingsAreTolerated() throws {
        let key = try makeKey()
        let lf = key.minisignFile()
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertEqual(try PublicKey(minisignFile: crlf), key)
        XCTAssertEqual(try PublicKey(minisignFile: String(lf.dropLast())), key)
        XCTAssertEqual(try PublicKey(minisignFile: String(crlf.dropLast())), key, "CRLF, no final newline")
        XCTAssertEqual(try PublicKey(minisignFile: String(lf.dropLast()) + "\r"), key, "a final CR without LF")
    }

    func testExtraOrMissingLinesAreRefused() throws {
        let key = try makeKey()
        let file = key.minisignFile()
        SigningAssertThrows(.inputInvalid) { try PublicKey(minisignFile: file + "\n") }
        SigningAssertThrows(.inputInvalid) { try PublicKey(minisignFile: file + "extra\n") }
        SigningAssertThrows(.inputInvalid) { try PublicKey(minisignFile: "\n" + file) }
        SigningAssertThrows(.inputInvalid) { try PublicKey(minisignFile: key.base64 + "\n") }
        SigningAssertThrows(.inputInvalid) { try PublicKey(minisignFile: "\u{FEFF}" + file) }
        SigningAssertThrows(.inputInvalid) { try PublicKey(minisignFile: file.replacingOccurrences(of: "\n", with: "\r")) }
    }

    func testMalformedAmanaCommentsAreRefused() throws {
        let key = try makeKey()
        let other = try makeKey()
        let lead = "untrusted comment: amana public key "
        for comment in [
            "\(other.keyID)\tname:X",  // names another key
            "\(key.keyID.description.lowercased())",
            "",
            "\(key.keyID)\tname:A\tname:B",
            "\(key.keyID)\tname:",
            "\(key.keyID)\tname:A\t",
            "\(key.keyID)\t\tname:A",
            "\(key.keyID)\tnoColon",
            "\(key.keyID)\tName:A",
            "\(key.keyID)\t:A",
            "\(key.keyID)\torganization:A\torganization:B",
        ] {
            SigningAssertThrows(.inputInvalid, comment.debugDescription) {
                try PublicKey(minisignFile: lead + comment + "\n" + key.base64 + "\n")
            }
        }
    }

    func testUnknownWellFormedFieldsAreSkipped() throws {
        let key = try makeKey()
        let text = "untrusted comment: amana public key \(key.keyID)\tcontact-2:x@y\tname:A: B\torganization:C\n"
            + key.base64 + "\n"
        let read = try PublicKey(minisignFile: text)
        XCTAssertEqual(read.name, "A: B")
        XCTAssertEqual(read.organization, "C")
    }

    func testKeyLineMustBeExact() throws {
        let key = try makeKey()
        var blob = MinisignFormat.keyAlgorithm + key.keyID.bytes + key.rawKey
        for bad in [" " + key.base64, key.base64 + " ", key.base64 + "\n", String(key.base64.dropLast()),
                    key.base64 + "AAAA", key.base64.replacingOccurrences(of: "R", with: "*"), ""] {
            SigningAssertThrows(.inputInvalid, bad.debugDescription) { try PublicKey(base64: bad) }
        }
        blob[1] = UInt8(ascii: "D")  // "ED" is a signature algorithm, not a key algorithm
        SigningAssertThrows(.inputInvalid) { try PublicKey(base64: Base64.encode(blob)) }
    }
}
