@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// The code table in spec/verification-report.md section 5 and the typed codes in the source are one set, and where a
/// rule builds a finding with a literal status, the table allows that status for that code.
///
/// An implementer who reads only the spec must meet no code Amana can report that the table does not list, and no
/// listed code that Amana cannot report. Statuses are checked by reading the source: a rule that builds
/// `.failed(SealCode.keyUntrusted, …)` against a table that says indeterminate fails here.
final class CodeTableTests: XCTestCase {
    /// Each code in the table, with every status its row's status column names.
    private func specTable() throws -> [String: Set<Finding.Status>] {
        let url = TestEnvironment.packageRoot.appendingPathComponent("spec/verification-report.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let start = text.range(of: "\n## 5. Codes"), let end = text.range(of: "\n## 6.", range: start.upperBound..<text.endIndex) else {
            XCTFail("verification-report.md has no sections 5 and 6")
            return [:]
        }
        var table = [String: Set<Finding.Status>]()
        for line in text[start.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            XCTAssertGreaterThanOrEqual(cells.count, 4, "a table row with two cells: \(line)")
            guard cells.count >= 4 else { continue }
            let statuses = Set([Finding.Status.passed, .warning, .indeterminate, .failed].filter {
                cells[2].range(of: "\\b\($0.rawValue)\\b", options: .regularExpression) != nil
            })
            XCTAssertFalse(statuses.isEmpty, "a row whose status column names no status: \(line)")
            for code in Self.backticked(cells[1]) {
                XCTAssertNil(table[code], "\(code) is listed twice")
                table[code] = statuses
            }
        }
        return table
    }

    private static func backticked(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    func testSpecTableAndSourceDeclareTheSameCodes() throws {
        let table = try specTable()
        XCTAssertGreaterThan(table.count, 100, "the table was not found or not parsed")
        let declared = FindingCodes.all
        XCTAssertEqual(declared.subtracting(table.keys).sorted(), [], "declared in the source, missing from the spec table")
        XCTAssertEqual(Set(table.keys).subtracting(declared).sorted(), [], "in the spec table, declared by no code enum")
    }

    func testEveryCodeIsInItsOwnGroupAndNamedOnce() {
        var seen = Set<String>()
        for group in FindingCodes.groups {
            let codes = group.rawValues
            let prefixes = Set(codes.map { String($0.prefix { $0 != "." }) })
            XCTAssertEqual(prefixes.count, 1, "\(group) mixes groups: \(prefixes.sorted())")
            for code in codes { XCTAssertTrue(seen.insert(code).inserted, "\(code) is declared twice") }
        }
    }

    /// Every literal status a rule gives a typed code is one the table allows for it.
    func testStatusesInTheSourceAgreeWithTheTable() throws {
        let table = try specTable()
        var byCase = [String: String]()
        for group in FindingCodes.groups {
            for (name, code) in group.caseNames { byCase["\(group).\(name)"] = code }
        }
        let timestampCases = Dictionary(uniqueKeysWithValues: TimestampCode.caseNames.map { ($0.name, $0.code) })
        let sources = TestEnvironment.packageRoot.appendingPathComponent("Sources/AmanaKit")
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var checked = 0
        let qualified = try NSRegularExpression(pattern: #"\.(passed|failed|warning|indeterminate)\((\w+Code)\.(\w+)"#)
        let constructed = try NSRegularExpression(pattern: #"Finding\((\w+Code)\.(\w+), \.(passed|failed|warning|indeterminate)\b"#)
        let timestamp = try NSRegularExpression(pattern: #"\.(passed|failed|warning|indeterminate)\(\.(\w+)"#)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            func group(_ match: NSTextCheckingResult, _ index: Int) -> String {
                String(text[Range(match.range(at: index), in: text)!])
            }
            var uses = [(code: String, status: String)]()
            for match in qualified.matches(in: text, range: range) {
                if let code = byCase["\(group(match, 2)).\(group(match, 3))"] { uses.append((code, group(match, 1))) }
            }
            for match in constructed.matches(in: text, range: range) {
                if let code = byCase["\(group(match, 1)).\(group(match, 2))"] { uses.append((code, group(match, 3))) }
            }
            if url.path.contains("/Timestamp/") {
                for match in timestamp.matches(in: text, range: range) {
                    if let code = timestampCases[group(match, 2)] { uses.append((code, group(match, 1))) }
                }
            }
            for use in uses {
                checked += 1
                guard let allowed = table[use.code], let status = Finding.Status(rawValue: use.status) else {
                    XCTFail("\(url.lastPathComponent): \(use.code) is not in the spec table")
                    continue
                }
                XCTAssertTrue(allowed.contains(status),
                              "\(url.lastPathComponent) gives \(use.code) the status \(status); the spec table allows \(allowed.map(\.rawValue).sorted())")
            }
        }
        XCTAssertGreaterThan(checked, 150, "the source scan found too few findings to be reading the rules")
    }
}
