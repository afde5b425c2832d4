@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Small hostile bundles that once cost a gigabyte or an hour (issue 11 item 5): each must now be judged in under
/// 10 seconds and 200 MiB of peak memory, with the right verdict (threat-model.md section 7).
final class HostileResourceTests: XCTestCase {
    private var fixture: CLIFixture!
    private var entries: BundleEntries!

    static let seconds = 10.0
    static let bytes = 200 * 1024 * 1024

    override func setUpWithError() throws {
        fixture = try CLIFixture()
        entries = try BundleEntries(tar: try fixture.sealSample())
    }

    /// Runs amana in a child of a small Python wrapper, which reports the child's peak resident memory.
    private func measure(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, stdout: String, seconds: Double, peak: Int) {
        let script = """
            import resource, subprocess, sys, time
            start = time.monotonic()
            child = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
            took = time.monotonic() - start
            sys.stderr.write("%d %f %d\\n" % (child.returncode, took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
            sys.stdout.buffer.write(child.stdout)
            """
        guard let binary = TestEnvironment.releaseBinary else {
            throw XCTSkip("the limits are for the release build, which is absent; `make test` builds it (swift build -c release)")
        }
        let result = try runTool("/usr/bin/python3", ["-c", script, binary] + arguments)
        let parts = result.stderr.split(whereSeparator: \.isWhitespace).suffix(3)
        let values = Array(parts)
        XCTAssertEqual(values.count, 3, result.stderr, file: file, line: line)
        let (status, seconds, kib) = (Int32(values[0])!, Double(values[1])!, Int(values[2])!)
        print("hostile input: amana \(arguments.prefix(2).joined(separator: " ")) took \(String(format: "%.2f", seconds)) s, peak RSS \(kib / 1024) MiB")
        XCTAssertLessThan(seconds, Self.seconds, "\(arguments.first!) took \(seconds) s", file: file, line: line)
        XCTAssertLessThan(kib * 1024, Self.bytes, "\(arguments.first!) peaked at \(kib) KiB", file: file, line: line)
        return (status, result.stdout, seconds, kib * 1024)
    }

    private func gzipped(_ name: String) throws -> String {
        let tar = fixture.folder.file("\(name).tar")
        try entries.write(to: tar)
        let gzip = try runTool("/usr/bin/env", ["gzip", "-9", "-n", tar])
        XCTAssertEqual(gzip.status, 0, "\(gzip)")
        return tar + ".gz"
    }

    func testAMillionMalformedCustodyLinesStayBounded() throws {
        entries["amana/custody.jsonl"] = Array(repeating: Array("x\n".utf8), count: CustodyLog.maximumEvents).flatMap { $0 }
        let bundle = try gzipped("million-lines")
        // The million lines compress to about 2 KB; the rest is the sample media, already compressed.
        XCTAssertLessThan(try FileManager.default.attributesOfItem(atPath: bundle)[.size] as! Int, 100_000)

        let verify = try measure(["verify", bundle, "--json", "--trust", fixture.pub])
        XCTAssertEqual(verify.status, 1)
        let report = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as! [String: Any]
        let findings = report["findings"] as! [[String: Any]]
        let malformed = findings.filter { $0["code"] as? String == "custody.event.malformed" }
        XCTAssertEqual(malformed.count, FindingCap.perCode + 1, "the first 100 and one summary")
        XCTAssertEqual(malformed.last?["omitted"] as? Int, CustodyLog.maximumEvents - FindingCap.perCode)
        XCTAssertEqual(malformed.last?["status"] as? String, "failed")

        let show = try measure(["custody", "show", bundle, "--trust", fixture.pub])
        XCTAssertEqual(show.status, 1)
    }

    /// 9,999 seals, each a canonical statement claiming a checkpoint of the whole million-event log. Unsigned, they
    /// commit to nothing and cost nothing; signed by the attacker's own key, every prefix root comes from one pass.
    func testTenThousandSealsClaimingAMillionEventsStayBounded() throws {
        let lines = Array(repeating: Array("x\n".utf8), count: CustodyLog.maximumEvents).flatMap { $0 }
        entries["amana/custody.jsonl"] = lines
        let first = try SealStatement(parsing: entries["seals/0001.seal"])
        let attacker = try SecretKey.generate(name: "Mallory", organization: nil)
        for signed in [false, true] {
            var hostile = entries!
            var previous = hostile["seals/0001.seal"]
            for number in 2...9999 {
                let statement = SealStatement(bundleID: first.bundleID, number: number, claimedTime: first.claimedTime,
                                              signerKeyID: attacker.keyID.description, signerPublicKey: attacker.publicKey.base64,
                                              manifests: first.manifests, tagManifests: first.tagManifests,
                                              custodyLength: CustodyLog.maximumEvents, custodyRoot: String(repeating: "0", count: 64),
                                              previousSeal: MultiDigest.digests(of: previous, [.sha256])[.sha256]!.hex)
                previous = statement.serialized()
                hostile.add(BundleLayout.sealFile(number), previous)
                if signed {
                    hostile.add(BundleLayout.sealSignature(number),
                                Array(try attacker.sign(previous, trustedComment: "t").minisignFile().utf8))
                }
            }
            let saved = entries
            entries = hostile
            let bundle = try gzipped(signed ? "signed-seals" : "unsigned-seals")
            entries = saved
            let verify = try measure(["verify", bundle, "--json", "--trust", fixture.pub])
            XCTAssertEqual(verify.status, 1, "signed: \(signed)")
            let codes = Set((try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as! [String: Any])["findings"]
                .map { ($0 as! [[String: Any]]).map { $0["code"] as! String } } ?? [])
            XCTAssertTrue(codes.contains(signed ? "custody.root.mismatch" : "seal.signature.missing"), "signed: \(signed): \(codes)")
        }
    }
}
