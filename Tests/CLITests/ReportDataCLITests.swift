import AmanaTestSupport
import Foundation
import XCTest

/// `verify --json` states its results as data (spec/verification-report.md section 3): every report validates against
/// spec/verification-report.schema.json through scripts/check-report-schema.py, and the `seals`, `items` and `custody`
/// entries hold exactly what the bundle and the trust inputs say, a name only from a trusted key.
final class ReportDataCLITests: XCTestCase {
    private var fixture: CLIFixture!
    private var folder: TemporaryFolder { fixture.folder }

    override func setUpWithError() throws {
        fixture = try CLIFixture()
    }

    // MARK: helpers

    typealias JSON = [String: Any]

    /// The project's venv Python, which `make test` gives jsonschema (scripts/install-deps.sh).
    static func venvPython() throws -> String {
        let python = TestEnvironment.packageRoot.appendingPathComponent(".venv/bin/python3").path
        guard FileManager.default.isExecutableFile(atPath: python),
              try runTool(python, ["-c", "import jsonschema"]).status == 0 else {
            throw XCTSkip("jsonschema is not installed in .venv; `make test` installs it (scripts/install-deps.sh)")
        }
        return python
    }

    /// Runs scripts/check-report-schema.py on report files.
    static func checkSchema(_ reports: [String]) throws -> RunResult {
        let root = TestEnvironment.packageRoot
        return try runTool(try venvPython(), [root.appendingPathComponent("scripts/check-report-schema.py").path,
                                              root.appendingPathComponent("spec/verification-report.schema.json").path] + reports)
    }

    /// Runs amana with `--json`, requires the exit status, validates the report against the schema, and decodes it.
    private func jsonReport(_ arguments: [String], status: Int32, file: StaticString = #filePath, line: UInt = #line) throws -> JSON {
        let result = try amana(arguments)
        XCTAssertEqual(result.status, status, "\(arguments.joined(separator: " "))\n\(result)", file: file, line: line)
        let saved = try folder.write("report-\(UUID().uuidString).json", result.stdout)
        let check = try Self.checkSchema([saved])
        XCTAssertEqual(check.status, 0, "the report does not validate against the schema: \(check)", file: file, line: line)
        XCTAssertEqual(check.stdout, "ok \(saved)\n", file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? JSON, file: file, line: line)
    }

    private func keyID(_ pub: String) throws -> String {
        let text = try String(contentsOfFile: pub, encoding: .utf8)
        return String(text.split(separator: " ")[5].prefix(16))
    }

    private func sha(_ tool: String, _ bytes: [UInt8]) throws -> String {
        let path = try folder.write("hash-input", bytes)
        let result = try runTool(try TestEnvironment.requireTool(tool), [path])
        XCTAssertEqual(result.status, 0, "\(result)")
        return String(result.stdout.prefix { $0 != " " })
    }

    private func payloadPaths(_ entries: BundleEntries) -> [String] {
        entries.entries.map(\.name).compactMap { name -> String? in
            let path = String(name.dropFirst(entries.root.count + 1))
            return path.hasPrefix("data/") && !name.hasSuffix("/") && entries.contains(path) ? path : nil
        }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    // MARK: valid, untrusted, tampered

    func testAValidBundleStatesItsSealItemsAndEventsAsData() throws {
        let bundle = try fixture.sealSample(extra: ["--collector", "team 3", "--role", "documenter"])
        let report = try jsonReport(["verify", bundle, "--json", "--trust", fixture.pub], status: 0)
        let keyID = try keyID(fixture.pub)
        XCTAssertEqual(report["verdict"] as? String, "TOTAL-PASSED")

        let seals = try XCTUnwrap(report["seals"] as? [JSON])
        XCTAssertEqual(seals.count, 1)
        let seal = seals[0]
        XCTAssertEqual(seal["number"] as? Int, 1)
        XCTAssertEqual(seal["signerKeyId"] as? String, keyID)
        XCTAssertEqual(seal["signerName"] as? String, "Test Documenter")
        XCTAssertEqual(seal["signerOrganization"] as? String, "Test Archive")
        XCTAssertEqual(seal["signerSource"] as? String, fixture.pub)
        XCTAssertEqual((seal["signedBy"] as? JSON)?["name"] as? String, "Test Documenter")
        XCTAssertEqual(seal["status"] as? String, "warning", "no token: seal.time.claimed-only")
        XCTAssertEqual((seal["tokens"] as? [Any])?.count, 0)

        // Items: measured sizes and digests, as sha256sum and sha512sum see the bytes; media type and acquisition as
        // items.json claims them.
        let entries = try BundleEntries(tar: bundle)
        let items = try XCTUnwrap(report["items"] as? [JSON])
        let paths = payloadPaths(entries)
        XCTAssertEqual(items.map { $0["path"] as? String }, paths)
        XCTAssertEqual(paths.count, 4)
        for item in items {
            let path = item["path"] as! String
            XCTAssertEqual(item["status"] as? String, "passed", path)
            XCTAssertEqual(item["size"] as? Int, entries[path].count, path)
            XCTAssertEqual(item["digests"] as? [String: String],
                           ["sha256": try sha("sha256sum", entries[path]), "sha512": try sha("sha512sum", entries[path])], path)
            XCTAssertEqual(item["acquisition"] as? [String: String], ["collector": "team 3"], path)
        }
        let mediaTypes = Dictionary(uniqueKeysWithValues: items.map { ($0["path"] as! String, $0["mediaType"] as? String) })
        XCTAssertEqual(mediaTypes["data/checkpoint-photo.png"], "image/png")
        XCTAssertEqual(mediaTypes["data/scanned-document.pdf"], "application/pdf")
        XCTAssertEqual(mediaTypes["data/day-2/audio-testimony.wav"], "audio/wav")

        // Custody: one `acquired` per item, then `sealed`; every event by the trusted key, covered by seal 1.
        let custody = try XCTUnwrap(report["custody"] as? [JSON])
        XCTAssertEqual(custody.map { $0["action"] as? String }, Array(repeating: "acquired", count: 4) + ["sealed"])
        XCTAssertEqual(custody.map { $0["seq"] as? Int }, Array(1...5))
        XCTAssertEqual(seal["custodyLength"] as? Int, 5)
        for event in custody {
            XCTAssertEqual(event["status"] as? String, "passed")
            XCTAssertEqual(event["seal"] as? Int, 1)
            XCTAssertEqual(event["signatureValid"] as? Bool, true)
            let actor = try XCTUnwrap(event["actor"] as? [String: String])
            XCTAssertEqual(actor, ["keyId": keyID, "name": "Test Documenter", "organization": "Test Archive", "source": fixture.pub,
                                   "claimedName": "Test Documenter", "claimedOrganization": "Test Archive",
                                   "claimedRole": "documenter"])
        }
        XCTAssertEqual(((custody[4]["details"] as? [String: String])?["seal"]), "1")
        let acquired = try XCTUnwrap(custody[0]["items"] as? [JSON])
        XCTAssertEqual(acquired.count, 1)
        let acquiredPath = acquired[0]["path"] as! String
        XCTAssertEqual((acquired[0]["digests"] as? [String: String])?["sha256"], try sha("sha256sum", entries[acquiredPath]))
        XCTAssertNil(report["custodyOmitted"])

        // Findings about the seal's files name it by number.
        let findings = report["findings"] as! [JSON]
        let signature = try XCTUnwrap(findings.first { $0["code"] as? String == "seal.signature" })
        XCTAssertEqual(signature["seal"] as? Int, 1)
        XCTAssertNil(signature["event"])
        XCTAssertNil(findings.first { $0["code"] as? String == "custody.chain" }?["event"])
    }

    /// The bundle claims a name for its signer's key; with that key untrusted, the report never shows it as a name.
    func testANameTheBundleClaimsIsNeverTheSignersName() throws {
        let bundle = try fixture.sealSample()
        let other = folder.file("other")
        XCTAssertEqual(try amana(["keygen", "--output", other, "--name", "Someone Else", "--unencrypted"]).status, 0)
        for trust in [[], ["--trust", other + ".pub"]] {
            let report = try jsonReport(["verify", bundle, "--json"] + trust, status: 2)
            let seal = try XCTUnwrap((report["seals"] as? [JSON])?.first)
            XCTAssertEqual(seal["signerKeyId"] as? String, try keyID(fixture.pub))
            for field in ["signedBy", "signerName", "signerOrganization", "signerSource"] {
                XCTAssertNil(seal[field], "\(field) with trust \(trust)")
            }
            XCTAssertEqual(seal["status"] as? String, "indeterminate")
            for event in report["custody"] as! [JSON] {
                let actor = event["actor"] as! [String: String]
                XCTAssertEqual(actor, ["keyId": try keyID(fixture.pub), "claimedName": "Test Documenter",
                                       "claimedOrganization": "Test Archive"])
                XCTAssertEqual(event["status"] as? String, "indeterminate")
                XCTAssertEqual(event["signatureValid"] as? Bool, true)
            }
        }
    }

    func testATamperedBundleNamesTheItemAndTheEventThatFailed() throws {
        let bundle = try fixture.sealSample()
        var entries = try BundleEntries(tar: bundle)
        let target = "data/scanned-document.pdf"
        entries[target][100] ^= 0x01
        var log = String(decoding: entries["amana/custody.jsonl"], as: UTF8.self).split(separator: "\n").map(String.init)
        log[1] = "not an event"
        entries["amana/custody.jsonl"] = Array((log.joined(separator: "\n") + "\n").utf8)
        let tampered = folder.file("tampered.tar")
        try entries.write(to: tampered)

        let report = try jsonReport(["verify", tampered, "--json", "--trust", fixture.pub], status: 1)
        let items = report["items"] as! [JSON]
        for item in items {
            let path = item["path"] as! String
            XCTAssertEqual(item["status"] as? String, path == target ? "failed" : "passed", path)
            XCTAssertEqual((item["digests"] as? [String: String])?["sha256"], try sha("sha256sum", entries[path]), path)
        }
        let findings = report["findings"] as! [JSON]
        let mismatch = try XCTUnwrap(findings.first { $0["code"] as? String == "payload.digest.mismatch" })
        XCTAssertEqual(mismatch["subject"] as? String, target)

        let custody = report["custody"] as! [JSON]
        XCTAssertEqual(custody.count, 5)
        XCTAssertEqual(custody[1]["malformed"] as? Bool, true)
        XCTAssertEqual(custody[1]["status"] as? String, "failed")
        XCTAssertEqual(Set(custody[1].keys), ["seq", "status", "malformed"])
        XCTAssertEqual(custody[2]["status"] as? String, "failed", "its chain breaks after the malformed line")
        XCTAssertEqual(custody[0]["status"] as? String, "passed")
        // Seal 1's checkpoint no longer matches the log, so it covers no event.
        XCTAssertTrue(custody.allSatisfy { $0["seal"] == nil })
        let malformed = try XCTUnwrap(findings.first { $0["code"] as? String == "custody.event.malformed" })
        XCTAssertEqual(malformed["event"] as? Int, 2)
        let broken = try XCTUnwrap(findings.first { $0["code"] as? String == "custody.chain.broken" })
        XCTAssertEqual(broken["event"] as? Int, 3)
        let root = try XCTUnwrap(findings.first { $0["code"] as? String == "custody.root.mismatch" })
        XCTAssertEqual(root["seal"] as? Int, 1)
    }

    /// Malformed lines beyond the first 100 are counted, not listed: a hostile log has a million of them.
    func testMalformedCustodyLinesBeyondAHundredAreCounted() throws {
        let bundle = try fixture.sealSample()
        var entries = try BundleEntries(tar: bundle)
        entries["amana/custody.jsonl"] += Array(String(repeating: "x\n", count: 150).utf8)
        let hostile = folder.file("hostile.tar")
        try entries.write(to: hostile)
        let report = try jsonReport(["verify", hostile, "--json", "--trust", fixture.pub], status: 1)
        let custody = report["custody"] as! [JSON]
        XCTAssertEqual(custody.count, 5 + 100)
        XCTAssertEqual(custody.map { $0["seq"] as? Int }, Array(1...105))
        XCTAssertTrue(custody.prefix(5).allSatisfy { $0["malformed"] == nil && $0["seal"] as? Int == 1 })
        XCTAssertTrue(custody.dropFirst(5).allSatisfy { $0["malformed"] as? Bool == true && $0["status"] as? String == "failed" })
        XCTAssertEqual(report["custodyOmitted"] as? Int, 50)
    }

    /// A keyring's statement about a key is what the report believes: its name, organisation and role replace the
    /// bundle's, which stay apart as claims.
    func testAKeyringGivesTheNameOrganisationAndRole() throws {
        let bundle = try fixture.sealSample(extra: ["--role", "documenter"])
        let pub = try String(contentsOfFile: fixture.pub, encoding: .utf8).split(separator: "\n")[1]
        let keyring = try folder.write("team.keyring", "amana-keyring: 1\n\nkey: \(pub)\nname: Keyring Name\n"
                                       + "organization: Keyring Org\nrole: investigator\nnot-before: 2020-01-01T00:00:00Z\n")
        let report = try jsonReport(["verify", bundle, "--json", "--trust", keyring], status: 0)
        let seal = try XCTUnwrap((report["seals"] as? [JSON])?.first)
        XCTAssertEqual(seal["signerName"] as? String, "Keyring Name")
        XCTAssertEqual(seal["signerOrganization"] as? String, "Keyring Org")
        XCTAssertEqual(seal["signerSource"] as? String, keyring)
        XCTAssertEqual((seal["signedBy"] as? JSON)?["role"] as? String, "investigator")
        XCTAssertEqual((seal["signedBy"] as? JSON)?["notBefore"] as? String, "2020-01-01T00:00:00Z")
        for event in report["custody"] as! [JSON] {
            XCTAssertEqual(event["actor"] as? [String: String],
                           ["keyId": try keyID(fixture.pub), "name": "Keyring Name", "organization": "Keyring Org",
                            "role": "investigator", "source": keyring, "claimedName": "Test Documenter",
                            "claimedOrganization": "Test Archive", "claimedRole": "documenter"])
        }
    }

    // MARK: custody hand-off

    func testAHandedOffBundleNamesEachActorFromTheirTrustedKey() throws {
        for party in ["field", "archive"] {
            XCTAssertEqual(try amana(["keygen", "--output", folder.file(party), "--name", "\(party) person",
                                      "--organization", "\(party) org", "--unencrypted"]).status, 0)
        }
        let sample = TestEnvironment.sampleMedia.path
        let f = { (name: String) in self.folder.file(name) }
        func ok(_ arguments: [String]) throws {
            let result = try amana(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments.joined(separator: " "))\n\(result)")
        }
        try ok(["seal", "\(sample)/checkpoint-photo.png", "\(sample)/day-2", "--key", f("field.key"), "--output", f("b1.tar"),
                "--role", "documenter"])
        try ok(["custody", "transfer", f("b1.tar"), "--key", f("field.key"), "--to", f("archive.pub"), "--output", f("b2.tar")])
        try ok(["custody", "receive", f("b2.tar"), "--key", f("archive.key"), "--trust", f("field.pub"), "--output", f("b3.tar"),
                "--role", "archivist"])

        let report = try jsonReport(["verify", f("b3.tar"), "--json", "--trust", f("field.pub"), "--trust", f("archive.pub")], status: 0)
        let seals = report["seals"] as! [JSON]
        XCTAssertEqual(seals.map { $0["number"] as? Int }, [1, 2, 3])
        XCTAssertEqual(seals.map { $0["signerName"] as? String }, ["field person", "field person", "archive person"])
        XCTAssertEqual(seals.map { $0["custodyLength"] as? Int }, [4, 6, 8])
        let custody = report["custody"] as! [JSON]
        XCTAssertEqual(custody.map { $0["action"] as? String },
                       ["acquired", "acquired", "acquired", "sealed", "transferred", "sealed", "received", "sealed"])
        XCTAssertEqual(custody.map { $0["seal"] as? Int }, [1, 1, 1, 1, 2, 2, 3, 3])
        XCTAssertEqual(custody.map { ($0["actor"] as? JSON)?["name"] as? String },
                       Array(repeating: "field person", count: 6) + Array(repeating: "archive person", count: 2))
        XCTAssertEqual(custody.map { ($0["actor"] as? JSON)?["source"] as? String },
                       Array(repeating: f("field.pub"), count: 6) + Array(repeating: f("archive.pub"), count: 2))
        // A role comes only from a keyring; the event's own is a claim.
        XCTAssertNil((custody[6]["actor"] as? JSON)?["role"])
        XCTAssertEqual((custody[6]["actor"] as? JSON)?["claimedRole"] as? String, "archivist")
        XCTAssertEqual((custody[4]["details"] as? [String: String])?["to"], try keyID(f("archive.pub")))
        XCTAssertEqual((custody[6]["details"] as? [String: String])?["from"], try keyID(f("field.pub")))
        XCTAssertTrue(custody.allSatisfy { $0["status"] as? String == "passed" })

        // Trusting only the field team: the archive's events keep their claim and lose the name.
        let partial = try jsonReport(["verify", f("b3.tar"), "--json", "--trust", f("field.pub")], status: 2)
        let events = partial["custody"] as! [JSON]
        XCTAssertNil((events[6]["actor"] as? JSON)?["name"])
        XCTAssertEqual((events[6]["actor"] as? JSON)?["claimedName"] as? String, "archive person")
        XCTAssertEqual(events[6]["status"] as? String, "indeterminate")
        XCTAssertEqual((partial["seals"] as! [JSON])[2]["status"] as? String, "indeterminate")
    }

    // MARK: RFC 3161 tokens

    /// A seal stamped by a local TSA (`openssl ts -reply` behind scripts/tsa/tsa-server.py) whose certificate carries
    /// QcCompliance and esi4-qtstStatement-1: every token field equals what openssl reads from the same files.
    func testATimestampedSealStatesEachTokenAsData() throws {
        let openssl = try TestEnvironment.requireTool("openssl")
        let tsa = TemporaryFolder("amana-tsa")
        let make = try runTool("/bin/bash", [TestEnvironment.packageRoot.appendingPathComponent("scripts/tsa/make-tsa.sh").path,
                                             tsa.path, "--qc-compliance"])
        XCTAssertEqual(make.status, 0, "\(make)")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: try TestEnvironment.requireTool("python3"))
        server.arguments = [TestEnvironment.packageRoot.appendingPathComponent("scripts/tsa/tsa-server.py").path,
                            tsa.file("tsa.cnf"), "--lifetime", "120"]
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw XCTSkip("the local TSA did not start: \(line)")
        }
        let bundle = try fixture.sealSample(extra: ["--tsa", "http://127.0.0.1:\(port)/ok"])
        let report = try jsonReport(["verify", bundle, "--json", "--trust", fixture.pub, "--tsa-root", tsa.file("root.pem")], status: 0)
        let seal = try XCTUnwrap((report["seals"] as? [JSON])?.first)
        XCTAssertEqual(seal["status"] as? String, "passed")
        let tokens = try XCTUnwrap(seal["tokens"] as? [JSON])
        XCTAssertEqual(tokens.count, 1)
        let token = tokens[0]

        // What openssl reads from the same token, certificates and signature file.
        let entries = try BundleEntries(tar: bundle)
        let tsr = try folder.write("token.tsr", entries["seals/0001.seal.minisig.tsr"])
        let text = try runTool(openssl, ["ts", "-reply", "-in", tsr, "-text"])
        XCTAssertEqual(text.status, 0, "\(text)")
        func field(_ label: String) -> String? {
            text.stdout.split(separator: "\n").first { $0.hasPrefix(label + ": ") }.map { String($0.dropFirst(label.count + 2)) }
        }
        let serial = try XCTUnwrap(field("Serial number")).dropFirst(2).lowercased()
        let stampText = try XCTUnwrap(field("Time stamp")).split(separator: " ").joined(separator: " ")
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.timeZone = TimeZone(identifier: "UTC")
        parser.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
        let stamp = try XCTUnwrap(parser.date(from: stampText), stampText)
        let printer = ISO8601DateFormatter()
        func der(_ pem: String) throws -> [UInt8] {
            let output = folder.file("cert.der")
            XCTAssertEqual(try runTool(openssl, ["x509", "-in", pem, "-outform", "DER", "-out", output]).status, 0)
            return try readBytes(output)
        }
        func subject(_ pem: String) throws -> String {
            let result = try runTool(openssl, ["x509", "-in", pem, "-noout", "-subject", "-nameopt", "RFC2253"])
            return String(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("subject=".count))
        }

        XCTAssertEqual(token["file"] as? String, "seals/0001.seal.minisig.tsr")
        XCTAssertEqual(token["status"] as? String, "passed")
        XCTAssertEqual(token["form"] as? String, "TimeStampResp")
        XCTAssertEqual(token["genTime"] as? String, printer.string(from: stamp))
        XCTAssertEqual(token["policy"] as? String, field("Policy OID"))
        XCTAssertEqual(token["policy"] as? String, "1.3.6.1.4.1.55555.3161.1")
        XCTAssertEqual(token["serialNumber"] as? String, String(repeating: "0", count: serial.count % 2) + serial)
        XCTAssertEqual(token["imprintAlgorithm"] as? String, field("Hash Algorithm"))
        XCTAssertEqual(token["imprint"] as? String, try sha("sha256sum", entries["seals/0001.seal.minisig"]))
        XCTAssertEqual(token["tsaName"] as? String, try subject(tsa.file("tsa.pem")))
        XCTAssertEqual(token["tsaName"] as? String, "CN=Amana Test TSA,O=Amana Tests")
        XCTAssertNotNil(token["tsaField"], "openssl's TSA puts its name in the TSTInfo: \(field("TSA") ?? "-")")
        XCTAssertEqual(token["tsaCertificateSHA256"] as? String, try sha("sha256sum", try der(tsa.file("tsa.pem"))))
        XCTAssertEqual(token["trusted"] as? Bool, true)
        XCTAssertEqual(token["root"] as? [String: String],
                       ["subject": try subject(tsa.file("root.pem")), "sha256": try sha("sha256sum", try der(tsa.file("root.pem")))])
        XCTAssertEqual(token["chain"] as? [String], [try subject(tsa.file("tsa.pem")), try subject(tsa.file("root.pem"))])
        XCTAssertEqual(token["qcStatements"] as? [String], ["0.4.0.1862.1.1", "0.4.0.19422.1.1"])
        XCTAssertEqual(token["qcCompliance"] as? Bool, true)
        XCTAssertEqual(token["qualified"] as? Bool, true)
        XCTAssertEqual(token["qualifiedStatementIn"] as? [String], ["certificate"])
        let valid = try XCTUnwrap((report["findings"] as! [JSON]).first { $0["code"] as? String == "timestamp.valid" })
        XCTAssertEqual(valid["seal"] as? Int, 1)
        XCTAssertEqual(valid["subject"] as? String, token["file"] as? String)

        // Against another TSA's root (not a lookalike: another name) the same token is untrusted: no root, no chain,
        // and the seal is indeterminate.
        let other = TemporaryFolder("amana-tsa-other")
        XCTAssertEqual(try runTool("/bin/bash", [TestEnvironment.packageRoot.appendingPathComponent("scripts/tsa/make-tsa.sh").path,
                                                 other.path, "--name", "Another TSA"]).status, 0)
        let elsewhere = try jsonReport(["verify", bundle, "--json", "--trust", fixture.pub, "--tsa-root", other.file("root.pem")],
                                       status: 2)
        let unanchored = try XCTUnwrap(((elsewhere["seals"] as? [JSON])?.first?["tokens"] as? [JSON])?.first)
        XCTAssertEqual(unanchored["trusted"] as? Bool, false)
        XCTAssertEqual(unanchored["status"] as? String, "indeterminate")
        XCTAssertNil(unanchored["root"])
        XCTAssertNil(unanchored["chain"])
        XCTAssertEqual(unanchored["qcStatements"] as? [String], ["0.4.0.1862.1.1", "0.4.0.19422.1.1"],
                       "the statements are read, though they mean nothing until the chain is trusted")
        XCTAssertEqual((elsewhere["seals"] as? [JSON])?.first?["status"] as? String, "indeterminate")

        // With no --tsa-root, the system store: both verbs list the same certificates, and name the store.
        let system = try jsonReport(["verify", bundle, "--json", "--trust", fixture.pub], status: 2)
        let systemRoots = try XCTUnwrap((system["trust"] as? JSON)?["tsaRoots"] as? [JSON])
        XCTAssertGreaterThan(systemRoots.count, 10)
        XCTAssertTrue(systemRoots.allSatisfy { $0["source"] as? String == "/etc/ssl/certs/ca-certificates.crt" })
        XCTAssertEqual((system["trust"] as? JSON)?["tsaRootStore"] as? String, "/etc/ssl/certs/ca-certificates.crt")
        let signatureFile = try folder.write("0001.seal.minisig", entries["seals/0001.seal.minisig"])
        let systemSingle = try jsonReport(["verify-timestamp", tsr, "--data", signatureFile, "--json"], status: 2)
        XCTAssertEqual(((systemSingle["trust"] as? JSON)?["tsaRoots"] as? [JSON])?.map { $0["sha256"] as? String },
                       systemRoots.map { $0["sha256"] as? String })
        XCTAssertEqual((systemSingle["trust"] as? JSON)?["tsaRootStore"] as? String, "/etc/ssl/certs/ca-certificates.crt")

        // verify-timestamp's report is the same document with `data` and `timestamp`.
        let single = try jsonReport(["verify-timestamp", tsr, "--data", signatureFile, "--tsa-root", tsa.file("root.pem"), "--json"],
                                    status: 0)
        XCTAssertEqual((single["subject"] as? JSON)?["kind"] as? String, "timestamp")
        XCTAssertEqual((single["timestamp"] as? JSON)?["chainRootSHA256"] as? String, (token["root"] as? JSON)?["sha256"] as? String)
        XCTAssertEqual((single["timestamp"] as? JSON)?["qcStatements"] as? [String], ["0.4.0.1862.1.1", "0.4.0.19422.1.1"])
    }

    // MARK: plain bag, extract

    /// A bag bagit.py made: items only, digests as its manifests state them; no seals and no custody.
    func testAPlainBagFromBagitPyListsItsItems() throws {
        let bagit = try TestEnvironment.requireTool("bagit.py")
        let bag = folder.file("bag")
        try FileManager.default.createDirectory(atPath: bag, withIntermediateDirectories: true)
        _ = try folder.write("bag/a.txt", "first file\n")
        _ = try folder.write("bag/b.bin", [0, 1, 2, 3, 255])
        let made = try runTool(bagit, ["--sha256", "--sha512", bag])
        XCTAssertEqual(made.status, 0, "\(made)")

        let report = try jsonReport(["verify", bag, "--json"], status: 2)
        XCTAssertNil(report["seals"])
        XCTAssertNil(report["custody"])
        let items = try XCTUnwrap(report["items"] as? [JSON])
        XCTAssertEqual(items.map { $0["path"] as? String }, ["data/a.txt", "data/b.bin"])
        for algorithm in ["sha256", "sha512"] {
            let manifest = try String(contentsOfFile: bag + "/manifest-\(algorithm).txt", encoding: .utf8)
            for line in manifest.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let item = try XCTUnwrap(items.first { $0["path"] as? String == parts[1] })
                XCTAssertEqual((item["digests"] as? [String: String])?[algorithm], parts[0])
            }
        }
        XCTAssertEqual(items.map { $0["size"] as? Int }, [11, 5])
        XCTAssertTrue(items.allSatisfy { $0["mediaType"] == nil && $0["acquisition"] == nil && $0["status"] as? String == "passed" })
    }

    func testExtractReportValidatesAgainstTheSchema() throws {
        let bundle = try fixture.sealSample()
        let report = try jsonReport(["extract", bundle, "--output", folder.file("out"), "--trust", fixture.pub, "--json"], status: 0)
        XCTAssertEqual((report["items"] as? [Any])?.count, 4)
        XCTAssertEqual((report["seals"] as? [JSON])?.first?["signerName"] as? String, "Test Documenter")
    }

    /// Every bundle vector's report, with the case's own trust inputs, validates against the schema.
    func testEveryBundleVectorReportValidates() throws {
        let vectors = TestEnvironment.packageRoot.appendingPathComponent("fixtures/vectors")
        let root = vectors.appendingPathComponent("bundle")
        var reports = [String]()
        for name in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let folder = root.appendingPathComponent(name)
            let bundle = folder.appendingPathComponent("bundle.tar").path
            guard FileManager.default.fileExists(atPath: bundle),
                  let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json"))) as? JSON
            else { continue }
            let trustNames = (expected["trust"] as? String)?.split(separator: " ").map(String.init) ?? []
            let trust = trustNames.flatMap { file -> [String] in
                let places = [folder.appendingPathComponent("trust/\(file)"), folder.appendingPathComponent(file),
                              vectors.appendingPathComponent("keys/\(file)")].map(\.path)
                return ["--trust", places.first { FileManager.default.fileExists(atPath: $0) } ?? places[2]]
            }
            let result = try amana(["verify", bundle, "--json"] + trust)
            XCTAssertTrue([0, 1, 2].contains(result.status), "\(name): \(result)")
            reports.append(try self.folder.write("vector-\(name).json", result.stdout))
        }
        XCTAssertGreaterThanOrEqual(reports.count, 6)
        let check = try Self.checkSchema(reports)
        XCTAssertEqual(check.status, 0, "\(check)")
        XCTAssertEqual(check.stdout.split(separator: "\n").count, reports.count)
    }

    // MARK: the schema check itself

    /// A check that cannot fail proves nothing: bad reports must be refused, naming where.
    func testTheSchemaRefusesABadReport() throws {
        let bundle = try fixture.sealSample()
        let good = try amana(["verify", bundle, "--json", "--trust", fixture.pub]).stdout
        var cases = [(String, String)]()
        func mutated(_ change: (inout JSON) -> Void) throws -> String {
            var document = try JSONSerialization.jsonObject(with: Data(good.utf8)) as! JSON
            change(&document)
            return String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        }
        cases.append(("/verdict", try mutated { $0["verdict"] = "PASSED" }))
        cases.append(("/validationTime", try mutated { $0["validationTime"] = "2026-11-29t03:30:00z" }))
        cases.append(("/items[0]/digests/sha256", try mutated {
            var items = $0["items"] as! [JSON]
            items[0]["digests"] = ["sha256": "ABCDEF"]
            $0["items"] = items
        }))
        cases.append(("/seals[0]", try mutated {
            var seals = $0["seals"] as! [JSON]
            seals[0]["signerNickname"] = "x"
            $0["seals"] = seals
        }))
        cases.append(("/custody[0]/status", try mutated {
            var custody = $0["custody"] as! [JSON]
            custody[0]["status"] = "ok"
            $0["custody"] = custody
        }))
        var files = [String]()
        for (index, (_, text)) in cases.enumerated() {
            files.append(try folder.write("bad-\(index).json", text))
        }
        let extra = try folder.write("unknown-top-level.json", try mutated { $0["addedLater"] = ["anything": 1] })
        let check = try Self.checkSchema(files + [extra])
        XCTAssertEqual(check.status, 1, "\(check)")
        let lines = check.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, cases.count + 1, check.stdout)
        for (index, (place, _)) in cases.enumerated() {
            XCTAssertTrue(lines[index].hasPrefix("invalid \(files[index]): \(place):"), "\(lines[index]) should name \(place)")
        }
        XCTAssertEqual(lines.last, "ok \(extra)", "consumers ignore unknown top-level fields")
    }
}
