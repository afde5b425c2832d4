import XCTest

@testable import AmanaKit

final class BagItInfoTests: XCTestCase {
    func testTypedFieldsOfARealBagInfo() {
        let text = "Bag-Software-Agent: bagit.py <http://github.com/libraryofcongress/bagit-python>\nBagging-Date: 2016-02-26\nExternal-Identifier: spengler_yoshimuri_001\r\nPayload-Oxum: 58.2\n"
        let (info, problems) = BagInfo.parse(text, version: .v1_0)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(info.payloadOxum, PayloadOxum(octetCount: 58, streamCount: 2))
        XCTAssertEqual(info.baggingDate, BaggingDate(year: 2016, month: 2, day: 26))
        XCTAssertEqual(info.externalIdentifier, "spengler_yoshimuri_001")
        XCTAssertEqual(info.bagSoftwareAgent, "bagit.py <http://github.com/libraryofcongress/bagit-python>")
    }

    func testReservedLabelsAreCaseInsensitiveAndRepeatsAreKept() {
        let (info, _) = BagInfo.parse("payload-oxum: 1.1\nPAYLOAD-OXUM: 2.2\nContact-Name: A\ncontact-name: B\n", version: .v0_97)
        XCTAssertEqual(info.payloadOxum?.description, "1.1")
        XCTAssertEqual(info.payloadOxumValues, ["1.1", "2.2"])
        XCTAssertEqual(info.values("Contact-Name"), ["A", "B"])
    }

    func testVersionChoosesTheSeparatorRules() {
        let text = "Test-Tag : 3\nPayload-Oxum:   5.1\n"
        XCTAssertEqual(BagInfo.parse(text, version: .v0_97).problems, [])
        XCTAssertEqual(BagInfo.parse(text, version: .v0_97).bagInfo.payloadOxum?.description, "5.1")
        XCTAssertEqual(BagInfo.parse(text, version: .v1_0).problems.map(\.line), [1, 2])
    }

    func testPayloadOxumIsTwoWholeNumbers() {
        XCTAssertEqual(PayloadOxum("0.0"), PayloadOxum(octetCount: 0, streamCount: 0))
        XCTAssertEqual(PayloadOxum("18446744073709551615.1")?.octetCount, UInt64.max)
        for bad in ["", "58", "58.", ".2", "a.b", "-1.2", "+1.2", "1.2.3", " 1.2", "1.2 ", "1e3.2", "18446744073709551616.1", "٥.٢"] {
            XCTAssertNil(PayloadOxum(bad), bad)
        }
    }

    func testBaggingDateIsARealCalendarDay() {
        XCTAssertEqual(BaggingDate("2024-02-29")?.description, "2024-02-29")
        XCTAssertEqual(BaggingDate(year: 7, month: 1, day: 2)?.description, "0007-01-02")
        for bad in ["2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-2-01", "24-02-01", "2024/02/01", "2024-02-01T00:00", ""] {
            XCTAssertNil(BaggingDate(bad), bad)
        }
        XCTAssertNotNil(BaggingDate("2000-02-29"))
    }

    func testSettingReplacesEveryCaseVariantWhereTheFirstWas() {
        var info = BagInfo(fields: [.init("Source-Organization", "X"), .init("payload-oxum", "1.1"), .init("Contact-Name", "Y"), .init("PAYLOAD-OXUM", "2.2")])
        info.payloadOxum = PayloadOxum(octetCount: 9, streamCount: 3)
        XCTAssertEqual(info.fields, [.init("Source-Organization", "X"), .init("Payload-Oxum", "9.3"), .init("Contact-Name", "Y")])
        info.externalIdentifier = "bundle-1"
        XCTAssertEqual(info.fields.last, .init("External-Identifier", "bundle-1"))
        info.payloadOxum = nil
        XCTAssertNil(info.first("Payload-Oxum"))
    }

    func testWritingKeepsTheOrderAndRoundTrips() throws {
        var info = BagInfo()
        info.set("Source-Organization", "Amana Test Lab")
        info.baggingDate = BaggingDate("2025-01-31")
        info.payloadOxum = PayloadOxum(octetCount: 12, streamCount: 2)
        info.bagSoftwareAgent = "amana 0.1"
        info.externalIdentifier = "b-01"
        let bytes = try info.serialized()
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "Source-Organization: Amana Test Lab\nBagging-Date: 2025-01-31\nPayload-Oxum: 12.2\nBag-Software-Agent: amana 0.1\nExternal-Identifier: b-01\n")
        XCTAssertEqual(try info.serialized(), bytes, "stable")
        let reread = BagInfo.parse(String(decoding: bytes, as: UTF8.self), version: .v1_0)
        XCTAssertEqual(reread.problems, [])
        XCTAssertEqual(reread.bagInfo, info)
    }
}
