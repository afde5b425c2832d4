import XCTest

@testable import AmanaKit

final class SigningKeyIDTests: XCTestCase {
    /// The key id of the minisign author's release key, as stored (little-endian) in the file.
    private let storedBytes: [UInt8] = [0x1f, 0xe8, 0xb4, 0x42, 0x18, 0x0f, 0x62, 0xe7]

    func testDisplayIsUppercaseLittleEndianHex() {
        XCTAssertEqual(KeyID(bytes: storedBytes)?.description, "E7620F1842B4E81F")
    }

    func testDisplayKeepsLeadingZeros() {
        let id = KeyID(bytes: [0x05, 0, 0, 0, 0, 0, 0, 0])!
        XCTAssertEqual(id.description, "0000000000000005")
        XCTAssertEqual(KeyID(hex: "0000000000000005"), id)
    }

    func testParsesDisplayForm() {
        XCTAssertEqual(KeyID(hex: "E7620F1842B4E81F")?.bytes, storedBytes)
        XCTAssertEqual(KeyID(hex: "e7620f1842b4e81f")?.bytes, storedBytes)
    }

    func testRejectsMalformedHex() {
        for bad in ["", "E7620F1842B4E81", "E7620F1842B4E81F0", "G7620F1842B4E81F", " E7620F1842B4E81", "E7620F18 2B4E81F",
                    "E7620F1842B4E8\u{0}F", "E7620F1842B4E81F\n", "é7620F1842B4E81F"] {
            XCTAssertNil(KeyID(hex: bad), "accepted \(bad.debugDescription)")
        }
        XCTAssertNil(KeyID(bytes: Array(storedBytes.dropLast())))
        XCTAssertNil(KeyID(bytes: storedBytes + [0]))
    }

    func testRoundTripOfRandomIDs() throws {
        for _ in 0..<50 {
            let id = try KeyID.random()
            XCTAssertEqual(KeyID(hex: id.description), id)
        }
    }
}
