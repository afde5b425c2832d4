@testable import AmanaKit
import Foundation
import XCTest

final class UTCTimeTests: XCTestCase {
    /// The hand-written parser agrees with Foundation's ISO 8601 formatter on every well-formed time.
    func testAgreesWithFoundationOnValidTimes() throws {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        var samples = ["1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2024-02-29T12:00:00Z", "2100-12-31T23:59:59Z",
                       "1999-12-31T23:59:59+01:00", "2026-11-29T03:05:41-05:30",
                       "9999-12-31T23:59:59Z"]
        for _ in 0..<2000 {
            let seconds = Int.random(in: -2_000_000_000...8_000_000_000, using: &generator)
            samples.append(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))))
        }
        for text in samples {
            let expected = try XCTUnwrap(formatter.date(from: text), text)
            XCTAssertEqual(UTCTime.parseRFC3339(text), expected, text)
            // A utc-time is the one spelling with Z and no fraction: anything else RFC 3339 allows is refused.
            XCTAssertEqual(UTCTime.parse(text), text.hasSuffix("Z") && text.utf8.count == 20 ? expected : nil, text)
        }
        // The form Amana writes reads back to the same second.
        for _ in 0..<500 {
            let date = Date(timeIntervalSince1970: TimeInterval(Int.random(in: 0...4_000_000_000, using: &generator)))
            XCTAssertEqual(UTCTime.parse(UTCTime.format(date)), date)
        }
    }

    func testFractionalSecondsAndOffsetsOnlyInRFC3339() {
        XCTAssertEqual(UTCTime.parseRFC3339("2026-11-29T03:05:41.250Z")?.timeIntervalSince1970, 1_795_921_541.25)
        XCTAssertEqual(UTCTime.parseRFC3339("2026-11-29T04:05:41+01:00"), UTCTime.parse("2026-11-29T03:05:41Z"))
        XCTAssertEqual(UTCTime.parseRFC3339("2026-11-29T02:05:41-01:00"), UTCTime.parse("2026-11-29T03:05:41Z"))
        for text in ["2026-11-29T03:05:41.250Z", "2026-11-29T04:05:41+01:00", "2026-11-29T03:05:41+00:00",
                     "2026-11-29T03:05:41-00:00", "2026-11-29T03:05:41.0Z", "2026-11-29T03:05:41z", "2026-11-29T03:05:41"] {
            XCTAssertNil(UTCTime.parse(text), text)
        }
    }

    func testRefusesEverythingElse() {
        for text in ["", "2026-11-29", "2026-11-29T03:05:41", "2026-11-29 03:05:41Z", "2026-11-29t03:05:41Z",
                     "2026-11-29T03:05:41z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z",
                     "2026-04-31T00:00:00Z", "2026-11-29T24:00:00Z", "2026-11-29T23:60:00Z", "2026-11-29T23:59:60Z",
                     "2026-11-29T03:05:41.Z", "2026-11-29T03:05:41+0100", "2026-11-29T03:05:41+01", "2026-11-29T03:05:41Zjunk",
                     "+2026-11-29T03:05:41Z", "2026-1-29T03:05:41Z", "２０２６-11-29T03:05:41Z", "2026-11-29T03:05:41+24:00"] {
            XCTAssertNil(UTCTime.parse(text), text)
            XCTAssertNil(UTCTime.parseRFC3339(text), text)
        }
    }
}
