import AmanaTestSupport
import Foundation
import XCTest

/// A temporary folder holding an unencrypted key pair made by `amana keygen`, and a helper to seal the sample media.
final class CLIFixture {
    let folder = TemporaryFolder("amana-cli")
    var key: String { folder.file("team.key") }
    var pub: String { folder.file("team.pub") }

    init() throws {
        let result = try amana(["keygen", "--output", folder.file("team"), "--name", "Test Documenter",
                                "--organization", "Test Archive", "--unencrypted"])
        XCTAssertEqual(result.status, 0, "\(result)")
    }

    /// Seals the bundled sample media into `name` and returns its path.
    @discardableResult
    func sealSample(_ name: String = "bundle.tar", extra: [String] = []) throws -> String {
        let output = folder.file(name)
        let sample = TestEnvironment.sampleMedia.path
        let result = try amana(["seal", "\(sample)/checkpoint-photo.png", "\(sample)/scanned-document.pdf",
                                "\(sample)/day-2", "--key", key, "--output", output, "--case", "TEST-1"] + extra)
        XCTAssertEqual(result.status, 0, "\(result)")
        return output
    }

    /// Runs `amana verify --json` and returns the exit status and the decoded report.
    func verifyJSON(_ bundle: String, trust: [String]? = nil) throws -> (Int32, Report) {
        let trusted = (trust ?? [pub]).flatMap { ["--trust", $0] }
        let result = try amana(["verify", bundle, "--json"] + trusted)
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        return (result.status, report)
    }

    struct Report: Decodable {
        struct Finding: Decodable {
            let code: String
            let status: String
            let subject: String?
            let expected: String?
            let found: String?
            let message: String
        }
        let mediaType: String
        let verdict: String
        let findings: [Finding]

        func codes(_ status: String) -> [String] { findings.filter { $0.status == status }.map(\.code) }
        var failedCodes: Set<String> { Set(codes("failed")) }
    }
}
