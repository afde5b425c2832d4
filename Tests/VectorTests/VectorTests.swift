import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Runs every generated vector in fixtures/vectors/ (see Sources/generate-vectors and fixtures/vectors/README.md)
/// through the built `amana`, as an outside implementation would: the case's own arguments and trust inputs, the
/// JSON output, and an exact comparison of exit status, verdict and the set of non-passed codes. A folder this runner
/// does not understand fails the test, so new vectors cannot be silently ignored.
final class VectorTests: XCTestCase {
    private static let vectors = TestEnvironment.packageRoot.appendingPathComponent("fixtures/vectors")
    private static let keys: Set<String> = ["comment", "command", "arguments", "exit", "verdict", "codes", "receipt", "xfail"]

    /// Every case folder: `FAMILY/NAME/` holding `expected.json`.
    private func caseFolders() throws -> [URL] {
        var folders = [URL]()
        // s3ledger cases are a bucket's ledger objects, not a command's input: AmanaKitTests' S3LedgerVectorTests run them.
        for family in try FileManager.default.contentsOfDirectory(atPath: Self.vectors.path).sorted()
        where family != "keys" && family != "README.md" && family != "s3ledger" {
            let familyURL = Self.vectors.appendingPathComponent(family)
            for name in try FileManager.default.contentsOfDirectory(atPath: familyURL.path).sorted() {
                folders.append(familyURL.appendingPathComponent(name))
            }
        }
        return folders
    }

    private struct Outcome: Sendable {
        var name: String
        var problems: [String]
        var xfail: String?
        var report: Data?
    }

    /// Runs one case and lists every way its result differs from expected.json.
    private static func run(_ folder: URL) -> Outcome {
        let name = folder.deletingLastPathComponent().lastPathComponent + "/" + folder.lastPathComponent
        var outcome = Outcome(name: name, problems: [])
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("expected.json")),
              let expected = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            outcome.problems.append("no readable expected.json")
            return outcome
        }
        let unknown = Set(expected.keys).subtracting(Self.keys)
        guard unknown.isEmpty, let command = expected["command"] as? [String], let arguments = expected["arguments"] as? [String],
              let exit = expected["exit"] as? Int, let codes = expected["codes"] as? [String],
              command == ["verify"] || command == ["custody", "show"] else {
            outcome.problems.append("expected.json not understood (unknown members \(unknown.sorted()), or a missing or unknown command)")
            return outcome
        }
        outcome.xfail = expected["xfail"] as? String
        let verdict = expected["verdict"] as? String
        let result: RunResult
        do {
            result = try amana(command + arguments + ["--json"], in: folder.path)
        } catch {
            outcome.problems.append("could not run amana: \(error)")
            return outcome
        }
        if result.status != Int32(exit) { outcome.problems.append("exit \(result.status), expected \(exit): \(result.stderr)") }
        guard verdict != nil else {
            if !result.stderr.hasPrefix("amana: error: ") { outcome.problems.append("no one-line error on stderr: \(result.stderr)") }
            if !result.stdout.isEmpty { outcome.problems.append("a usage error printed a report") }
            return outcome
        }
        guard let document = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            outcome.problems.append("output is not JSON: \(result.stdout.prefix(300)) \(result.stderr)")
            return outcome
        }
        if document["verdict"] as? String != verdict {
            outcome.problems.append("verdict \(document["verdict"] ?? "none"), expected \(verdict!)")
        }
        let findings: [[String: Any]]
        if command == ["verify"] {
            findings = document["findings"] as? [[String: Any]] ?? []
            outcome.report = Data(result.stdout.utf8)
        } else {
            let receipt = document["receipt"] as? [String: Any] ?? [:]
            findings = receipt["findings"] as? [[String: Any]] ?? []
            for (member, value) in expected["receipt"] as? [String: Any] ?? [:]
            where !((receipt[member] as? NSObject)?.isEqual(value) ?? false) {
                outcome.problems.append("receipt.\(member) is \(receipt[member] ?? "absent"), expected \(value)")
            }
        }
        let found = Set(findings.filter { $0["status"] as? String != "passed" }.compactMap { $0["code"] as? String })
        if found != Set(codes) {
            outcome.problems.append("codes: unexpected \(found.subtracting(codes).sorted()), missing \(Set(codes).subtracting(found).sorted())")
        }
        return outcome
    }

    func testVectors() throws {
        let folders = try caseFolders()
        XCTAssertGreaterThanOrEqual(folders.count, 80, "the vector set shrank")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: TestEnvironment.amanaBinary), "build amana first")
        let work = Work(folders)
        // Cases run four at a time: each is a separate amana process.
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            while let folder = work.take() { work.add(VectorTests.run(folder)) }
        }
        // A report that does not match the schema is a problem of its case, so that an xfail marker can name it.
        var outcomes = work.outcomes
        let invalid = try checkSchema(outcomes.compactMap { outcome in outcome.report.map { (outcome.name, $0) } })
        for index in outcomes.indices {
            if let why = invalid[outcomes[index].name] { outcomes[index].problems.append("the report does not match the schema: \(why)") }
        }
        var xfailed = [String]()
        for outcome in outcomes.sorted(by: { $0.name < $1.name }) {
            switch (outcome.problems.isEmpty, outcome.xfail) {
            case (true, nil): break
            case (false, nil): XCTFail("\(outcome.name): \(outcome.problems.joined(separator: "; "))")
            case (true, let reason?): XCTFail("\(outcome.name) is marked xfail (\(reason)) but now passes: remove the marker in the generator")
            case (false, let reason?): xfailed.append("\(outcome.name): \(reason) [\(outcome.problems.joined(separator: "; "))]")
            }
        }
        print("vectors: \(outcomes.count) cases, \(xfailed.count) known divergences (xfail)")
        for line in xfailed { print("  xfail \(line)") }
    }

    /// The cases still to run and the outcomes so far, shared by the worker threads under one lock.
    private final class Work: Sendable {
        private let folders: [URL]
        private let state = Locked((next: 0, outcomes: [Outcome]()))

        init(_ folders: [URL]) { self.folders = folders }

        var outcomes: [Outcome] { state.withLock { $0.outcomes } }

        func take() -> URL? {
            state.withLock { state in
                guard state.next < folders.count else { return nil }
                state.next += 1
                return folders[state.next - 1]
            }
        }

        func add(_ outcome: Outcome) {
            state.withLock { $0.outcomes.append(outcome) }
        }
    }

    /// Validates every verify report against spec/verification-report.schema.json (issue 12 section 3) and returns,
    /// by case name, why each invalid one is invalid. The check is part of the vectors, so it never skips: without
    /// jsonschema in .venv (`make test` installs it through scripts/install-deps.sh) the test fails and says so.
    private func checkSchema(_ reports: [(String, Data)]) throws -> [String: String] {
        let root = TestEnvironment.packageRoot
        let schema = root.appendingPathComponent("spec/verification-report.schema.json").path
        let script = root.appendingPathComponent("scripts/check-report-schema.py").path
        let python = root.appendingPathComponent(".venv/bin/python3").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: schema), "spec/verification-report.schema.json is missing")
        XCTAssertTrue(FileManager.default.fileExists(atPath: script), "scripts/check-report-schema.py is missing")
        guard FileManager.default.isExecutableFile(atPath: python), try runTool(python, ["-c", "import jsonschema"]).status == 0 else {
            XCTFail("jsonschema is not installed in .venv, so the reports cannot be checked against the schema: run scripts/install-deps.sh test")
            return [:]
        }
        XCTAssertGreaterThan(reports.count, 100, "too few reports to check")
        let folder = TemporaryFolder("amana-vector-reports")
        var names = [String: String]()
        for (name, report) in reports {
            names[try folder.write(name.replacingOccurrences(of: "/", with: "--") + ".json", Array(report))] = name
        }
        let result = try runTool(python, [script, schema] + names.keys.sorted())
        XCTAssertTrue(result.status == 0 || result.status == 1, "the schema check did not run: \(result)")
        // One line per report: "ok PATH" or "invalid PATH: WHERE: WHY".
        var checked = 0
        var invalid = [String: String]()
        for line in result.stdout.split(separator: "\n").map(String.init) {
            for (path, name) in names where line == "ok \(path)" || line.hasPrefix("invalid \(path): ") {
                checked += 1
                if line.hasPrefix("invalid ") { invalid[name] = String(line.dropFirst("invalid \(path): ".count)) }
            }
        }
        XCTAssertEqual(checked, names.count, "every report must be checked once: \(result)")
        print("vectors: \(checked - invalid.count) of \(checked) reports valid against spec/verification-report.schema.json")
        return invalid
    }

    /// seal/signature-legacy must really be what it claims: a legacy `Ed` signature by the signer's key, which stock
    /// minisign verifies by default and refuses with -H (prehashed only). Otherwise the vector proves nothing.
    func testTheLegacySealVectorIsALegacySignatureMinisignAccepts() throws {
        guard let minisign = TestEnvironment.tool("minisign") else {
            throw XCTSkip("minisign is not installed; `make test` installs it (scripts/install-deps.sh)")
        }
        let folder = Self.vectors.appendingPathComponent("seal/signature-legacy").path
        let seal = folder + "/vector-bundle-1/seals/0001.seal"
        let arguments = ["-V", "-p", folder + "/trust/signer.pub", "-m", seal, "-x", seal + ".minisig"]
        let accepted = try runTool(minisign, arguments)
        XCTAssertEqual(accepted.status, 0, "\(accepted)")
        let prehashedOnly = try runTool(minisign, ["-H"] + arguments)
        XCTAssertNotEqual(prehashedOnly.status, 0, "minisign -H accepted it, so it is not legacy: \(prehashedOnly)")
        XCTAssertTrue((prehashedOnly.stdout + prehashedOnly.stderr).contains("Legacy"), "\(prehashedOnly)")
    }

    /// The non-passed codes of spec/verification-report.md section 5 (metadata aside), minus the README's exemptions
    /// and not-yet-covered list, are exactly the codes the vectors expect.
    func testEveryCodeHasAVector() throws {
        let spec = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("spec/verification-report.md"), encoding: .utf8)
        let specCodes = Self.specCodes(spec)
        XCTAssertGreaterThan(specCodes.count, 100, "could not read the code tables")
        let readme = try String(contentsOf: Self.vectors.appendingPathComponent("README.md"), encoding: .utf8)
        let exempt = Self.tableCodes(readme, section: "## Exemptions")
        let pending = Self.tableCodes(readme, section: "## Not yet covered")
        var covered = Set<String>()
        for folder in try caseFolders() {
            let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
            let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
            covered.formUnion(expected["codes"] as? [String] ?? [])
        }
        XCTAssertEqual(exempt.intersection(covered).sorted(), [], "exempt codes that a vector covers: drop them from the exemption table")
        XCTAssertEqual(pending.intersection(covered).sorted(), [], "codes now covered: drop them from the not-yet-covered table")
        XCTAssertEqual(specCodes.subtracting(exempt).subtracting(pending).subtracting(covered).sorted(), [],
                       "codes in the spec with no vector")
        XCTAssertEqual(covered.subtracting(specCodes).sorted(), [], "codes the vectors expect that the spec does not list")
        XCTAssertEqual(exempt.union(pending).subtracting(specCodes).sorted(), [], "README lists codes the spec does not")
    }

    /// Codes in the section 5 tables whose status is not `passed`, skipping the metadata group.
    static func specCodes(_ spec: String) -> Set<String> {
        var codes = Set<String>()
        var inCodes = false, inMetadata = false
        for line in spec.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { inCodes = line.hasPrefix("## 5.") }
            if line.hasPrefix("### ") { inMetadata = line.hasPrefix("### metadata") }
            guard inCodes, !inMetadata, line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, !cells[2].hasPrefix("passed") else { continue }
            codes.formUnion(backticked(cells[1]))
        }
        return codes
    }

    /// Codes in the first column of the table under `section` in the README.
    static func tableCodes(_ text: String, section: String) -> Set<String> {
        var codes = Set<String>()
        var inside = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("## ") { inside = line.hasPrefix(section) }
            guard inside, line.hasPrefix("| `") else { continue }
            codes.formUnion(backticked(String(line.split(separator: "|")[0])))
        }
        return codes
    }

    private static func backticked(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }
}
