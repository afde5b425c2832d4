import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// Four `amana ingest` processes started at once into one store, with overlapping inputs (each of four folders holds
/// the same 8 files and 4 of its own), for both back ends: a local store (SQLite catalog, ledger file, objects
/// folder), where the writers take the store's lock in turn, and an organisation store (PostgreSQL and radosgw, four
/// station folders joined with `amana store init`), where they write at the same time and the database's claims and
/// advisory lock keep them apart. Afterwards every content is stored once and recorded as one `new` acquisition and
/// as duplicates for the rest, the ledger is gapless and `store log` audits it clean, `store verify` passes, and the
/// catalog agrees with what the objects' storage holds.
final class ConcurrentIngestProcessTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var keyPath: String!

    override func setUpWithError() throws {
        folder = TemporaryFolder("amana-concurrent")
        keyPath = folder.file("station")
        let made = try amana(["keygen", "--output", keyPath, "--name", "Station Keeper", "--unencrypted"])
        XCTAssertEqual(made.status, 0, "\(made)")
        keyPath += ".key"
    }

    override func tearDown() {
        folder = nil
        super.tearDown()
    }

    /// Deterministic content: `label` repeated to `size` bytes.
    private func content(_ label: String, size: Int) -> [UInt8] {
        let unit = Array((label + "\n").utf8)
        return (0..<size).map { unit[$0 % unit.count] }
    }

    /// Four input folders: 8 files the same in each (named to come first, so the processes reach the same content
    /// at about the same time) and 4 of each folder's own. Returns the folders and each content's size by SHA-256.
    private func inputs(_ label: String) throws -> (folders: [String], contents: [String: Int]) {
        var contents = [String: Int]()
        var folders = [String]()
        for station in 0..<4 {
            for number in 0..<8 {
                let bytes = content("\(label) shared \(number)", size: 1_000 + number * 9_000)
                try folder.write("\(label)-input-\(station)/0-shared-\(number).bin", bytes)
                contents[MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex] = bytes.count
            }
            for number in 0..<4 {
                let bytes = content("\(label) own \(station) \(number)", size: 2_000 + number * 7_000)
                try folder.write("\(label)-input-\(station)/1-own-\(number).bin", bytes)
                contents[MultiDigest.digests(of: bytes, [.sha256])[.sha256]!.hex] = bytes.count
            }
            folders.append(folder.file("\(label)-input-\(station)"))
        }
        XCTAssertEqual(contents.count, 8 + 4 * 4)
        return (folders, contents)
    }

    /// Runs the four ingests at once; each must exit 0.
    private func ingestAtOnce(_ arguments: @escaping @Sendable (Int) -> [String], environment: [String: String]) {
        let results = Locked([String?](repeating: nil, count: 4))
        DispatchQueue.concurrentPerform(iterations: 4) { station in
            let outcome: String
            do {
                let run = try amana(arguments(station), environment: environment)
                outcome = run.status == 0 ? "ok" : "\(run)"
            } catch {
                outcome = "\(error)"
            }
            results.withLock { $0[station] = outcome }
        }
        for (station, result) in results.value.enumerated() {
            XCTAssertEqual(result, "ok", "station \(station)")
        }
    }

    func testFourIngestProcessesIntoOneLocalStore() throws {
        let (folders, contents) = try inputs("local")
        let store = folder.file("local-store")
        let made = try amana(["store", "init", store, "--key", keyPath])
        XCTAssertEqual(made.status, 0, "\(made)")
        let keyPath = self.keyPath!
        ingestAtOnce({ ["ingest", folders[$0], "--store", store, "--case", "CASE-\($0)", "--collector", "Station \($0)",
                        "--key", keyPath] }, environment: [:])

        // The ledger file, read as any reader would: gapless, one `new` per content, the rest duplicates.
        let lines = try readBytes(store + "/ledger/events.jsonl").split(separator: UInt8(ascii: "\n")).map(Array.init)
        let events = try lines.map { try CustodyEvent(line: $0) }
        XCTAssertEqual(events.map(\.seq), Array(1...events.count), "the ledger is gapless")
        let records = events.compactMap { AcquisitionRecord(seq: $0.seq, event: $0) }
        XCTAssertEqual(records.count, 48, "every acquisition recorded once")
        let news = Dictionary(grouping: records.filter { $0.outcome == .new }, by: \.sha256).mapValues(\.count)
        XCTAssertEqual(news, contents.mapValues { _ in 1 }, "one new event per content")
        XCTAssertEqual(records.filter { $0.outcome == .duplicate }.count, 48 - contents.count)

        // The objects folder holds each content once, under its name, and the catalog agrees with it.
        var stored = Set<String>()
        let objects = LocalObjectStore(layout: StoreLayout(root: store))
        try objects.forEachObject { stored.insert($0) }
        XCTAssertEqual(stored, Set(contents.keys), "every object once, and nothing else")
        let opened = try EvidenceStore.open(store, writing: false)
        let items = try opened.catalog.items(caseID: nil)
        XCTAssertEqual(Set(items.map(\.sha256)), Set(contents.keys), "the catalog names exactly the stored objects")
        XCTAssertEqual(items.count, contents.count)

        let log = try amana(["store", "log", "--store", store])
        XCTAssertEqual(log.status, 0, "\(log)")
        XCTAssertTrue(log.stdout.contains("\(events.count) events and "), log.stdout)
        let verify = try amana(["store", "verify", "--store", store])
        XCTAssertEqual(verify.status, 0, "\(verify)")
        XCTAssertTrue(verify.stdout.contains("checked \(contents.count) objects"), verify.stdout)
    }

    func testFourStationsIngestingAtOnceIntoOneOrganisationStore() throws {
        let store = try OrganisationStoreFixture(self, folder: folder, keyPath: keyPath, label: "org")
        for _ in 0..<4 { try store.addStation() }
        let (folders, contents) = try inputs("org")
        let stations = store.stations
        let arguments: @Sendable (Int) -> [String] = { [keyPath = self.keyPath!] station in
            ["ingest", folders[station], "--store", stations[station], "--case", "CASE-\(station)",
             "--collector", "Station \(station)", "--key", keyPath]
        }
        ingestAtOnce(arguments, environment: store.environment)
        try store.checkWhole(contents: contents, acquisitions: 48)
    }
}
