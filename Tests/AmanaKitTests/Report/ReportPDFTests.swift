import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// The PDF step never leaves a half-written PDF: a Chromium that hangs is killed with its helpers, one that fails or
/// writes a truncated file is an error, and the requested file appears only when the PDF is whole. Stand-in
/// "chromium" scripts play the failing browser; the real one is exercised by ReportCLITests.
final class ReportPDFTests: XCTestCase {
    private let folder = TemporaryFolder("amana-report-pdf")

    /// A stand-in for Chromium: a shell script whose `$out` is the `--print-to-pdf=` path.
    private func fakeChromium(_ body: String) throws -> String {
        let path = try folder.write("chromium-\(UUID().uuidString)", """
            #!/bin/sh
            for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; esac; done
            \(body)

            """)
        XCTAssertEqual(chmod(path, 0o755), 0)
        return path
    }

    func testAHangingChromiumIsKilledWithItsHelpers() throws {
        let pidFile = folder.file("helper.pid")
        let chromium = try fakeChromium("sleep 60 & echo $! > \(pidFile); wait")
        let started = Date()
        XCTAssertThrowsError(try ReportPDF.print(html: "<p>x</p>", chromium: chromium, timeout: 1)) { error in
            XCTAssertEqual((error as? AmanaError)?.code, .outputFailed)
            XCTAssertTrue((error as? AmanaError)?.reason.contains("did not finish") == true, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        let helper = try XCTUnwrap(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        var gone = false
        for _ in 0..<50 where !gone {
            gone = kill(helper, 0) != 0 && errno == ESRCH
            if !gone {
                // A killed child not yet reaped by its (dead) parent is a zombie: it is gone in every sense that matters.
                let state = (try? String(contentsOfFile: "/proc/\(helper)/stat", encoding: .utf8))?.split(separator: " ")[2]
                gone = state == "Z"
                if !gone { usleep(100_000) }
            }
        }
        XCTAssertTrue(gone, "chromium's helper process \(helper) outlived the timeout")
    }

    func testAFailingOrTruncatingChromiumWritesNothing() throws {
        let failing = try fakeChromium("printf '%%PDF-1.4 whole\\n%%%%EOF\\n' > \"$out\"; exit 3")
        XCTAssertThrowsError(try ReportPDF.print(html: "<p>x</p>", chromium: failing, timeout: 30)) { error in
            XCTAssertTrue((error as? AmanaError)?.reason.contains("exit status 3") == true, "\(error)")
        }
        let truncated = try fakeChromium("printf '%%PDF-1.4 half a file' > \"$out\"")
        XCTAssertThrowsError(try ReportPDF.print(html: "<p>x</p>", chromium: truncated, timeout: 30)) { error in
            XCTAssertTrue((error as? AmanaError)?.reason.contains("no complete pdf") == true, "\(error)")
        }
        let whole = try fakeChromium("printf '%%PDF-1.4 whole\\n%%%%EOF\\n' > \"$out\"")
        XCTAssertEqual(String(decoding: try ReportPDF.print(html: "<p>x</p>", chromium: whole, timeout: 30), as: UTF8.self),
                       "%PDF-1.4 whole\n%%EOF\n")
    }

    /// Chromium gets no network: a closed proxy port and no name resolution; the sandbox is dropped only as root.
    func testChromiumArgumentsKeepItOffline() {
        let asUser = ReportPDF.arguments(html: "/t/r.html", pdf: "/t/r.pdf", profile: "/t/p", asRoot: false)
        XCTAssertTrue(asUser.contains("--proxy-server=127.0.0.1:9"))
        XCTAssertTrue(asUser.contains("--host-resolver-rules=MAP * ~NOTFOUND"))
        XCTAssertTrue(asUser.contains("--user-data-dir=/t/p"))
        XCTAssertFalse(asUser.contains("--no-sandbox"))
        XCTAssertEqual(asUser.last, "file:///t/r.html")
        XCTAssertTrue(ReportPDF.arguments(html: "/t/r.html", pdf: "/t/r.pdf", profile: "/t/p", asRoot: true).contains("--no-sandbox"))
    }

    func testMissingChromiumSaysHowToInstallIt() {
        XCTAssertThrowsError(try ReportPDF.chromium(path: folder.file("nothing-here"))) { error in
            XCTAssertEqual((error as? AmanaError)?.code, ReportPDF.chromiumMissing)
            XCTAssertEqual((error as? AmanaError)?.hint, "install it with 'apt-get install chromium', or leave out --pdf (the html report is complete)")
        }
    }
}
