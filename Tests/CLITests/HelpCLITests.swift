import AmanaTestSupport
import Foundation
import XCTest

/// `amana --help` and the README's exit-status table name the same statuses, every one the CLI can return, in order.
final class HelpCLITests: XCTestCase {
    /// Every status `Output.exitStatus` and the verdicts can produce.
    static let statuses = [0, 1, 2, 64, 65, 66, 69, 70, 73, 74, 76, 77]

    func testHelpListsEveryExitStatusInOrder() throws {
        let result = try amana(["--help"])
        XCTAssertEqual(result.status, 0, "\(result)")
        let text = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard let start = text.range(of: "Exit status:") else { return XCTFail("no exit status in --help:\n\(result.stdout)") }
        let sentence = text[start.upperBound...].prefix { $0 != "." }
        let listed = sentence.split(separator: ",").compactMap { part in
            part.split(separator: " ").first.flatMap { Int($0) }
        }
        XCTAssertEqual(listed, HelpCLITests.statuses, text)
    }

    func testReadmeExitStatusTableIsCompleteAndInOrder() throws {
        let readme = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try XCTUnwrap(readme.components(separatedBy: "## Exit status").dropFirst().first)
            .components(separatedBy: "\n## ")[0]
        let rows = section.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("| ") else { return nil }
            return Int(line.dropFirst(2).prefix { $0.isNumber })
        }
        XCTAssertEqual(rows, HelpCLITests.statuses)
    }
}
