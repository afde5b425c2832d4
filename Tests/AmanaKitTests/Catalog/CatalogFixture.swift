import Foundation
@testable import AmanaKit

/// A small, real ledger for the catalog tests: signed, chained events of every kind the catalog indexes (new and
/// duplicate acquisitions, one with a derived metadata record, one recognised by identity, a seal, a scrub, a note),
/// with NULLs, quotes, non-ASCII text and numbers past 2^31, so both back ends are held to the same text forms.
struct CatalogFixture {
    static let storeID = "0f5e3c1a-5b2d-4a47-9d1e-6f1b7a9c2e10"

    let key: SecretKey
    let entries: [(seq: Int, event: CustodyEvent, line: [UInt8])]

    /// Content digests that look real (hex of the right length), derived from a label.
    static func digests(_ label: String) -> (sha256: String, sha512: String) {
        let digests = MultiDigest.digests(of: Array(label.utf8), [.sha256, .sha512])
        return (digests[.sha256]!.hex, digests[.sha512]!.hex)
    }

    static func record(_ label: String, caseID: String, path: String, size: UInt64, outcome: AcquisitionRecord.Outcome,
                       full: Bool) -> AcquisitionRecord {
        let (sha256, sha512) = digests(label)
        var source = SourceRecord(path: path, size: size, mtime: "2026-03-01T10:00:00.123456789Z",
                                  ctime: "2026-03-01T10:00:01.5Z")
        if full {
            source.fileSystemType = "exfat"
            source.volumeUUID = "1234-ABCD"
            source.volumeLabel = "CARD \"7\""
            source.deviceModel = "SanDisk Extreme"
            source.deviceSerial = "SN-0042"
            source.deviceNumber = 66306
            source.inode = 1 << 40
        }
        var record = AcquisitionRecord(seq: 0, sha256: sha256, sha512: sha512, caseID: caseID,
                                       time: "2026-03-02T09:00:00Z", collector: "Collector Ä", keyID: "",
                                       outcome: outcome, source: source)
        if full {
            record.device = "phone 1"
            record.location = "Kharkiv"
            record.sourceURL = "https://example.org/v?id=1"
            record.note = "first card, line\nbreak"
        }
        return record
    }

    static func acquisition(_ record: AcquisitionRecord) -> PostgresLedger.Pending {
        PostgresLedger.Pending(action: record.action, items: [record.ledgerItem], details: record.ledgerDetails)
    }

    /// The standard ledger.
    init() throws {
        key = try SecretKey.generate(name: "Field Documenter", organization: "Test Archive")
        var photo = CatalogFixture.record("photo", caseID: "CASE-1", path: "DCIM/IMG_0001.JPG", size: 3_000_000_000,
                                          outcome: .new, full: true)
        photo.metadataRecord = CatalogFixture.digests("photo-metadata").sha256
        let video = CatalogFixture.record("video", caseID: "CASE-1", path: "DCIM/MOV_0002.MP4", size: 5_000,
                                          outcome: .new, full: false)
        var again = CatalogFixture.record("photo", caseID: "CASE-10", path: "copy/IMG_0001.JPG",
                                          size: 3_000_000_000, outcome: .duplicate, full: true)
        again.recognisedByIdentity = true
        var other = CatalogFixture.record("document", caseID: "CASE-2", path: "docs/Zeugenaussage ü.pdf", size: 0,
                                          outcome: .new, full: false)
        // Device and inode numbers without a volume UUID: the re-run lookup must match NULL to NULL.
        other.source.deviceNumber = 2049
        other.source.inode = 77
        let batch: [PostgresLedger.Pending] = [
            CatalogFixture.acquisition(photo),
            CatalogFixture.acquisition(video),
            PostgresLedger.Pending(action: .note, items: [], details: ["text": "handover to the unit"]),
            CatalogFixture.acquisition(again),
            PostgresLedger.Pending(action: .sealed, items: [], details: ["bundle": "urn:uuid:7d9f0a1e", "case": "CASE-1"]),
            CatalogFixture.acquisition(other),
            PostgresLedger.Pending(action: .verified, items: [], details: ["objects": "3", "damaged": "0"]),
            // A seal without a bundle id is not a seal of the store's; a scrub without counts is no scrub row.
            PostgresLedger.Pending(action: .sealed, items: [], details: ["case": "CASE-3"]),
            PostgresLedger.Pending(action: .verified, items: [], details: ["objects": "many"]),
        ]
        let lines = try PostgresLedger.sign(batch, after: (0, nil), storeID: CatalogFixture.storeID, key: key,
                                            role: "investigator", time: Date(timeIntervalSince1970: 1_780_000_000))
        entries = try lines.enumerated().map { offset, line in (offset + 1, try CustodyEvent(line: line), line) }
    }

    var photo: String { CatalogFixture.digests("photo").sha256 }
    var video: String { CatalogFixture.digests("video").sha256 }
    var document: String { CatalogFixture.digests("document").sha256 }
}
