import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// An organisation store's ledger against the real services: its own PostgreSQL database, its own bucket (versioning
/// and Object Lock) on the test radosgw, and the ``S3LedgerArchive`` that mirrors each batch and checkpoint there.
final class OrganisationLedgerFixture {
    let database: TestDatabase
    let server: TestS3
    let bucket: String
    /// A prefix of its own, so that tests of one class can share a bucket (``SharedTestBucket``).
    let prefix = "centre/" + UUID().uuidString.lowercased().prefix(8)
    let storeID = UUID().uuidString.lowercased()
    let key: SecretKey
    let client: S3Client
    let archive: S3LedgerArchive
    private var sessions = [PostgresSession]()

    /// Uses `bucket` (one a test class shares) when given, else makes one for this test.
    init(_ testCase: XCTestCase, bucket shared: String? = nil, policy: RetentionPolicy = .governance(days: 1)) throws {
        server = try TestServices.s3()
        database = try TestServices.createDatabase(for: testCase)
        bucket = try shared ?? TestServices.makeBucket(for: testCase).bucket
        key = try SecretKey.generate(name: "Station Keeper", organization: "Test Centre")
        let location = try S3Location.parse("s3://\(bucket)/\(prefix)", endpoint: server.endpoint, region: server.region)
        client = S3Client(location: location, credentials: S3Credentials(accessKeyID: server.accessKey,
                                                                         secretAccessKey: server.secretKey))
        archive = S3LedgerArchive(client: client, policy: policy)
    }

    /// The ledger on a new connection, writing to the archive (or not, with `archived: false`).
    func ledger(archived: Bool = true, config: PostgresConnectionConfig? = nil) throws -> PostgresLedger {
        let session = try PostgresSession(config: config ?? database.config)
        sessions.append(session)
        let ledger = try PostgresLedger(session: session, storeID: storeID)
        if archived { ledger.archive = archive }
        return ledger
    }

    /// `count` acquisitions of made-up content (no object behind them) and a note.
    func batch(_ label: String, count: Int = 2) -> [PostgresLedger.Pending] {
        var out = (0..<count).map { index in
            CatalogFixture.acquisition(CatalogFixture.record("\(label)-\(index)", caseID: "CASE-\(label)",
                                                             path: "\(label)/\(index).jpg", size: UInt64(100 + index),
                                                             outcome: .new, full: index % 2 == 0))
        }
        out.append(PostgresLedger.Pending(action: .note, items: [], details: ["text": label]))
        return out
    }

    /// Every line the database holds, in order.
    func lines(_ ledger: PostgresLedger) throws -> [[UInt8]] {
        var out = [[UInt8]]()
        try ledger.forEachLine { _, line in out.append(line) }
        return out
    }

    /// Every line of a chain read from S3, in order.
    func lines(_ chain: S3LedgerChain) throws -> [[UInt8]] {
        var out = [[UInt8]]()
        try chain.forEachLine { seq, line in
            XCTAssertEqual(seq, out.count + 1, "numbered from 1 without gaps")
            out.append(line)
        }
        return out
    }

    /// What s3tool (boto3) lists under the ledger's prefixes.
    func versions(_ folder: String = "ledger/") throws -> S3Tool.Versions {
        try TestServices.s3tool(["versions", bucket, "\(prefix)/\(folder)"], as: S3Tool.Versions.self)
    }

    func close() {
        for session in sessions { try? session.close() }
        sessions = []
        try? client.shutdownBlocking()
        try? database.drop()
    }
}

/// One bucket (versioning, Object Lock) for all the tests of a class, each under its own prefix: making and emptying
/// a bucket costs two s3tool runs (a second or two each), which per test would dominate these short tests.
enum SharedTestBucket {
    /// A new bucket, or nil when the services are not there (each test then skips or fails on its own).
    static func make() -> String? {
        guard (try? TestServices.s3()) != nil else { return nil }
        let name = TestServices.uniqueBucketName()
        let made = try? TestServices.s3tool(["make-bucket", name, "--versioning", "--object-lock"])
        return made?.succeeded == true ? name : nil
    }

    /// Deletes what Object Lock lets it delete (as ``TestServices/makeBucket(for:objectLock:defaultRetention:file:line:)``).
    static func empty(_ name: String?) {
        if let name { _ = try? TestServices.s3tool(["empty-bucket", name]) }
    }
}
