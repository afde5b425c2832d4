import AmanaTestSupport
import Foundation
import XCTest

/// `amana report`: the court report agrees with `verify --json` finding by finding and field by field, exits with the
/// verification's status, names a failure at the top, renders in four languages, fetches nothing, and prints to a
/// PDF whose text and pages are checked with poppler's pdftotext and pdftoppm.
final class ReportCLITests: XCTestCase {
    private var fixture: CLIFixture!
    private var folder: TemporaryFolder { fixture.folder }

    override func setUpWithError() throws {
        fixture = try CLIFixture()
    }

    typealias JSON = [String: Any]

    // MARK: reading the HTML back

    /// Undoes the five entities, on UTF-16 units: a `&quot;` followed by a combining mark is one `Character` to Swift.
    static func unescape(_ text: String) -> String {
        var out = text as NSString
        for (entity, plain) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: entity, with: plain, options: .literal, range: NSRange(location: 0, length: out.length)) as NSString
        }
        return out as String
    }

    /// A value from the JSON as the report shows it: control and bidi characters as visible `\u{…}` (spec/report.md
    /// section 6).
    static func shown(_ text: String?) -> String? {
        guard let text else { return nil }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00...0x08, 0x0B...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func matches(_ pattern: String, in text: String) -> [[String?]] {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            (1..<match.numberOfRanges).map { index in
                let range = match.range(at: index)
                return range.location == NSNotFound ? nil : unescape(ns.substring(with: range))
            }
        }
    }

    static func first(_ pattern: String, in text: String) -> String? {
        matches(pattern, in: text).first?.first ?? nil
    }

    /// Each finding row of section 7: code, status, subject, message, expected, found.
    static func findingRows(_ html: String) -> [[String: String]] {
        matches(#"<tr class="finding [^"]*" data-code="([^"]*)" data-status="([^"]*)">(.*?)</tr>"#, in: html).map { row in
            let cells = row[2]!
            var fields = ["code": row[0]!, "status": row[1]!]
            fields["subject"] = first(#"class="mono subject">(.*?)</bdi>"#, in: cells)
            fields["message"] = first(#"class="message">(.*?)(?:<br>|</td>)"#, in: cells)
            fields["expected"] = first(#"Expected: <span class="mono">(.*?)</span>"#, in: cells)
            fields["found"] = first(#"Found: <span class="mono">(.*?)</span>"#, in: cells)
            return fields
        }
    }

    /// The findings of a JSON report in the order `amana verify` prints them: by group in order of first appearance,
    /// passed first within a group.
    static func groupedFindings(_ report: JSON) -> [[String: String]] {
        let findings = report["findings"] as! [JSON]
        var groups = [String]()
        for finding in findings {
            let group = String((finding["code"] as! String).prefix { $0 != "." })
            if !groups.contains(group) { groups.append(group) }
        }
        return groups.flatMap { group -> [[String: String]] in
            let members = findings.filter { ($0["code"] as! String).prefix { $0 != "." } == group }
            let ordered = members.filter { $0["status"] as! String == "passed" } + members.filter { $0["status"] as! String != "passed" }
            return ordered.map { finding in
                var fields = [String: String]()
                for key in ["code", "status", "subject", "message", "expected", "found"] { fields[key] = shown(finding[key] as? String) }
                return fields
            }
        }
    }

    /// Each item card: path, status, and the digests and size rows.
    static func itemCards(_ html: String) -> [[String: String]] {
        let section = String(html[html.range(of: "<section id=\"items\"")!.lowerBound..<html.range(of: "<section id=\"custody\"")!.lowerBound])
        return section.components(separatedBy: "<div class=\"card item\"").dropFirst().map { card in
            var fields = [String: String]()
            fields["path"] = first(#"data-path="([^"]*)""#, in: card)
            fields["status"] = first(#"<h3>.*?<span class="badge status-([a-z]+)">"#, in: card)
            for algorithm in ["sha256", "sha512"] {
                fields[algorithm] = first(#"data-algorithm="\#(algorithm)">(.*?)</bdi>"#, in: card)?
                    .replacingOccurrences(of: "<span>", with: "").replacingOccurrences(of: "</span>", with: "")
            }
            fields["size"] = first(#"<tr><th>Size<span class="src">[^<]*</span></th><td><bdi>(\d+)</bdi>"#, in: card)
            fields["mediaType"] = first(#"<tr><th>Media type<span class="src">[^<]*</span></th><td><bdi>(.*?)</bdi>"#, in: card)
            return fields
        }
    }

    // MARK: helpers

    @discardableResult
    private func report(_ bundle: String, _ extra: [String], status: Int32, trust: Bool = true,
                        file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let output = folder.file("report-\(UUID().uuidString).html")
        let result = try amana(["report", bundle, "--output", output] + (trust ? ["--trust", fixture.pub] : []) + extra)
        XCTAssertEqual(result.status, status, "\(result)", file: file, line: line)
        XCTAssertTrue(result.stdout.contains("wrote \(output)"), "\(result)", file: file, line: line)
        return try String(contentsOfFile: output, encoding: .utf8)
    }

    private func verifyJSON(_ bundle: String, trust: Bool = true) throws -> JSON {
        let result = try amana(["verify", bundle, "--json"] + (trust ? ["--trust", fixture.pub] : []))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? JSON)
    }

    /// Holds the report's HTML to the JSON report of the same bundle, finding by finding and field by field.
    private func assertAgrees(_ html: String, _ json: JSON, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Self.first(#"<section id="verdict" class="verdict verdict-[a-z]+">\s*<h2 class="verdict-word">[^<]*<bdi dir="ltr" class="verdict-code">([A-Z-]+)</bdi>"#, in: html),
                       json["verdict"] as? String, file: file, line: line)
        let rows = Self.findingRows(html), expected = Self.groupedFindings(json)
        XCTAssertEqual(rows.count, expected.count, "finding count", file: file, line: line)
        for (row, finding) in zip(rows, expected) {
            XCTAssertEqual(row, finding, file: file, line: line)
        }
        let items = (json["items"] as? [JSON]) ?? []
        let cards = Self.itemCards(html)
        XCTAssertEqual(cards.count, items.count, "item count", file: file, line: line)
        for (card, item) in zip(cards, items) {
            let digests = item["digests"] as? [String: String]
            XCTAssertEqual(card["path"], Self.shown(item["path"] as? String), file: file, line: line)
            XCTAssertEqual(card["status"], item["status"] as? String, file: file, line: line)
            XCTAssertEqual(card["sha256"], digests?["sha256"], file: file, line: line)
            XCTAssertEqual(card["sha512"], digests?["sha512"], file: file, line: line)
            XCTAssertEqual(card["size"], (item["size"] as? Int).map(String.init), file: file, line: line)
            XCTAssertEqual(card["mediaType"], Self.shown(item["mediaType"] as? String), file: file, line: line)
        }
        let seals = (json["seals"] as? [JSON]) ?? []
        XCTAssertEqual(Self.matches(#"data-seal="(\d+)""#, in: html).map { $0[0]! }, seals.map { String($0["number"] as! Int) },
                       file: file, line: line)
        for seal in seals {
            XCTAssertTrue(html.contains(seal["signerKeyId"] as! String), file: file, line: line)
        }
        let custody = (json["custody"] as? [JSON]) ?? []
        XCTAssertEqual(Self.matches(#"<li class="event status-([a-z]+)" id="event-\d+" data-event="(\d+)">"#, in: html).map { "\($0[1]!) \($0[0]!)" },
                       custody.map { "\($0["seq"] as! Int) \($0["status"] as! String)" }, file: file, line: line)
    }

    // MARK: tests

    func testPassedReportAgreesWithVerifyJSON() throws {
        let bundle = try fixture.sealSample()
        let html = try report(bundle, [], status: 0)
        assertAgrees(html, try verifyJSON(bundle))
        XCTAssertTrue(html.contains("<html lang=\"en\" dir=\"ltr\">"))
        XCTAssertTrue(html.contains("Test Documenter"), "the trusted signer is named")
        XCTAssertTrue(html.contains("TEST-1"), "the case id is shown")
        // Only the warning that the seal's time is the signer's claim (no token) is listed at the top.
        XCTAssertEqual(Self.matches(#"<li class="problem status-([a-z]+)" data-code="([^"]*)""#, in: html).map { "\($0[0]!) \($0[1]!)" },
                       ["warning seal.time.claimed-only"])
        // Section 9 names this bundle's own values.
        XCTAssertTrue(html.contains("tar -xf \(bundle)"))
        XCTAssertTrue(html.contains("minisign -V -p \(fixture.pub) -m seals/0001.seal"))
        let json = try verifyJSON(bundle)
        let tagFiles = try XCTUnwrap((json["bundle"] as? JSON)?["tagFiles"] as? [JSON])
        let manifest = try XCTUnwrap(tagFiles.first { $0["path"] as? String == "manifest-sha256.txt" })
        let digest = try XCTUnwrap((manifest["digests"] as? [String: String])?["sha256"])
        XCTAssertTrue(html.contains("# \(digest)  manifest-sha256.txt"))
        // Metadata records (amana/metadata.jsonl) reach the items as data, with their sources.
        let items = try XCTUnwrap(json["items"] as? [JSON])
        let png = try XCTUnwrap(items.first { ($0["path"] as? String)?.hasSuffix("checkpoint-photo.png") == true })
        XCTAssertEqual((png["metadata"] as? JSON)?["format"] as? String, "png")
        for font in ["Amana Sans", "Amana Mono"] {
            XCTAssertTrue(html.contains("font-family: \"\(font)\"; font-weight: normal; font-style: normal; src: url(data:font/ttf;base64,"), font)
        }
        for pattern in ["http://", "https://", " src=", " href=", "@import"] {
            XCTAssertFalse(html.contains(pattern), "the report would fetch: \(pattern)")
        }
    }

    func testUntrustedSignerIsIndeterminateAndNamesNoOne() throws {
        let bundle = try fixture.sealSample()
        let html = try report(bundle, [], status: 2, trust: false)
        assertAgrees(html, try verifyJSON(bundle, trust: false))
        // A name is believed only from a trusted key: the seal names no signer, and the custody log's own claim of a
        // name is shown only as a claim.
        let seals = String(html[html.range(of: "<section id=\"seals\"")!.lowerBound..<html.range(of: "<section id=\"items\"")!.lowerBound])
        XCTAssertFalse(seals.contains("Test Documenter"), seals)
        XCTAssertFalse(html.contains("<bdi>Test Documenter</bdi> <bdi dir=\"ltr\" class=\"mono\">"), "an actor named from the bundle")
        XCTAssertTrue(html.contains("<span class=\"claim\">(<bdi>Test Documenter, Test Archive</bdi>, as the event states it)</span>"))
        XCTAssertTrue(html.contains("not among the trusted keys"))
    }

    func testTamperedBundleGetsAFullReportNamingTheItemAtTheTop() throws {
        let bundle = try fixture.sealSample()
        let extracted = folder.file("extracted")
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        XCTAssertEqual(try runTool("/usr/bin/tar", ["-xf", bundle, "-C", extracted]).status, 0)
        let root = extracted + "/" + (try FileManager.default.contentsOfDirectory(atPath: extracted).first!)
        let victim = root + "/data/scanned-document.pdf"
        var bytes = try readBytes(victim)
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: victim))
        let html = try report(root, ["--lang", "de"], status: 1)
        let json = try verifyJSON(root)
        XCTAssertEqual(json["verdict"] as? String, "TOTAL-FAILED")
        // The first problem listed, before section 2, names the exact item.
        let problems = Self.matches(#"<li class="problem status-failed" data-code="([^"]*)" data-subject="([^"]*)">"#, in: html)
        XCTAssertEqual(problems.first?[0], "payload.digest.mismatch", "\(problems)")
        XCTAssertEqual(problems.first?[1], "data/scanned-document.pdf")
        XCTAssertLessThan(html.range(of: "<li class=\"problem")!.lowerBound, html.range(of: "<section id=\"checked\"")!.lowerBound)
        XCTAssertTrue(html.contains("<section id=\"verdict\" class=\"verdict verdict-failed\">"))
        XCTAssertTrue(html.contains("Fehlgeschlagen"))
        // Every section is still there.
        for id in ["checked", "bundle", "seals", "items", "custody", "findings", "proves", "independent"] {
            XCTAssertTrue(html.contains("<section id=\"\(id)\""), id)
        }
        XCTAssertEqual(Self.findingRows(html).count, (json["findings"] as! [JSON]).count)
    }

    /// `--etsi` writes the ETSI TS 119 102-2 report from the same one verification: valid against the schema
    /// (xmllint, offline through the conformance folder's catalog) and with the main indication of the verdict the
    /// command exits with, for a passing and a tampered bundle.
    func testETSIReportBesideTheHTMLValidatesAndStatesTheSameVerdict() throws {
        let schemas = try TestEnvironment.requireConformance("etsi-119102-2")
        let xmllint = try TestEnvironment.requireTool("xmllint")
        let bundle = try fixture.sealSample()
        let extracted = folder.file("etsi-extracted")
        try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
        XCTAssertEqual(try runTool("/usr/bin/tar", ["-xf", bundle, "-C", extracted]).status, 0)
        let root = extracted + "/" + (try FileManager.default.contentsOfDirectory(atPath: extracted).first!)
        let victim = root + "/data/scanned-document.pdf"
        var bytes = try readBytes(victim)
        bytes[0] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: victim))
        for (input, status, indication) in [(bundle, Int32(0), "total-passed"), (root, Int32(1), "total-failed")] {
            let xml = folder.file("etsi-\(status).xml")
            let result = try amana(["report", input, "--output", folder.file("etsi-\(status).html"), "--etsi", xml,
                                    "--trust", fixture.pub])
            XCTAssertEqual(result.status, status, "\(result)")
            XCTAssertTrue(result.stdout.contains("wrote \(xml)"), "\(result)")
            let check = try runTool(xmllint, ["--nonet", "--noout", "--schema", "TS119102-2-v141.xsd", xml],
                                    environment: ["XML_CATALOG_FILES": schemas.appendingPathComponent("catalog.xml").path],
                                    in: schemas.path)
            XCTAssertEqual(check.status, 0, "\(check)")
            let text = try String(contentsOfFile: xml, encoding: .utf8)
            XCTAssertTrue(text.contains("urn:etsi:019102:mainindication:\(indication)"), text)
        }
        // An output named twice is a usage error, before any verification.
        let twice = try amana(["report", bundle, "--output", folder.file("same.xml"), "--etsi", folder.file("same.xml")])
        XCTAssertEqual(twice.status, 64, "\(twice)")
    }

    func testEveryLanguageRendersAndArabicIsRightToLeft() throws {
        let bundle = try fixture.sealSample()
        let words = ["en": "What this proves, and what it does not", "de": "Was dies beweist, und was nicht",
                     "fr": "Ce que cela prouve, et ce que cela ne prouve pas", "ar": "ما الذي يثبته هذا، وما الذي لا يثبته"]
        for (lang, heading) in words {
            let html = try report(bundle, ["--lang", lang], status: 0)
            XCTAssertTrue(html.contains("<html lang=\"\(lang)\" dir=\"\(lang == "ar" ? "rtl" : "ltr")\">"), lang)
            XCTAssertTrue(html.contains(heading), lang)
            if lang == "ar" {
                XCTAssertTrue(html.contains("font-family: \"Amana Arabic\""), "the Arabic font is embedded")
                // Digests stay left to right inside the right-to-left page.
                XCTAssertTrue(html.contains("<bdi dir=\"ltr\" class=\"digest\" data-algorithm=\"sha256\">"))
            }
        }
    }

    /// A timestamped bundle (the `timestamp/valid` vector): each token's time, authority, chain and qualification
    /// claims are shown as `verify --json` states them, and the report says no trusted list was consulted.
    func testTimestampTokensAreShownAsTheJSONStatesThem() throws {
        let vector = TestEnvironment.packageRoot.appendingPathComponent("fixtures/vectors/timestamp/valid").path
        let arguments = ["vector-bundle-1", "--trust", "trust/signer.pub", "--tsa-root", "trust/tsa-root.pem",
                         "--at", "2090-01-01T00:00:00Z"]
        let output = folder.file("timestamp.html")
        let result = try amana(["report"] + arguments + ["--output", output], in: vector)
        XCTAssertEqual(result.status, 0, "\(result)")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try amana(["verify", "--json"] + arguments, in: vector).stdout.utf8)) as? JSON)
        assertAgrees(html, json)
        let token = try XCTUnwrap(((json["seals"] as? [JSON])?.first?["tokens"] as? [JSON])?.first)
        let tokenHTML = try XCTUnwrap(html.components(separatedBy: "<table class=\"facts token\">").dropFirst().first)
        XCTAssertTrue(tokenHTML.contains("<bdi dir=\"ltr\" class=\"iso\">\(try XCTUnwrap(token["genTime"] as? String))</bdi>"))
        XCTAssertTrue(tokenHTML.contains("<bdi dir=\"ltr\">\(try XCTUnwrap(token["tsaName"] as? String))</bdi>"))
        XCTAssertTrue(tokenHTML.contains("\(token["trusted"] as? Bool == true ? "yes" : "no") (<bdi dir=\"ltr\">\(try XCTUnwrap((token["root"] as? JSON)?["subject"] as? String))</bdi>)"))
        XCTAssertTrue(tokenHTML.contains("<tr><th>EU-qualified time stamp claimed</th><td>\(token["qualified"] as? Bool == true ? "yes" : "no")</td></tr>"))
        XCTAssertTrue(html.contains("No EU trusted list was consulted."))
        XCTAssertTrue(html.contains("openssl ts -verify -data seals/0001.seal.minisig -in seals/0001.seal.minisig.tsr -CAfile roots.pem"))
    }

    func testHostileFileNamesAreEscaped() throws {
        let source = folder.file("hostile")
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        let names = ["<script>alert(1)</script>.jpg", "invoice\u{202E}gpj.exe", "quote\"\u{301} onerror=x.txt"]
        for name in names { _ = try folder.write("hostile/\(name)", "x") }
        let bundle = folder.file("hostile.tar")
        let sealed = try amana(["seal", source, "--key", fixture.key, "--output", bundle])
        XCTAssertEqual(sealed.status, 0, "\(sealed)")
        let html = try report(bundle, [], status: 0)
        XCTAssertFalse(html.contains("<script"), "a file name became markup")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.jpg"))
        XCTAssertFalse(html.contains("\u{202E}"), "a bidi override reached the page")
        XCTAssertTrue(html.contains("invoice\\u{202e}gpj.exe"))
        XCTAssertFalse(html.contains("quote\"\u{301}"))
        assertAgrees(html, try verifyJSON(bundle))
    }

    func testUsageAndOutputErrors() throws {
        let bundle = try fixture.sealSample()
        let existing = try folder.write("exists.html", "keep")
        let exists = try amana(["report", bundle, "--output", existing])
        XCTAssertEqual(exists.status, 73, "\(exists)")
        XCTAssertEqual(try String(contentsOfFile: existing, encoding: .utf8), "keep")
        let lang = try amana(["report", bundle, "--output", folder.file("x.html"), "--lang", "sv"])
        XCTAssertEqual(lang.status, 64, "\(lang)")
        XCTAssertTrue(lang.stderr.hasPrefix("amana: error: --lang must be en, ar, de or fr"), lang.stderr)
        let missing = try amana(["report", folder.file("nope.tar"), "--output", folder.file("y.html")])
        XCTAssertEqual(missing.status, 66, "\(missing)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.file("y.html")))
    }

    /// Without Chromium on PATH, --pdf is refused before anything is written, with the apt command to install it.
    func testMissingChromiumIsAClearError() throws {
        let bundle = try fixture.sealSample()
        let html = folder.file("r.html"), pdf = folder.file("r.pdf")
        let result = try amana(["report", bundle, "--output", html, "--pdf", pdf, "--trust", fixture.pub],
                               environment: ["PATH": folder.file("empty-path")])
        XCTAssertEqual(result.status, 69, "\(result)")
        XCTAssertEqual(result.stderr, """
            amana: error: chromium is not installed, so --pdf cannot print the report
            amana: hint: install it with 'apt-get install chromium', or leave out --pdf (the html report is complete)

            """)
        XCTAssertFalse(FileManager.default.fileExists(atPath: html))
        XCTAssertFalse(FileManager.default.fileExists(atPath: pdf))
    }

    // MARK: PDF

    /// A page image as 8-bit grey pixels (pdftoppm's PGM).
    struct GreyImage {
        let width: Int, height: Int, pixels: [UInt8]

        init(pgm bytes: [UInt8]) throws {
            // "P5\n<w> <h>\n255\n" then the pixels.
            var fields = [String](), index = 0
            while fields.count < 4 {
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
                let start = index
                while index < bytes.count, bytes[index] != 0x20 && bytes[index] != 0x0A { index += 1 }
                fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
            }
            index += 1
            guard fields[0] == "P5", let width = Int(fields[1]), let height = Int(fields[2]) else {
                throw XCTSkip("not a PGM")
            }
            self.width = width
            self.height = height
            pixels = Array(bytes[index..<(index + width * height)])
        }

        /// Dark pixels in rows `rows`, in the left and right halves.
        func ink(rows: Range<Int>) -> (left: Int, right: Int) {
            var left = 0, right = 0
            for y in rows where y < height {
                for x in 0..<width where pixels[y * width + x] < 128 {
                    if x < width / 2 { left += 1 } else { right += 1 }
                }
            }
            return (left, right)
        }
    }

    /// One PDF per language (Chromium is slow on a small machine): pdftotext finds the verdict, every item's SHA-256
    /// and the running footer on page 2; pdftoppm renders page 1, which is not blank, and whose heading sits on the left
    /// in English and on the right in Arabic.
    func testPDFInEveryLanguage() throws {
        let pdftotext = try TestEnvironment.requireTool("pdftotext")
        let pdftoppm = try TestEnvironment.requireTool("pdftoppm")
        guard TestEnvironment.tool("chromium") != nil else {
            throw XCTSkip("chromium is not installed; `make test` installs it (scripts/install-deps.sh)")
        }
        let bundle = try fixture.sealSample()
        let json = try verifyJSON(bundle)
        let bundleId = try XCTUnwrap((json["subject"] as? JSON)?["bundleId"] as? String)
        let sha256s = try XCTUnwrap(json["items"] as? [JSON]).compactMap { ($0["digests"] as? [String: String])?["sha256"] }
        XCTAssertFalse(sha256s.isEmpty)
        var headingInk = [String: (left: Int, right: Int)]()
        for lang in ["en", "ar", "de", "fr"] {
            let html = folder.file("r-\(lang).html"), pdf = folder.file("r-\(lang).pdf")
            let result = try amana(["report", bundle, "--output", html, "--pdf", pdf, "--lang", lang, "--trust", fixture.pub])
            XCTAssertEqual(result.status, 0, "\(result)")
            let pdfBytes = try readBytes(pdf)
            XCTAssertTrue(pdfBytes.starts(with: Array("%PDF-".utf8)), lang)
            XCTAssertFalse(folder.listing().contains { $0.hasPrefix(".amana-partial-") }, "a temporary file was left")

            let text = try runTool(pdftotext, [pdf, "-"])
            XCTAssertEqual(text.status, 0, "\(text)")
            let flat = text.stdout.filter { !$0.isWhitespace }
            XCTAssertTrue(flat.contains("TOTAL-PASSED"), lang)
            for digest in sha256s { XCTAssertTrue(flat.contains(digest), "\(lang): \(digest) not in the PDF's text") }
            let page2 = try runTool(pdftotext, ["-f", "2", "-l", "2", pdf, "-"])
            XCTAssertTrue(page2.stdout.filter { !$0.isWhitespace }.contains(bundleId.filter { !$0.isWhitespace }),
                          "\(lang): no bundle id in page 2's footer")
            if lang != "ar" { XCTAssertTrue(page2.stdout.contains("2 / "), "\(lang): no page number on page 2") }
            if lang == "en" {
                XCTAssertTrue(page2.stdout.contains("Page 2 / "), page2.stdout)
                XCTAssertTrue(flat.contains("Passed"))
            }

            let prefix = folder.file("page-\(lang)")
            let render = try runTool(pdftoppm, ["-r", "50", "-gray", "-f", "1", "-l", "1", "-singlefile", pdf, prefix])
            XCTAssertEqual(render.status, 0, "\(render)")
            let image = try GreyImage(pgm: try readBytes(prefix + ".pgm"))
            let all = image.ink(rows: 0..<image.height)
            XCTAssertGreaterThan(all.left + all.right, image.width * image.height / 200, "\(lang): page 1 is blank")
            // The heading (h1) sits in the first 15 mm below the 18 mm top margin.
            let mm = Double(image.height) / 297
            headingInk[lang] = image.ink(rows: Int(18 * mm)..<Int(33 * mm))
        }
        let en = try XCTUnwrap(headingInk["en"]), ar = try XCTUnwrap(headingInk["ar"])
        XCTAssertGreaterThan(en.left, en.right * 3, "English heading not on the left: \(en)")
        XCTAssertGreaterThan(ar.right, ar.left * 3, "Arabic heading not mirrored to the right: \(ar)")
    }
}
