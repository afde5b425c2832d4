@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Every finding code has a decided ETSI sub-indication, or is said to have none, in the source and in spec/report.md
/// alike; and each seal's indication answers for the right findings.
final class ETSIMappingTests: XCTestCase {
    func testEveryCodeHasAnEntryAndNoOtherDoes() {
        XCTAssertEqual(Set(ETSIFindingMapping.table.keys), FindingCodes.all)
    }

    func testSubIndicationsSitUnderTheirOwnMainIndication() {
        for (code, entry) in ETSIFindingMapping.table {
            guard case .mapped(let failed, let indeterminate) = entry else { continue }
            XCTAssertTrue(failed != nil || indeterminate != nil, code)
            if let failed { XCTAssertEqual(failed.status, .failed, code) }
            if let indeterminate { XCTAssertEqual(indeterminate.status, .indeterminate, code) }
        }
    }

    /// The spec's table, row by row: `n/a` is a code that gives no indication, `none` one no sub-indication fits, and
    /// otherwise the names after `TOTAL-FAILED:` and `INDETERMINATE:` are the source's.
    func testSpecTableIsTheSourceTable() throws {
        let spec = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("spec/report.md"), encoding: .utf8)
        let section = try XCTUnwrap(spec.components(separatedBy: "## 12. ETSI TS 119 102-2 validation report").dropFirst().first)
        var rows = [String: String]()
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, cells[0].hasPrefix("`"), cells[0].hasSuffix("`") else { continue }
            let code = String(cells[0].dropFirst().dropLast())
            guard code.contains("."), !code.contains("…") else { continue }
            XCTAssertNil(rows[code], "\(code) is listed twice")
            XCTAssertFalse(cells[2].isEmpty, "\(code) needs a reason")
            rows[code] = cells[1]
        }
        XCTAssertEqual(Set(rows.keys), FindingCodes.all)
        func names(_ cell: String, after label: String) -> [String] {
            guard let part = cell.components(separatedBy: ";").first(where: { $0.contains(label + ":") }) else { return [] }
            return part.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        }
        for (code, cell) in rows {
            switch ETSIFindingMapping.table[code] {
            case .noIndication?: XCTAssertEqual(cell, "n/a", code)
            case .unmapped?: XCTAssertEqual(cell, "none", code)
            case .mapped(let failed, let indeterminate)?:
                let failedNames = names(cell, after: "TOTAL-FAILED")
                if code == SealCode.keyValidity.rawValue {
                    XCTAssertEqual(failedNames, ["REVOKED", "EXPIRED", "NOT_YET_VALID"])
                } else {
                    XCTAssertEqual(failedNames, failed.map { [$0.rawValue] } ?? [], code)
                }
                XCTAssertEqual(names(cell, after: "INDETERMINATE"), indeterminate.map { [$0.rawValue] } ?? [], code)
            case nil: XCTFail("\(code) is not in the source's table")
            }
        }
    }

    func testKeyValidityFailureNamesTheBoundTheClaimBreaks() {
        func sub(notBefore: String? = nil, notAfter: String? = nil, revokedAt: String? = nil,
                 status: Finding.Status = .failed) -> ETSISubIndication? {
            let key = VerificationReport.TrustedKeyInfo(keyId: "E631EC1F11C651C1", notBefore: notBefore,
                                                        notAfter: notAfter, revokedAt: revokedAt, source: "k")
            let seal = VerificationReport.SealResult(number: 1, signerKeyId: "E631EC1F11C651C1",
                                                     claimedTime: "2026-06-01T00:00:00Z", status: status, signedBy: key)
            return ETSIFindingMapping.subIndication(for: Finding("seal.key.validity", status, message: "m"), seal: seal)
        }
        XCTAssertEqual(sub(notBefore: "2026-07-01T00:00:00Z"), .notYetValid)
        XCTAssertEqual(sub(notAfter: "2026-05-01T00:00:00Z"), .expired)
        XCTAssertEqual(sub(revokedAt: "2026-06-01T00:00:00Z"), .revoked)
        XCTAssertEqual(sub(notAfter: "2026-05-01T00:00:00Z", revokedAt: "2026-01-01T00:00:00Z"), .expired,
                       "keys.md section 10a's order")
        XCTAssertEqual(sub(revokedAt: "2026-07-01T00:00:00Z", status: .indeterminate), .revokedNoPOE)
        XCTAssertNil(ETSIFindingMapping.subIndication(for: Finding("seal.key.validity", .failed, message: "m")),
                     "without the key's fields, no guess")
        XCTAssertNil(ETSIFindingMapping.subIndication(for: Finding("payload.digest.mismatch", .warning, message: "m")))
        XCTAssertEqual(ETSIFindingMapping.subIndication(for: Finding("payload.digest.mismatch", .failed, message: "m")),
                       .hashFailure)
    }

    /// A finding about seal 2 fails seal 2 only; a finding about the bundle fails every seal; a finding about a seal that
    /// has no entry (its statement did not parse) counts against every seal, so nothing is dropped.
    func testEachSealAnswersForItsOwnAndTheBundlesFindings() {
        func seal(_ number: Int) -> VerificationReport.SealResult {
            VerificationReport.SealResult(number: number, signerKeyId: "E631EC1F11C651C1",
                                          claimedTime: "2026-06-01T00:00:00Z", status: .passed)
        }
        func report(_ findings: [Finding]) -> VerificationReport {
            var report = VerificationReport(subject: .init(path: "b", kind: "folder"), findings: findings, trusted: [],
                                            validationTime: Date(timeIntervalSince1970: 0))
            report.seals = [seal(1), seal(2)]
            return report
        }
        func linked(_ code: String, _ status: Finding.Status, seal: Int?) -> Finding {
            var finding = Finding(code, status, message: "m")
            finding.seal = seal
            return finding
        }
        let aboutSeal2 = report([linked("seal.signature", .passed, seal: 1),
                                 linked("seal.signature.invalid", .failed, seal: 2)])
        XCTAssertEqual(ETSIValidationReport.indication(of: seal(1), in: aboutSeal2), .totalPassed)
        XCTAssertEqual(ETSIValidationReport.indication(of: seal(2), in: aboutSeal2), .totalFailed)
        let aboutBundle = report([linked("payload.digest.mismatch", .failed, seal: nil)])
        XCTAssertEqual(ETSIValidationReport.indication(of: seal(1), in: aboutBundle), .totalFailed)
        XCTAssertEqual(ETSIValidationReport.indication(of: seal(2), in: aboutBundle), .totalFailed)
        let aboutUnlisted = report([linked("seal.statement.malformed", .failed, seal: 3)])
        XCTAssertEqual(ETSIValidationReport.indication(of: seal(1), in: aboutUnlisted), .totalFailed)
        let untrusted = report([linked("custody.actor.untrusted", .indeterminate, seal: nil),
                                linked("seal.key.untrusted", .indeterminate, seal: 2)])
        XCTAssertEqual(ETSIValidationReport.indication(of: seal(1), in: untrusted), .indeterminate)
        XCTAssertEqual(ETSIValidationReport.subIndications(ETSIValidationReport.findings(of: seal(1), in: untrusted),
                                                           level: .indeterminate, seal: nil), [],
                       "custody.actor.untrusted names no sub-indication, and seal 2's is not seal 1's")
        XCTAssertEqual(ETSIValidationReport.subIndications(ETSIValidationReport.findings(of: seal(2), in: untrusted),
                                                           level: .indeterminate, seal: nil), [.noCertificateChainFound])
    }
}
