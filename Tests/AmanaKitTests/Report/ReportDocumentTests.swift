import Foundation
import XCTest
@testable import AmanaKit

/// The court report's words, dates, escaping and HTML, from a verification report built in memory.
final class ReportDocumentTests: XCTestCase {
    // MARK: translations

    /// Every language has exactly English's keys, each with the same `{placeholders}`, and none is left in English
    /// by mistake where English has a sentence (proper nouns like "Code" may coincide).
    func testEveryLanguageHasEveryKeyWithItsPlaceholders() {
        let english = ReportTranslations.en
        func placeholders(_ text: String) -> Set<String> {
            var found = Set<String>()
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                found.insert(String(rest[open...close]))
                rest = rest[rest.index(after: close)...]
            }
            return found
        }
        for language in ReportLanguage.allCases {
            let table = language.strings
            XCTAssertEqual(Set(table.keys), Set(english.keys), "\(language): keys differ from English")
            for (key, text) in english {
                XCTAssertEqual(placeholders(table[key] ?? ""), placeholders(text), "\(language) \(key)")
            }
            XCTAssertEqual(language.text("monthNames").split(separator: "|").count, 12, "\(language)")
            if language != .en {
                for key in ["meaning.TOTAL-PASSED", "proves.1", "notProves.1", "notProves.2", "section.proves"] {
                    XCTAssertNotEqual(table[key], english[key], "\(language) \(key) is still English")
                }
            }
        }
    }

    func testLongDatesInEachLanguage() {
        let iso = "2026-11-29T03:05:41Z"
        XCTAssertEqual(ReportLanguage.en.longDate(iso), "29 November 2026, 03:05:41 UTC")
        XCTAssertEqual(ReportLanguage.de.longDate(iso), "29. November 2026, 03:05:41 UTC")
        XCTAssertEqual(ReportLanguage.fr.longDate(iso), "29 novembre 2026, 03:05:41 UTC")
        XCTAssertEqual(ReportLanguage.ar.longDate(iso), "29 تشرين الثاني 2026، الساعة 03:05:41 بالتوقيت العالمي")
        XCTAssertEqual(ReportLanguage.de.longDate("2026-03-01T00:00:00.250Z"), "1. März 2026, 00:00:00 UTC")
        XCTAssertNil(ReportLanguage.en.longDate("2026-13-01T00:00:00Z"))
        XCTAssertNil(ReportLanguage.en.longDate("yesterday"))
        XCTAssertNil(ReportLanguage.en.longDate("2026-11-29T03:05:41+02:00"))
    }

    // MARK: escaping

    /// swift-mustache's own escaper misses a quote or `<` that starts a grapheme with a combining mark; this one works
    /// on scalars, and shows bidi and control characters as visible text.
    func testEscaperWorksOnScalarsAndShowsControls() {
        XCTAssertEqual(ReportHTMLEscaper.escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;")
        XCTAssertEqual(ReportHTMLEscaper.escape("\"\u{301} onmouseover=x '"), "&quot;\u{301} onmouseover=x &#39;")
        XCTAssertEqual(ReportHTMLEscaper.escape("<\u{338}"), "&lt;\u{338}")
        XCTAssertEqual(ReportHTMLEscaper.escape("a\u{202E}gpj.exe"), "a\\u{202e}gpj.exe")
        XCTAssertEqual(ReportHTMLEscaper.escape("x\u{1B}[2Jy\r"), "x\\u{1b}[2Jy\\u{d}")
        XCTAssertEqual(ReportHTMLEscaper.escape("شهادة & 1"), "شهادة &amp; 1")
    }

    func testCSSStringCannotEscapeItsRule() {
        let css = ReportStyle.cssString("x\"; } body { display: none } </style><script>")
        XCTAssertFalse(css.dropFirst().dropLast().contains("\""))
        XCTAssertFalse(css.contains("<"))
        XCTAssertFalse(css.contains("}"))
        XCTAssertTrue(css.hasPrefix("\"x\\22 "))
    }

    func testShellQuoting() {
        XCTAssertEqual(ReportDocumentBuilder.shellQuoted("case-0001.tar"), "case-0001.tar")
        XCTAssertEqual(ReportDocumentBuilder.shellQuoted("my case.tar"), "'my case.tar'")
        XCTAssertEqual(ReportDocumentBuilder.shellQuoted("it's; rm -rf ~"), "'it'\\''s; rm -rf ~'")
    }

    func testDigestsAreGroupedByEight() {
        let hex = String(repeating: "0123456789abcdef", count: 4)
        let digest = ReportDocumentBuilder.digest("sha256", hex)
        XCTAssertEqual(digest.groups.count, 8)
        XCTAssertEqual(digest.groups.joined(), hex)
        XCTAssertTrue(digest.groups.allSatisfy { $0.count == 8 })
    }

    // MARK: HTML

    /// A report in memory with a hostile item, a failed finding about it, and a seal by an untrusted key.
    private func hostileReport() -> VerificationReport {
        let path = "data/<script>alert(1)</script>\u{202E}gpj.exe"
        var failed = Finding.failed("payload.digest.mismatch", subject: path, expected: "aa", found: "bb",
                                    "the sha256 digest differs")
        failed.event = nil
        var report = VerificationReport(
            subject: .init(path: "/tmp/b.tar", kind: "tar", bundleId: "b-<id>"),
            findings: [Finding.passed("bagit.declaration.valid", "bagit.txt is valid"), failed],
            trusted: [], validationTime: Date(timeIntervalSince1970: 1_800_000_000))
        report.items = [ReportItem(path: path, status: .failed, size: 3,
                                   digests: ["sha256": String(repeating: "ab", count: 32), "sha512": String(repeating: "cd", count: 64)],
                                   mediaType: "image/jpeg\"\u{301} x=", modified: nil, originalName: nil, acquisition: nil)]
        report.seals = [VerificationReport.SealResult(number: 1, signerKeyId: "429027C0E74E30F8",
                                                      claimedTime: "2026-11-29T03:05:41Z", status: .indeterminate)]
        report.custody = []
        return report
    }

    func testEveryLanguageRendersAllNineSectionsInOrder() throws {
        for language in ReportLanguage.allCases {
            let html = ReportRenderer.html(hostileReport(), language: language).html
            XCTAssertTrue(html.contains("<html lang=\"\(language.rawValue)\" dir=\"\(language.direction)\">"), "\(language)")
            var position = html.startIndex
            for id in ["verdict", "checked", "bundle", "seals", "items", "custody", "findings", "proves", "independent"] {
                let range = try XCTUnwrap(html.range(of: "<section id=\"\(id)\""), "\(language) \(id)")
                XCTAssertGreaterThan(range.lowerBound, position, "\(language): \(id) out of order")
                position = range.lowerBound
            }
            XCTAssertTrue(html.contains(language.text("proves.1").replacingOccurrences(of: "'", with: "&#39;")), "\(language)")
            XCTAssertTrue(html.contains(language.text("verdict.TOTAL-FAILED")), "\(language)")
        }
        XCTAssertTrue(ReportRenderer.html(hostileReport(), language: .ar).html.contains("dir=\"rtl\""))
    }

    func testBundleTextIsEscapedAndNothingIsFetched() {
        let html = ReportRenderer.html(hostileReport(), language: .en).html
        XCTAssertFalse(html.contains("<script"), "a file name became markup")
        XCTAssertTrue(html.contains("data/&lt;script&gt;alert(1)&lt;/script&gt;\\u{202e}gpj.exe"))
        XCTAssertFalse(html.contains("\u{202E}"), "a bidi override reached the page")
        XCTAssertFalse(html.contains("image/jpeg\"\u{301}"), "a quote with a combining mark was not escaped")
        XCTAssertTrue(html.contains("b-&lt;id&gt;"))
        for pattern in ["http://", "https://", " src=", " href=", "@import"] {
            XCTAssertFalse(html.contains(pattern), "the report would fetch: \(pattern)")
        }
    }

    /// The failure is at the top, naming the item, before any section.
    func testFailureIsNamedAtTheTop() throws {
        let html = ReportRenderer.html(hostileReport(), language: .en).html
        let problem = try XCTUnwrap(html.range(of: "<li class=\"problem status-failed\" data-code=\"payload.digest.mismatch\""))
        let checked = try XCTUnwrap(html.range(of: "<section id=\"checked\""))
        XCTAssertLessThan(problem.lowerBound, checked.lowerBound)
        XCTAssertTrue(html[problem.lowerBound...].hasPrefix(
            "<li class=\"problem status-failed\" data-code=\"payload.digest.mismatch\" data-subject=\"data/&lt;script&gt;"))
    }
}
