@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// An encrypted bundle (`B.tar.age`) read without its plaintext touching the disk: `verify`, `inspect`,
/// `custody show` and `custody receive` with `--identity`; and the `exported` event of `encrypt --key`.
final class EncryptedBundleCLITests: XCTestCase {
    /// A sealed bundle with a 24 MiB payload file (so a plaintext copy would be plain to see), a hybrid age key pair,
    /// and the bundle encrypted to it.
    struct Setup {
        let fixture: CLIFixture
        let bundle: String
        let encrypted: String
        let identity: String
        let recipient: String
    }

    private func makeSetup(payloadMiB: Int = 24) throws -> Setup {
        let fixture = try CLIFixture()
        let folder = fixture.folder
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: payloadMiB << 20)
        for i in stride(from: 0, to: bytes.count, by: 8) {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.replaceSubrange(i..<min(i + 8, bytes.count), with: $0.prefix(bytes.count - i)) }
        }
        let media = try folder.write("interview.bin", bytes)
        let bundle = folder.file("bundle.tar")
        var result = try amana(["seal", media, "--key", fixture.key, "--output", bundle, "--case", "TEST-ENC"])
        XCTAssertEqual(result.status, 0, "\(result)")
        unlink(media)
        result = try amana(["keygen", "--age", "--pq", "--output", folder.file("partner")])
        XCTAssertEqual(result.status, 0, "\(result)")
        let recipient = try String(contentsOfFile: folder.file("partner.agepub"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let encrypted = folder.file("bundle.tar.age")
        result = try amana(["encrypt", bundle, "--to", recipient, "--output", encrypted])
        XCTAssertEqual(result.status, 0, "\(result)")
        return Setup(fixture: fixture, bundle: bundle, encrypted: encrypted, identity: folder.file("partner.agekey"),
                     recipient: recipient)
    }

    /// Sizes of every file under `folders`, by path.
    private static func sizes(_ folders: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        for folder in folders {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            while let name = walker.nextObject() as? String {
                let path = folder + "/" + name
                if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int { out[path] = size }
            }
        }
        return out
    }

    /// Runs amana with TMPDIR set to a fresh folder while another thread watches that folder and `beside` every few
    /// milliseconds; returns the result and every file that appeared or grew while it ran.
    private func runWatching(_ arguments: [String], beside: String) throws -> (RunResult, [String]) {
        let tmp = TemporaryFolder("amana-tmpdir")
        let folders = [tmp.url.path, beside]
        let before = EncryptedBundleCLITests.sizes(folders)
        let grown = LockedList()
        let done = LockedFlag()
        let watcher = Thread {
            while !done.value {
                for (path, size) in EncryptedBundleCLITests.sizes(folders) where size > (before[path] ?? -1) {
                    grown.append("\(path) (\(size) bytes)")
                }
                usleep(2_000)
            }
        }
        watcher.start()
        let result = try amana(arguments, environment: ["TMPDIR": tmp.url.path])
        done.set()
        while !watcher.isFinished { usleep(1_000) }
        for (path, size) in EncryptedBundleCLITests.sizes(folders) where size > (before[path] ?? -1) {
            grown.append("\(path) (\(size) bytes, after)")
        }
        return (result, grown.items)
    }

    private static func outcome(_ json: String) throws -> (verdict: String, findings: [String]) {
        let report = try JSONDecoder().decode(CLIFixture.Report.self, from: Data(json.utf8))
        return (report.verdict, report.findings.map { "\($0.status) \($0.code)" }.sorted())
    }

    func testVerifyWithIdentityWritesNothingAndGivesThePlaintextVerdict() throws {
        let s = try makeSetup()
        let folder = s.fixture.folder.url.path
        let plain = try amana(["verify", s.bundle, "--json", "--trust", s.fixture.pub])
        XCTAssertEqual(plain.status, 0, "\(plain)")
        let (result, grown) = try runWatching(["verify", s.encrypted, "--identity", s.identity, "--trust", s.fixture.pub, "--json"],
                                              beside: folder)
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(grown, [], "a file appeared or grew during verification")
        let a = try EncryptedBundleCLITests.outcome(plain.stdout), b = try EncryptedBundleCLITests.outcome(result.stdout)
        XCTAssertEqual(a.verdict, "TOTAL-PASSED")
        XCTAssertEqual(b.verdict, a.verdict)
        XCTAssertEqual(b.findings, a.findings)

        // Untrusted signer: the same INDETERMINATE verdict both ways.
        // The watch can fail: decrypting to a file beside the input is seen.
        let (control, seen) = try runWatching(["decrypt", s.encrypted, "--identity", s.identity,
                                               "--output", s.fixture.folder.file("control.tar")], beside: folder)
        XCTAssertEqual(control.status, 0, "\(control)")
        XCTAssertTrue(seen.contains { $0.contains("control.tar") }, "the watcher missed a 24 MiB plaintext: \(seen)")

        let plainUntrusted = try amana(["verify", s.bundle, "--json"])
        let encryptedUntrusted = try amana(["verify", s.encrypted, "--identity", s.identity, "--json"])
        XCTAssertEqual(plainUntrusted.status, 2, "\(plainUntrusted)")
        XCTAssertEqual(encryptedUntrusted.status, 2, "\(encryptedUntrusted)")
        XCTAssertEqual(try EncryptedBundleCLITests.outcome(encryptedUntrusted.stdout).findings,
                       try EncryptedBundleCLITests.outcome(plainUntrusted.stdout).findings)
    }

    func testTamperedPlaintextInsideIsFailedLikeThePlaintext() throws {
        let s = try makeSetup(payloadMiB: 1)
        let folder = s.fixture.folder
        // Change one payload byte in the tar, then encrypt that: age authenticates, the seal does not.
        var tar = try readBytes(s.bundle)
        guard let at = tar.indices.dropFirst(4096).first(where: { tar[$0] != 0 }) else { return XCTFail("no payload byte") }
        tar[at] ^= 0x01
        let changed = try folder.write("changed.tar", tar)
        XCTAssertEqual(try amana(["encrypt", changed, "--to", s.recipient, "--output", folder.file("changed.tar.age")]).status, 0)
        let plain = try amana(["verify", changed, "--json", "--trust", s.fixture.pub])
        let encrypted = try amana(["verify", folder.file("changed.tar.age"), "--identity", s.identity, "--json",
                                   "--trust", s.fixture.pub])
        XCTAssertEqual(plain.status, 1, "\(plain)")
        XCTAssertEqual(encrypted.status, 1, "\(encrypted)")
        XCTAssertEqual(try EncryptedBundleCLITests.outcome(encrypted.stdout).findings,
                       try EncryptedBundleCLITests.outcome(plain.stdout).findings)
    }

    func testWrongIdentityAndDamagedCiphertextGiveOneErrorLine() throws {
        let s = try makeSetup(payloadMiB: 1)
        let folder = s.fixture.folder
        XCTAssertEqual(try amana(["keygen", "--age", "--output", folder.file("other")]).status, 0)
        var result = try amana(["verify", s.encrypted, "--identity", folder.file("other.agekey"), "--trust", s.fixture.pub])
        XCTAssertEqual(result.status, 77, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: no identity given opens this file\n"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").filter { $0.hasPrefix("amana: error:") }.count, 1, result.stderr)
        XCTAssertEqual(result.stdout, "")

        var damaged = try readBytes(s.encrypted)
        damaged[damaged.count / 2] ^= 0x40
        let damagedPath = try folder.write("damaged.tar.age", damaged)
        for verb in [["verify"], ["inspect"], ["custody", "show"]] {
            result = try amana(verb + [damagedPath, "--identity", s.identity])
            XCTAssertEqual(result.status, 65, "\(verb): \(result)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(verb): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("amana: error: the encrypted payload is damaged"), result.stderr)
        }

        // Without --identity, the finding names the file for what it is and says how to read it.
        result = try amana(["verify", s.encrypted, "--trust", s.fixture.pub])
        XCTAssertEqual(result.status, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("archive.format.invalid"), result.stdout)
        XCTAssertTrue(result.stdout.contains("an age-encrypted file (give --identity to read the bundle inside)"), result.stdout)

        // A plaintext tar given with --identity is not an age file: said so, not verified as something else.
        result = try amana(["verify", s.bundle, "--identity", s.identity])
        XCTAssertEqual(result.status, 65, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: not a valid age file"), result.stderr)
    }

    func testInspectAndCustodyShowReadTheEncryptedBundle() throws {
        let s = try makeSetup(payloadMiB: 1)
        let plainInspect = try amana(["inspect", s.bundle, "--json"])
        let (inspect, grown) = try runWatching(["inspect", s.encrypted, "--identity", s.identity, "--json"],
                                               beside: s.fixture.folder.url.path)
        XCTAssertEqual(inspect.status, 0, "\(inspect)")
        XCTAssertEqual(grown, [])
        XCTAssertEqual(inspect.stdout, plainInspect.stdout)

        let plainShow = try amana(["custody", "show", s.bundle, "--trust", s.fixture.pub])
        let show = try amana(["custody", "show", s.encrypted, "--identity", s.identity, "--trust", s.fixture.pub])
        XCTAssertEqual(show.status, 0, "\(show)")
        XCTAssertEqual(show.stdout, plainShow.stdout)
        XCTAssertTrue(show.stdout.contains("verdict: TOTAL-PASSED"), show.stdout)
    }

    func testCustodyReceiveRecordsTheCiphertextDigest() throws {
        let s = try makeSetup(payloadMiB: 1)
        let folder = s.fixture.folder
        XCTAssertEqual(try amana(["keygen", "--output", folder.file("archive"), "--unencrypted"]).status, 0)
        var result = try amana(["custody", "receive", s.encrypted, "--identity", s.identity, "--key", folder.file("archive.key"),
                                "--trust", s.fixture.pub, "--output", folder.file("received.tar")])
        XCTAssertEqual(result.status, 0, "\(result)")
        result = try amana(["custody", "show", folder.file("received.tar"), "--json", "--trust", s.fixture.pub,
                            "--trust", folder.file("archive.pub")])
        XCTAssertEqual(result.status, 0, "\(result)")
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let events = document?["events"] as? [[String: Any]] ?? []
        let received = events.first { $0["action"] as? String == "received" }
        let details = received?["details"] as? [String: String]
        let expected = MultiDigest.digests(of: try readBytes(s.encrypted), [.sha256])[.sha256]!.hex
        XCTAssertEqual(details?["ciphertextSHA256"], expected, "\(events)")
        XCTAssertEqual(details?["verdict"], "TOTAL-PASSED")
        XCTAssertFalse(folder.listing().contains { $0.hasPrefix(".amana-partial") }, "\(folder.listing())")

        // Replacing the encrypted file by its plaintext under the same name is refused.
        let before = try readBytes(s.encrypted)
        result = try amana(["custody", "receive", s.encrypted, "--identity", s.identity, "--key", folder.file("archive.key"),
                            "--trust", s.fixture.pub, "--in-place"])
        XCTAssertEqual(result.status, 64, "\(result)")
        XCTAssertTrue(result.stderr.hasPrefix("amana: error: --in-place would replace the encrypted bundle"), result.stderr)
        XCTAssertEqual(try readBytes(s.encrypted), before)

        // A plaintext receive records no ciphertext digest.
        result = try amana(["custody", "receive", s.bundle, "--key", folder.file("archive.key"), "--trust", s.fixture.pub,
                            "--output", folder.file("received-plain.tar")])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertFalse(try amana(["custody", "show", folder.file("received-plain.tar"), "--json"]).stdout.contains("ciphertextSHA256"))
    }

    func testEncryptWithKeyRecordsAnExportedEventNamingTheRecipients() throws {
        let s = try makeSetup(payloadMiB: 1)
        let folder = s.fixture.folder
        let original = try readBytes(s.bundle)
        XCTAssertEqual(try amana(["keygen", "--age", "--output", folder.file("second")]).status, 0)
        let second = try String(contentsOfFile: folder.file("second.agepub"), encoding: .utf8).trimmingCharacters(in: .newlines)
        var result = try amana(["encrypt", s.bundle, "--to", s.recipient, "--to", second, "--key", s.fixture.key,
                                "--role", "documenter", "--output", folder.file("export.tar.age")])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("recorded exported, sealed"), result.stdout)
        XCTAssertFalse(result.stdout.contains("no custody event"), result.stdout)
        XCTAssertEqual(try readBytes(s.bundle), original, "the input bundle must not change")
        XCTAssertFalse(folder.listing().contains { $0.hasPrefix(".amana-partial") }, "\(folder.listing())")

        result = try amana(["custody", "show", folder.file("export.tar.age"), "--identity", folder.file("second.agekey"),
                            "--json", "--trust", s.fixture.pub])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertFalse(result.stdout.contains("AGE-SECRET-KEY"), "an identity leaked into the log")
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let events = document?["events"] as? [[String: Any]] ?? []
        XCTAssertEqual(events.compactMap { $0["action"] as? String }.suffix(2), ["exported", "sealed"])
        let details = events.first { $0["action"] as? String == "exported" }?["details"] as? [String: String]
        XCTAssertEqual(details?["recipients"], "\(s.recipient) \(second)")
        XCTAssertEqual(details?["format"], "age-v1")

        // Without --key nothing is appended, and the command says so.
        result = try amana(["encrypt", s.bundle, "--to", second, "--output", folder.file("plain-export.age")])
        XCTAssertTrue(result.stdout.contains("no custody event was appended"), result.stdout)
        XCTAssertEqual(try amana(["decrypt", folder.file("plain-export.age"), "--identity", folder.file("second.agekey"),
                                  "--output", folder.file("back.tar")]).status, 0)
        XCTAssertEqual(try readBytes(folder.file("back.tar")), original)
    }
}

extension EncryptedBundleCLITests {
    /// `encrypt --key` works on a plaintext copy; it is made beside the input, never on the medium that receives the
    /// ciphertext, so that a kill cannot leave the plaintext there (encryption.md section 5.1).
    func testEncryptWithKeyNeverWritesPlaintextBesideTheOutput() throws {
        let s = try makeSetup(payloadMiB: 8)
        let stick = TemporaryFolder("amana-stick")
        let output = stick.file("export.tar.age")
        let (result, grown) = try runWatching(["encrypt", s.bundle, "--to", s.recipient, "--key", s.fixture.key,
                                               "--output", output], beside: stick.url.path)
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertFalse(grown.isEmpty, "the watcher saw nothing, not even the output")
        // The ciphertext itself is written to a temporary name (AtomicOutput) and renamed; nothing else may appear.
        let ciphertextTemporary = stick.url.path + "/.amana-partial-export.tar.age."
        XCTAssertEqual(grown.filter { !$0.hasPrefix(output + " ") && !$0.hasPrefix(ciphertextTemporary) }, [],
                       "a file other than the ciphertext appeared beside the output")
        XCTAssertFalse(s.fixture.folder.listing().contains { $0.hasPrefix(".amana-partial") }, "\(s.fixture.folder.listing())")
        XCTAssertEqual(try amana(["verify", output, "--identity", s.identity, "--trust", s.fixture.pub]).status, 0)
    }
}

/// A list several threads append to.
final class LockedList: Sendable {
    private let storage = Locked([String]())
    func append(_ item: String) { storage.withLock { if !$0.contains(item) { $0.append(item) } } }
    var items: [String] { storage.value }
}

/// A flag set once, read from another thread.
final class LockedFlag: Sendable {
    private let storage = Locked(false)
    func set() { storage.set(true) }
    var value: Bool { storage.value }
}
