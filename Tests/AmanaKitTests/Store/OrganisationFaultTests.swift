import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit
#if canImport(Glibc)
import Glibc
#endif

/// Faults under real `amana ingest` processes writing to an organisation store (PostgreSQL and radosgw, made with
/// `amana store init --catalog --objects`): each test asserts that no data is lost and that nothing is recorded as
/// stored that boto3 does not find in the bucket at its version with the right SHA-256 (spec/store.md, "Crash
/// guarantees"). The processes stop at exact moments through the test-only pauses of ``S3UploadFaultHooks``
/// (honoured with `AMANA_TEST_HOOKS=1` only), never after a guessed sleep.
final class OrganisationFaultTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var keyPath: String!

    override func setUpWithError() throws {
        _ = try TestServices.s3()
        _ = try TestServices.postgres()
        folder = TemporaryFolder("amana-orgfaults")
        keyPath = folder.file("station")
        let made = try amana(["keygen", "--output", keyPath, "--name", "Station Keeper", "--unencrypted"])
        XCTAssertEqual(made.status, 0, "\(made)")
        keyPath += ".key"
    }

    override func tearDown() {
        folder = nil
        super.tearDown()
    }

    /// `size` bytes that no other label gives: a 1 MiB random block, each MiB of it stamped with the label and its
    /// index (fast to make, even at 17 MiB, in a debug build).
    private func content(_ label: String, size: Int) -> [UInt8] {
        let block = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(size)
        var index = 0
        while bytes.count < size {
            bytes += Array("\(label) \(index)\n".utf8) + block
            index += 1
        }
        return Array(bytes.prefix(size))
    }

    private func sha256(_ bytes: [UInt8]) -> String { MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex }

    /// SIGKILL while a 17 MiB file is uploaded in three parts (8, 8 and 1 MiB), once part 1 is acknowledged and part 2
    /// is on the wire: nothing of the half object is recorded (no catalog row, no ledger event) and S3 has no version
    /// of it, only the incomplete upload. The killed station's claim goes stale; the rerun takes it over, aborts the
    /// incomplete upload of that exact key before it uploads again (``S3ObjectStore/put``), and completes: the
    /// store is then whole.
    func testAnIngestKilledDuringAMultipartUploadRecordsNothingOfItAndTheRerunCompletesAndAbortsIt() throws {
        let store = try OrganisationStoreFixture(self, folder: folder, keyPath: keyPath, label: "killed")
        let station = try store.addStation()
        let small = content("small", size: 40_000), big = content("big", size: 17 << 20)
        try folder.write("killed-input/1-small.bin", small)
        try folder.write("killed-input/2-big.bin", big)
        let input = folder.file("killed-input"), pause = folder.file("killed-pause")
        let running = try store.start(store.ingestArguments([input], station: station, caseID: "C"),
                                      environment: ["AMANA_TEST_PAUSE_UPLOAD_AT_BYTE": "\((16 << 20) + 1):\(pause)"])
        guard running.waitFor(pause) else {
            running.kill()
            return XCTFail("the upload never reached its third part: \(try running.finish())")
        }
        // What the server holds at the moment of the kill: an upload begun and not completed.
        XCTAssertEqual(try store.s3View().uploads.map(\.key), [store.objectKey(sha256(big))])
        running.kill()
        let killed = try running.finish()
        XCTAssertTrue(running.killedBySignal, "\(killed)")

        let after = try store.catalog()
        XCTAssertEqual(after.items.map(\.sha256), [sha256(small)], "only the small file is recorded")
        XCTAssertFalse(after.records.contains { $0.sha256 == sha256(big) }, "no event names the half object")
        XCTAssertEqual(after.claims, 1, "the killed station's claim is left")
        let view = try store.s3View(reading: after.items)
        XCTAssertNil(view.versions[store.objectKey(sha256(big))], "no completed version of the half object")
        XCTAssertEqual(view.uploads.map(\.key), [store.objectKey(sha256(big))], "its incomplete upload is still there")
        XCTAssertEqual(view.reads.map(\.sha256), [sha256(small)], "the recorded object is there at its version")

        // A claim goes stale when its heartbeat stops for a minute (PostgresUploadClaims.staleAfter): the minute is
        // aged here rather than waited for.
        try TestServices.psql("UPDATE claims SET heartbeat_at = heartbeat_at - interval '1 hour'",
                              database: store.database.name)
        let rerun = try store.ingest([input], station: station, caseID: "C")
        XCTAssertEqual(rerun.status, 0, "\(rerun)")
        // The small file's second acquisition is a duplicate (the rerun shortcut); the big one is new, once.
        try store.checkWhole(contents: [sha256(small): small.count, sha256(big): big.count], acquisitions: 3)
    }

    /// radosgw stopped while an ingest runs, just before it uploads its fifth file: the ingest stops with one clear
    /// `amana: error: s3: cannot reach ...` line and a non-zero exit; the four files recorded before are each in S3
    /// at their recorded version with the right SHA-256, and nothing else is recorded. After radosgw is back, the
    /// rerun completes the job.
    func testRadosgwStoppedMidIngestIsOneClearErrorNothingUnstoredIsRecordedAndARerunCompletes() throws {
        guard let paused = try ingestPausedBeforeItsFifthUpload("rgwstop", files: 10) else { return }
        let (store, station, contents, input, pause, running) = paused
        var stopped = false
        defer { if stopped { try? TestServices.startRadosgw() } }
        try TestServices.stopRadosgw()
        stopped = true
        unlink(pause)
        let result = try running.finish()
        try TestServices.startRadosgw()
        stopped = false

        print("the ingest radosgw stopped under said (exit \(result.status)): \(result.stderr)")
        XCTAssertFalse(running.killedBySignal, "\(result)")
        XCTAssertNotEqual(result.status, 0, "\(result)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("amana: error: ") }
        XCTAssertEqual(errors.count, 1, result.stderr)
        XCTAssertTrue(errors.first?.hasPrefix("amana: error: s3: cannot reach \(store.s3.endpoint): ") ?? false,
                      result.stderr)
        XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)
        XCTAssertFalse(result.stderr.contains(store.s3.secretKey), "no secret in the error")

        let after = try store.catalog()
        XCTAssertEqual(after.items.count, 4, "the four files stored before the stop, and nothing more")
        XCTAssertEqual(after.claims, 0, "the failed file's claim was released")
        let view = try store.s3View(reading: after.items)
        for item in after.items {
            XCTAssertEqual(view.versions[store.objectKey(item.sha256)], item.versionID.map { [$0] },
                           "\(item.sha256) is in S3 at its recorded version")
        }
        for read in view.reads {
            XCTAssertNil(read.error, "\(read.key): \(read.error ?? "")")
            XCTAssertEqual(read.sha256, String(read.key.split(separator: "/").last ?? ""))
        }

        let rerun = try store.ingest([input], station: station, caseID: "C")
        XCTAssertEqual(rerun.status, 0, "\(rerun)")
        // 4 acquisitions before the stop; the rerun records all 10 again (4 as duplicates).
        try store.checkWhole(contents: contents, acquisitions: 14)
    }

    /// PostgreSQL restarted while an ingest runs (held before its fifth upload, between two appends): the session
    /// finds its connection closed outside a transaction and opens a new one (``PostgresSession``), so the ingest
    /// completes with exit 0, and the store is whole: one version per object in S3, the recorded one, and a gapless
    /// ledger. (A connection lost inside an append's transaction is one clear error and commits nothing instead:
    /// PostgresRobustnessTests.)
    func testAPostgresRestartBetweenAppendsIsSurvivedAndTheStoreIsWhole() throws {
        guard let paused = try ingestPausedBeforeItsFifthUpload("pgrestart", files: 8) else { return }
        let (store, contents, pause, running) = (paused.store, paused.contents, paused.pause, paused.running)
        XCTAssertEqual(try store.catalog().items.count, 4, "four files recorded before the restart")
        try TestServices.restartPostgres()
        unlink(pause)
        let result = try running.finish()
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertEqual(result.stderr, "", "no error, no warning")
        try store.checkWhole(contents: contents, acquisitions: 8)
    }

    /// A new store with one station and `files` small distinct inputs, and an ingest of them started and held
    /// before its fifth upload (`AMANA_TEST_PAUSE_BEFORE_UPLOAD`): unlink `pause` to let it go on. Nil (after a
    /// failure is recorded) when the ingest never got there.
    private func ingestPausedBeforeItsFifthUpload(_ label: String, files: Int) throws
        -> (store: OrganisationStoreFixture, station: String, contents: [String: Int], input: String, pause: String,
            running: RunningAmana)? {
        let store = try OrganisationStoreFixture(self, folder: folder, keyPath: keyPath, label: label)
        let station = try store.addStation()
        var contents = [String: Int]()
        for number in 0..<files {
            let bytes = content("\(label) \(number)", size: 20_000 + number)
            try folder.write("\(label)-input/file-\(number).bin", bytes)
            contents[sha256(bytes)] = bytes.count
        }
        let input = folder.file("\(label)-input"), pause = folder.file("\(label)-pause")
        let running = try store.start(store.ingestArguments([input], station: station, caseID: "C"),
                                      environment: ["AMANA_TEST_PAUSE_BEFORE_UPLOAD": "5:\(pause)"])
        guard running.waitFor(pause) else {
            running.kill()
            XCTFail("the ingest never reached its fifth upload: \(try running.finish())")
            return nil
        }
        return (store, station, contents, input, pause, running)
    }
}
