@testable import AmanaKit
import XCTest

/// The report's links: which seal covers a custody event, and which seal or event a finding is about.
final class ReportBuilderTests: XCTestCase {
    private func statement(_ number: Int, covering length: Int) -> SealStatement {
        SealStatement(bundleID: "b", number: number, claimedTime: "2026-01-01T00:00:00Z", signerKeyID: "0000000000000000",
                      signerPublicKey: "", manifests: [], tagManifests: [], custodyLength: length,
                      custodyRoot: String(repeating: "0", count: 64), previousSeal: nil)
    }

    /// The lowest-numbered seal whose own checkpoint includes the event, skipping seals whose checkpoint is broken,
    /// also when a later seal covers fewer events than an earlier one.
    func testTheFirstCoveringSealIsFound() {
        let statements = [1: statement(1, covering: 4), 2: statement(2, covering: 6), 3: statement(3, covering: 3),
                          4: statement(4, covering: 8)]
        let coverage = ReportBuilder.SealCoverage(statements: statements, broken: [2])
        XCTAssertEqual((1...9).map { coverage.firstSeal(covering: $0) }, [1, 1, 1, 1, 4, 4, 4, 4, nil])
        let whole = ReportBuilder.SealCoverage(statements: statements, broken: [])
        XCTAssertEqual((1...9).map { whole.firstSeal(covering: $0) }, [1, 1, 1, 1, 2, 2, 4, 4, nil])
        XCTAssertNil(ReportBuilder.SealCoverage(statements: [:], broken: []).firstSeal(covering: 1))
    }

    func testFindingsAreLinkedByTheirSubjectOnly() {
        func linked(_ subject: String?) -> (Int?, Int?) {
            let finding = ReportBuilder.link(Finding("x.y", .failed, subject: subject, message: "seals/0009.seal event 3"))
            return (finding.seal, finding.event)
        }
        XCTAssertTrue(linked("seals/0002.seal") == (2, nil))
        XCTAssertTrue(linked("seals/0002.seal.minisig") == (2, nil))
        XCTAssertTrue(linked("seals/0002.seal.minisig.2.tsr") == (2, nil))
        XCTAssertTrue(linked("amana/custody.jsonl event 17") == (nil, 17))
        XCTAssertTrue(linked("amana/custody.jsonl event 0") == (nil, nil))
        XCTAssertTrue(linked("amana/custody.jsonl event x") == (nil, nil))
        XCTAssertTrue(linked("amana/custody.jsonl") == (nil, nil))
        XCTAssertTrue(linked("data/seals/0001.seal") == (nil, nil))
        XCTAssertTrue(linked(nil) == (nil, nil), "never from the message")
    }
}
