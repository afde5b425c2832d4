import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// An organisation store whose catalog server cannot be reached: one clear error line and exit status 69
/// (EX_UNAVAILABLE), the status README's table and `amana --help` give a service that cannot be reached, not 70
/// (internal) nor 74 (output). No server needed: nothing listens on port 1 of the loopback.
final class StoreServiceUnavailableCLITests: XCTestCase {
    func testACatalogServerThatCannotBeReachedExits69() throws {
        let folder = TemporaryFolder("amana-unreachable")
        let key = try SecretKey.generate(name: "Station Keeper", organization: nil)
        let organisation = try OrganisationBackEnd.parse(
            catalog: "postgres://amana@127.0.0.1:1/evidence?sslmode=disable", objects: "s3://amana-test/unreachable",
            endpoint: "http://127.0.0.1:9", region: "us-east-1", credentialsFile: nil, retention: nil, retainDays: nil)
        let config = StoreConfig(storeID: UUID().uuidString.lowercased(), created: UTCTime.format(Date()),
                                 keeperKeyID: key.keyID.description, keeperPublicKey: key.publicKey.base64,
                                 backEnd: .organisation(organisation))
        let station = folder.file("station")
        XCTAssertEqual(mkdir(station, 0o700), 0)
        try AtomicOutput.write(config.bytes, to: station + "/store.json", mode: 0o600)
        // `store list` reads the catalog alone: the S3 endpoint (nothing on port 9 either) is never asked.
        let result = try amana(["store", "list", "--store", station],
                               environment: ["AWS_ACCESS_KEY_ID": "unused", "AWS_SECRET_ACCESS_KEY": "never-shown-s3",
                                             "PGPASSWORD": "never-shown-3d1"])
        XCTAssertEqual(result.status, 69, "\(result)")
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.first.map(String.init),
                       "amana: error: cannot connect to the catalog's postgresql server at 127.0.0.1:1: connection refused",
                       result.stderr)
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.hasPrefix("amana: hint: ") }, result.stderr)
        XCTAssertFalse(result.stderr.contains("never-shown-3d1"), "the password never shows")
        XCTAssertFalse(result.stderr.contains("never-shown-s3"), "nor the S3 secret")
        XCTAssertEqual(result.stdout, "")
    }
}
