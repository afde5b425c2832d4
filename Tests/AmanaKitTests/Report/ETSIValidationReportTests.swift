@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// The ETSI TS 119 102-2 report of real vector bundles, validated by xmllint against the ETSI schema and read back by
/// another parser: it must be valid, and state the verification's verdicts, seal by seal.
final class ETSIValidationReportTests: XCTestCase {
    /// The control: DSS's own report validates with the same command, and a misspelt element does not, so a test
    /// below that sees "valid" has a validator that can say otherwise.
    func testDSSSampleValidatesAndAMisspeltElementDoesNot() throws {
        let check = try ETSISchemaCheck()
        let sample = check.folder.appendingPathComponent("vr.xml").path
        let good = try check.validates(sample)
        XCTAssertEqual(good.status, 0, "\(good)")
        let text = String(decoding: try readBytes(sample), as: UTF8.self)
        let misspelt = text.replacingOccurrences(of: "<ValidationTimeInfo>", with: "<ValidationTimeInformation>")
            .replacingOccurrences(of: "</ValidationTimeInfo>", with: "</ValidationTimeInformation>")
        XCTAssertNotEqual(misspelt, text)
        let bad = try check.validates(try check.write(Array(misspelt.utf8), "misspelt.xml"))
        XCTAssertNotEqual(bad.status, 0, "a misspelt element must not validate: \(bad)")
    }

    /// Writes, validates and reads back the report of `report`, and holds its indications to the verdict: the worst
    /// signature report's main indication is the verification's verdict.
    private func render(_ report: VerificationReport, _ check: ETSISchemaCheck) throws -> ETSIReadBack {
        let path = try check.write(try ETSIValidationReport.xml(for: report))
        let valid = try check.validates(path)
        XCTAssertEqual(valid.status, 0, "the report must validate against TS119102-2-v141.xsd: \(valid)")
        let read = try check.read(path)
        let verdicts = read.reports.compactMap { ETSIMainIndication(rawValue: $0.main)?.verdict }
        XCTAssertEqual(verdicts.count, read.reports.count, "every main indication is a known URI")
        let worst: Verdict = verdicts.contains(.totalFailed) ? .totalFailed
            : verdicts.contains(.indeterminate) ? .indeterminate : .totalPassed
        XCTAssertEqual(worst, report.verdict)
        for seal in report.seals ?? [] {
            let entry = try XCTUnwrap(read.reports.first { $0.id == "S-" + BundleLayout.sealStem(seal.number) })
            XCTAssertEqual(entry.main, ETSIValidationReport.indication(of: seal, in: report).rawValue)
            XCTAssertEqual(entry.validationTime, report.validationTime)
        }
        return read
    }

    func testPassingBundleIsTotalPassedWithTheTokenAsProofOfExistence() throws {
        let check = try ETSISchemaCheck()
        let report = try ETSIVectorCase.verify("timestamp", "valid")
        XCTAssertEqual(report.verdict, .totalPassed)
        XCTAssertEqual(report.sealEvidence[1]?.tokens.count, 1)
        // The evidence is package data: the JSON report is unchanged by it (no member, no base64).
        let json = String(decoding: try report.json(), as: UTF8.self)
        XCTAssertFalse(json.contains("sealEvidence") || json.contains("signatureFile"), json)
        let decoded = try JSONDecoder().decode(VerificationReport.self, from: Data(try report.json()))
        XCTAssertEqual(try decoded.json(), try report.json())
        XCTAssertTrue(decoded.sealEvidence.isEmpty)
        let read = try render(report, check)
        let seal = try XCTUnwrap(report.seals?.first)
        let token = try XCTUnwrap(seal.tokens.first)
        XCTAssertEqual(read.reports.count, 1)
        let entry = read.reports[0]
        XCTAssertEqual(entry.main, "urn:etsi:019102:mainindication:total-passed")
        XCTAssertEqual(entry.subs, [])
        XCTAssertEqual(entry.signer, "Vector Signer, Amana test vectors (Ed25519 key \(seal.signerKeyId))")
        XCTAssertEqual(entry.poeTime, token.genTime)
        XCTAssertNotEqual(entry.poeTime, report.validationTime)
        XCTAssertEqual(entry.poeObject, "T-0001-1")
        XCTAssertEqual(entry.trustAnchor, entry.signerKey, "a trusted key is its own anchor")

        // The signature value and key in the XML are the seal's: they verify over the statement as minisign's ED does.
        let folder = TestEnvironment.packageRoot.appendingPathComponent("fixtures/vectors/timestamp/valid/vector-bundle-1")
        let statement = try readBytes(folder.appendingPathComponent("seals/0001.seal").path)
        let signature = try XCTUnwrap(entry.signatureValue.flatMap { Base64.decode($0) })
        let keyObject = try XCTUnwrap(read.objects.first { $0.id == entry.signerKey })
        XCTAssertEqual(keyObject.type, "urn:etsi:019102:validationObject:publicKey")
        let spki = try XCTUnwrap(keyObject.base64.flatMap { Base64.decode($0) })
        XCTAssertEqual(spki.count, 44)
        XCTAssertTrue(Ed25519.isValid(signature: signature, message: Blake2b.hash(statement),
                                      publicKey: Array(spki.suffix(32))))

        // The token: its DER, its own passed report, and its chain to the TSA root, whose certificate objects exist.
        let tokenObject = try XCTUnwrap(read.objects.first { $0.id == "T-0001-1" })
        XCTAssertEqual(tokenObject.type, "urn:etsi:019102:validationObject:timestamp")
        XCTAssertEqual(tokenObject.main, "urn:etsi:019102:mainindication:passed")
        let der = try XCTUnwrap(tokenObject.base64.flatMap { Base64.decode($0) })
        let file = try readBytes(folder.appendingPathComponent(token.file).path)
        guard case .success(let parsed) = TimestampToken.parse(file) else { return XCTFail("the vector's token parses") }
        XCTAssertEqual(der, parsed.tokenBytes)
        XCTAssertEqual(tokenObject.signer, token.tsaName)
        XCTAssertEqual(tokenObject.facts["trusted"], "true")
        XCTAssertEqual(tokenObject.facts["qualified"], "false", "the vectors' TSA makes no qualified claim")
        XCTAssertEqual(tokenObject.facts["policy"], token.policy)
        XCTAssertEqual(tokenObject.facts["serialNumber"], token.serialNumber)
        XCTAssertGreaterThanOrEqual(tokenObject.chain.count, 2)
        let certificates = Set(read.objects.filter { $0.type == "urn:etsi:019102:validationObject:certificate" }.map(\.id))
        XCTAssertTrue(certificates.isSuperset(of: tokenObject.chain), "\(tokenObject.chain) in \(certificates)")
        XCTAssertTrue(certificates.contains("C-" + (token.tsaCertificateSHA256 ?? "").uppercased()))
    }

    func testTamperedPayloadIsTotalFailedWithHashFailure() throws {
        let check = try ETSISchemaCheck()
        let report = try ETSIVectorCase.verify("bundle", "payload-byte-flipped")
        XCTAssertEqual(report.verdict, .totalFailed)
        let read = try render(report, check)
        XCTAssertEqual(read.reports.count, 1)
        XCTAssertEqual(read.reports[0].main, "urn:etsi:019102:mainindication:total-failed")
        XCTAssertEqual(read.reports[0].subs, ["urn:etsi:019102:subindication:HASH_FAILURE"])
        XCTAssertTrue(read.reports[0].codes.contains("payload.digest.mismatch"), "\(read.reports[0].codes)")
        XCTAssertEqual(read.reports[0].poeTime, report.validationTime, "no token: the validation time is the best")
        XCTAssertNil(read.reports[0].poeObject)
    }

    func testUntrustedKeyIsIndeterminateWithNoChain() throws {
        let check = try ETSISchemaCheck()
        let report = try ETSIVectorCase.verify("timestamp", "valid", trustingKeys: false)
        XCTAssertEqual(report.verdict, .indeterminate)
        let read = try render(report, check)
        let entry = read.reports[0]
        XCTAssertEqual(entry.main, "urn:etsi:019102:mainindication:indeterminate")
        XCTAssertEqual(entry.subs, ["urn:etsi:019102:subindication:NO_CERTIFICATE_CHAIN_FOUND"])
        XCTAssertNil(entry.trustAnchor)
        XCTAssertNotNil(entry.signerKey)
        XCTAssertFalse(entry.signer?.contains("Vector Signer") ?? true, "a name only from a trusted key")
    }

    /// A token whose TSA signature was altered fails the seal's report (the verdict), but SIG_CRYPTO_FAILURE goes on
    /// the token's own report: the seal's signature is intact.
    func testBrokenTokenFailsTheSealAndAccusesOnlyTheToken() throws {
        let check = try ETSISchemaCheck()
        let report = try ETSIVectorCase.verify("timestamp", "signature-flipped")
        XCTAssertEqual(report.verdict, .totalFailed)
        let read = try render(report, check)
        XCTAssertEqual(read.reports[0].main, "urn:etsi:019102:mainindication:total-failed")
        XCTAssertEqual(read.reports[0].subs, [])
        XCTAssertTrue(read.reports[0].codes.contains("timestamp.signature.invalid"))
        XCTAssertEqual(read.reports[0].poeTime, report.validationTime, "a failed token proves no time")
        let token = try XCTUnwrap(read.objects.first { $0.id == "T-0001-1" })
        XCTAssertEqual(token.main, "urn:etsi:019102:mainindication:failed")
        XCTAssertEqual(token.subs, ["urn:etsi:019102:subindication:SIG_CRYPTO_FAILURE"])
    }

    func testUntrustedTSARootLeavesTheTokenIndeterminate() throws {
        let check = try ETSISchemaCheck()
        let report = try ETSIVectorCase.verify("timestamp", "root-unrelated")
        XCTAssertEqual(report.verdict, .indeterminate)
        let read = try render(report, check)
        XCTAssertEqual(read.reports[0].main, "urn:etsi:019102:mainindication:indeterminate")
        let token = try XCTUnwrap(read.objects.first { $0.id == "T-0001-1" })
        XCTAssertEqual(token.main, "urn:etsi:019102:mainindication:indeterminate")
        XCTAssertEqual(token.subs, ["urn:etsi:019102:subindication:NO_CERTIFICATE_CHAIN_FOUND"])
        XCTAssertEqual(token.chain, [], "no chain was validated")
        XCTAssertEqual(read.reports[0].poeTime, report.validationTime, "an untrusted token proves no time")
    }

    /// Three seals, the third re-signed with a wrong Previous-Seal: the first two pass, the third alone fails, with
    /// HASH_FAILURE (a digest the seal signs does not match).
    func testEachSealGetsItsOwnIndication() throws {
        let check = try ETSISchemaCheck()
        let report = try ETSIVectorCase.verify("seal", "previous-seal-wrong")
        XCTAssertEqual(report.verdict, .totalFailed)
        let read = try render(report, check)
        XCTAssertEqual(read.reports.map(\.id), ["S-0001", "S-0002", "S-0003"])
        XCTAssertEqual(read.reports.map(\.main), ["urn:etsi:019102:mainindication:total-passed",
                                                  "urn:etsi:019102:mainindication:total-passed",
                                                  "urn:etsi:019102:mainindication:total-failed"])
        XCTAssertEqual(read.reports[2].subs, ["urn:etsi:019102:subindication:HASH_FAILURE"])
        XCTAssertEqual(read.reports[0].subs, [])
    }

    /// A keyring revoking the signer's key before the seal's claimed time: REVOKED, from the keyring's own fields.
    func testKeyRevokedBeforeTheClaimIsRevoked() throws {
        let check = try ETSISchemaCheck()
        let report = try ETSIVectorCase.verify("seal", "keyring-revoked-before")
        XCTAssertEqual(report.verdict, .totalFailed)
        let read = try render(report, check)
        XCTAssertEqual(read.reports[0].subs, ["urn:etsi:019102:subindication:REVOKED"])
        XCTAssertEqual(Set(read.reports[0].codes), ["custody.actor.validity", "seal.key.validity",
                                                    "seal.time.claimed-only"])
    }

    func testBundleWithoutSealsGivesOneUnidentifiedReport() throws {
        let check = try ETSISchemaCheck()
        let report = try ETSIVectorCase.verify("seal", "seals-removed")
        XCTAssertEqual(report.verdict, .totalFailed)
        let read = try render(report, check)
        XCTAssertEqual(read.reports.count, 1)
        XCTAssertNil(read.reports[0].id)
        XCTAssertEqual(read.reports[0].main, "urn:etsi:019102:mainindication:total-failed")
        XCTAssertTrue(read.reports[0].codes.contains("seal.missing"))
        XCTAssertEqual(read.objects.count, 0)
    }

    /// Names from trust inputs and tokens, and any string a report carries, are escaped; characters XML 1.0 cannot
    /// hold become U+FFFD. The document stays valid and reads back as written.
    func testHostileStringsAreEscaped() throws {
        let check = try ETSISchemaCheck()
        let hostile = "</Signer><x a=\"1\">&amp; 'q' \u{01}\u{1B}\u{FFFE} ]]> tab\tcr\rnl\n مرحبا"
        let readable = "</Signer><x a=\"1\">&amp; 'q' \u{FFFD}\u{FFFD}\u{FFFD} ]]> tab\tcr\rnl\n مرحبا"
        var report = VerificationReport(
            subject: .init(path: "b.tar", kind: "tar", bundleId: "b"),
            findings: [Finding("x.\"<&>'\u{02}", .warning, subject: hostile, message: hostile),
                       Finding("seal.signature", .passed, subject: "seals/0001.seal.minisig", message: hostile)],
            trusted: [], validationTime: Date(timeIntervalSince1970: 1_800_000_000))
        let key = VerificationReport.TrustedKeyInfo(keyId: "E631EC1F11C651C1", name: hostile, organization: hostile,
                                                    source: hostile)
        var token = ReportToken(file: "seals/0001.seal.minisig.tsr", status: .warning, info: nil)
        token.tsaName = hostile
        token.tsaCertificateSHA256 = String(repeating: "ab", count: 32)
        token.genTime = "2026-01-01T00:00:00.5Z"
        token.policy = "1.2.3.4"
        token.qualified = true
        token.qualifiedStatementIn = ["certificate"]
        token.qcStatements = ["0.4.0.1862.1.1", "0.4.0.19422.1.1"]
        token.qcCompliance = true
        var seal = VerificationReport.SealResult(number: 1, signerKeyId: "E631EC1F11C651C1",
                                                 claimedTime: "2026-01-01T00:00:00Z", status: .passed, signedBy: key)
        seal.signerName = hostile
        seal.signerOrganization = hostile
        seal.tokens = [token]
        report.seals = [seal]
        let vector = TestEnvironment.packageRoot.appendingPathComponent("fixtures/vectors/timestamp/valid")
        let signer = try PublicKey(minisignFile: try readBytes(vector.appendingPathComponent("trust/signer.pub").path))
        let statement = try readBytes(vector.appendingPathComponent("vector-bundle-1/seals/0001.seal").path)
        report.sealEvidence = [1: SealEvidence(statementSHA256: Array(repeating: 7, count: 32), statement: statement,
                                               tokens: [token.file: Array("not a token <&>".utf8)])]
        let read = try render(report, check)
        XCTAssertEqual(read.reports[0].signer, "\(readable), \(readable) (Ed25519 key E631EC1F11C651C1)")
        XCTAssertEqual(read.reports[0].signerKey, "K-" + Hex.encode(signer.rawKey).uppercased())
        XCTAssertNil(read.reports[0].signatureValue, "no signature file, no SignatureValue")
        XCTAssertEqual(read.reports[0].codes, ["x.\"<&>'\u{FFFD}"])
        let object = try XCTUnwrap(read.objects.first { $0.id == "T-0001-1" })
        XCTAssertEqual(object.signer, readable)
        XCTAssertEqual(object.main, "urn:etsi:019102:mainindication:passed", "a warning is no failure")
        XCTAssertEqual(object.qcStatements, ["0.4.0.1862.1.1", "0.4.0.19422.1.1"])
        XCTAssertEqual(object.facts, ["file": "seals/0001.seal.minisig.tsr", "trusted": "false", "qualified": "true",
                                      "qcCompliance": "true", "qualifiedStatementIn": "certificate", "policy": "1.2.3.4"])
        XCTAssertEqual(object.base64.flatMap { Base64.decode($0) }, Array("not a token <&>".utf8),
                       "a file that is no token is given as stored")
    }
}
