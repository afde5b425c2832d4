@testable import AmanaKit
import XCTest

/// The seal's metadata hot path takes short cuts (issue 14's 5% budget); each must give exactly what the plain code
/// gives, or the records of bundles sealed before and after would differ.
final class MetadataFastPathTests: XCTestCase {
    func testNormalisedTimesAreSpelledAsByConcatenation() {
        var generator = SystemRandomNumberGenerator()
        let edges = [0, 1, 9, 10, 59, 99, 100, 999, 1000, 1904, 1970, 9999, 10_000, -1, -10, 123_456]
        for round in 0..<20_000 {
            func pick(_ range: ClosedRange<Int>) -> Int {
                round % 4 == 0 ? edges.randomElement(using: &generator)! : Int.random(in: range, using: &generator)
            }
            let offsets: [Int?] = [nil, 0, 30, -30, 3600, -3600, 5 * 3600 + 1800, -(9 * 3600 + 2700), 14 * 3600,
                                   99 * 3600 + 59 * 60, 100 * 3600, -360_000, Int.random(in: -400_000...400_000, using: &generator)]
            let time = MetadataTime(year: pick(0...9999), month: pick(1...12), day: pick(1...31), hour: pick(0...23),
                                    minute: pick(0...59), second: pick(0...60), offset: offsets.randomElement(using: &generator)!)
            XCTAssertEqual(time.normalised, time.spelledByConcatenation, "\(time)")
        }
    }

    func testGroupingInOrderOrNotEqualsAStableSortByRank() {
        var generator = SystemRandomNumberGenerator()
        let fields = MetadataReader.fieldOrder + [MetadataField(rawValue: "other"), MetadataField(rawValue: "zzz")]
        for _ in 0..<2_000 {
            var values = (0..<Int.random(in: 0...12, using: &generator)).map { index in
                MetadataValue(fields.randomElement(using: &generator)!, source: "s\(index)", raw: "r", normalised: "n")
            }
            if Bool.random(using: &generator) {
                // Already grouped, as most records are: the short cut must return them as they are.
                values = values.enumerated().sorted {
                    let left = MetadataReader.fieldRank[$0.element.field] ?? fields.count
                    let right = MetadataReader.fieldRank[$1.element.field] ?? fields.count
                    return (left, $0.offset) < (right, $1.offset)
                }.map(\.element)
            }
            let expected = values.enumerated().sorted {
                let left = MetadataReader.fieldRank[$0.element.field] ?? MetadataReader.fieldOrder.count
                let right = MetadataReader.fieldRank[$1.element.field] ?? MetadataReader.fieldOrder.count
                return (left, $0.offset) < (right, $1.offset)
            }.map(\.element)
            XCTAssertEqual(MetadataReader.grouped(values), expected)
        }
    }
}
