import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// `store.json`: a local store's bytes are exactly as before back ends existed; an organisation store's back ends
/// round-trip; anything unknown or unsafe is refused with one line that never repeats a secret.
final class StoreConfigTests: XCTestCase {
    private let organisation = """
        {"backEnd":{"catalog":"postgres://amana@db.example:5433/evidence","credentials":"/etc/amana/creds",\
        "endpoint":"https://s3.example:7480","kind":"organisation","objects":"s3://evidence-bucket/centre/a",\
        "region":"eu-central-1","retainDays":3650,"retention":"compliance"},"created":"2026-12-06T10:00:00Z",\
        "format":"amana-store-v1","keeper":{"keyId":"K","publicKey":"P"},"storeId":"S"}

        """

    private func parse(_ text: String) throws -> StoreConfig {
        try StoreConfig(bytes: Array(text.utf8), path: "DIR/store.json")
    }

    private func reason(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "accepted"
        } catch let error as AmanaError {
            return error.reason
        } catch {
            return "\(error)"
        }
    }

    /// `text` with its backEnd's `field` set to `value` (a JSON literal).
    private func with(_ field: String, _ value: String) -> String {
        let config = try! CanonicalJSON.parse(Array(organisation.utf8.dropLast()))
        guard case .object(var top) = config, case .object(var backEnd) = top["backEnd"]! else { fatalError() }
        backEnd[field] = try! CanonicalJSON.parse(Array(value.utf8))
        top["backEnd"] = .object(backEnd)
        return String(decoding: CanonicalJSON.serialize(.object(top)), as: UTF8.self) + "\n"
    }

    func testALocalStoreWritesTheSameBytesAsBefore() throws {
        let config = StoreConfig(storeID: "S", created: "2026-12-06T10:00:00Z", keeperKeyID: "K", keeperPublicKey: "P")
        XCTAssertEqual(String(decoding: config.bytes, as: UTF8.self), """
            {"created":"2026-12-06T10:00:00Z","format":"amana-store-v1","keeper":{"keyId":"K","publicKey":"P"},"storeId":"S"}

            """)
        XCTAssertEqual(try StoreConfig(bytes: config.bytes, path: "x"), config)
        XCTAssertEqual(config.backEnd, .local)

        let folder = TemporaryFolder("amana-config")
        let key = try SecretKey.generate(name: "Keeper", organization: nil)
        let created = try EvidenceStore.create(at: folder.file("store"), key: key).config
        let written = String(decoding: try readBytes(folder.file("store/store.json")), as: UTF8.self)
        XCTAssertFalse(written.contains("backEnd"), written)
        XCTAssertEqual(written, String(decoding: created.bytes, as: UTF8.self))
    }

    func testAnOrganisationStoreRoundTrips() throws {
        let config = try parse(organisation)
        guard case .organisation(let backEnd) = config.backEnd else { return XCTFail("\(config.backEnd)") }
        XCTAssertEqual(backEnd.catalog.user, "amana")
        XCTAssertEqual(backEnd.catalog.host, "db.example")
        XCTAssertEqual(backEnd.catalog.port, 5433)
        XCTAssertEqual(backEnd.catalog.database, "evidence")
        XCTAssertEqual(backEnd.objects, try S3Location.parse("s3://evidence-bucket/centre/a", endpoint: "https://s3.example:7480", region: "eu-central-1"))
        XCTAssertEqual(backEnd.objects.prefix, "centre/a")
        XCTAssertEqual(backEnd.endpoint, "https://s3.example:7480")
        XCTAssertEqual(backEnd.region, "eu-central-1")
        XCTAssertEqual(backEnd.credentialsFile, "/etc/amana/creds")
        XCTAssertEqual(backEnd.retention, .compliance(days: 3650))
        XCTAssertEqual(String(decoding: config.bytes, as: UTF8.self), organisation, "written back byte for byte")

        // The bucket's default retention: no retention members at all.
        let plain = OrganisationBackEnd(catalog: try PostgresLocation("postgres://u@h/d"), objects: try S3Location.parse("s3://bkt"))
        let bytes = StoreConfig(storeID: "S", created: "C", keeperKeyID: "K", keeperPublicKey: "P",
                                backEnd: .organisation(plain)).bytes
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).contains(
            "\"backEnd\":{\"catalog\":\"postgres://u@h:5432/d\",\"kind\":\"organisation\",\"objects\":\"s3://bkt\"}"))
        XCTAssertEqual(try StoreConfig(bytes: bytes, path: "x").backEnd, .organisation(plain))
    }

    func testUnknownKindsAndFieldsAreRefusedInOneLine() {
        let kind = reason(with("kind", "\"cloud\""))
        XCTAssertEqual(kind, "DIR/store.json is not an amana store configuration: unknown backEnd kind 'cloud' (known: local, organisation)")
        XCTAssertEqual(reason(with("bucketPolicy", "\"x\"")),
                       "DIR/store.json is not an amana store configuration: unknown backEnd field 'bucketPolicy'")
        XCTAssertTrue(reason(with("kind", "\"weird\\nkind\"")).hasSuffix("unknown backEnd kind 'weirdkind' (known: local, organisation)"),
                      "a control character in a value never breaks the line")
        XCTAssertTrue(reason(with("retention", "\"forever\"")).hasSuffix("unknown retention mode 'forever' (known: compliance, governance)"))
        XCTAssertTrue(reason(with("retainDays", "0")).hasSuffix("the retention period must be 1 to 36500 days"))
        XCTAssertTrue(reason(with("retainDays", "\"30\"")).hasSuffix("backEnd retainDays is not a number"))
        XCTAssertTrue(reason(with("objects", "\"https://bucket/x\"")).hasSuffix("objects location must start with s3://"))
        XCTAssertTrue(reason(with("objects", "\"s3://Bad_Bucket/x\"")).contains("bucket name must be 3 to 63 lowercase letters"))
        XCTAssertTrue(reason(with("objects", "\"s3://bucket/a//b\"")).hasSuffix("prefix must not contain an empty segment ('//')"))
        XCTAssertTrue(reason(with("objects", "\"s3://bucket/a/../b\"")).hasSuffix("prefix must not contain '..'"))
        XCTAssertTrue(reason(with("endpoint", "\"ftp://h\"")).hasSuffix("endpoint must be an http:// or https:// URL"))
        XCTAssertTrue(reason(with("region", "\"EU West\"")).contains("region must be lowercase letters, digits and '-'"))
        XCTAssertTrue(reason(with("credentials", "\"relative/creds\"")).hasSuffix("must be given as an absolute path"))
        XCTAssertTrue(reason(with("catalog", "\"mysql://u@h/d\"")).hasSuffix("the catalog url must start with postgres:// (\(PostgresLocation.form))"))
        XCTAssertTrue(reason(with("catalog", "\"postgres://h/d\"")).hasSuffix("the catalog url must name a user before the host"))
        XCTAssertEqual(reason(#"{"backEnd":{"kind":"local","x":1},"created":"c","format":"amana-store-v1","keeper":{"keyId":"K","publicKey":"P"},"storeId":"S"}"#),
                       "DIR/store.json is not an amana store configuration: a local backEnd has no other fields")
        for text in [kind, reason(with("kind", "\"weird\\nkind\""))] {
            XCTAssertFalse(text.contains("\n"))
        }
    }

    func testACatalogURLWithAPasswordIsRefusedWithoutRepeatingIt() {
        let text = reason(with("catalog", "\"postgres://amana:Hunter2-secret@db.example:5432/evidence\""))
        XCTAssertTrue(text.hasSuffix("the catalog url must not contain a password; give it in PGPASSWORD, a .pgpass file or the credentials file"), text)
        XCTAssertFalse(text.contains("Hunter2"), text)
        XCTAssertFalse(text.contains("db.example"), "the URL is not repeated at all")
        XCTAssertThrowsError(try OrganisationBackEnd.parse(catalog: "postgresql://a:pw@h/d", objects: "s3://bucket",
                                                           endpoint: nil, region: nil, credentialsFile: nil,
                                                           retention: nil, retainDays: nil))
    }

    func testRetentionNeedsBothModeAndDays() throws {
        func policy(_ mode: String?, _ days: Int?) -> String {
            do { return "\(try RetentionPolicy(mode: mode, days: days))" } catch let error as StoreConfigError {
                return error.reason
            } catch { return "\(error)" }
        }
        XCTAssertEqual(policy(nil, nil), "bucketDefault")
        XCTAssertEqual(policy("governance", 30), "governance(days: 30)")
        XCTAssertEqual(policy("compliance", nil), "a retention mode needs a period in days")
        XCTAssertEqual(policy(nil, 30), "a retention period needs a retention mode (compliance or governance)")
        XCTAssertEqual(policy("compliance", 36_501), "the retention period must be 1 to 36500 days")
    }

    /// The one retention rule every PUT follows (objects, ledger objects, the identity): the mode until now plus the
    /// days, to the whole second; nothing for the bucket's default.
    func testEachPolicyNamesItsObjectLock() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000.75)
        XCTAssertNil(RetentionPolicy.bucketDefault.objectLock(now: now))
        XCTAssertEqual(RetentionPolicy.compliance(days: 2).objectLock(now: now),
                       S3ObjectLock(mode: .compliance, retainUntil: Date(timeIntervalSince1970: 1_800_172_800)))
        XCTAssertEqual(RetentionPolicy.governance(days: 1).objectLock(now: now),
                       S3ObjectLock(mode: .governance, retainUntil: Date(timeIntervalSince1970: 1_800_086_400)))
    }

    /// An organisation store whose credentials file is not there is refused in one line, before anything is made in
    /// the station folder or any server is reached.
    func testAnOrganisationStoreWithoutItsCredentialsFileIsRefusedBeforeTouchingTheFolder() throws {
        let folder = TemporaryFolder("amana-config-org")
        try folder.write("store/store.json", organisation)
        XCTAssertThrowsError(try EvidenceStore.open(folder.file("store"), writing: false)) { error in
            let error = error as? AmanaError
            XCTAssertEqual(error?.code, .inputUnreadable)
            XCTAssertEqual(error?.reason.hasPrefix("cannot open the credentials file /etc/amana/creds: "), true, "\(String(describing: error))")
            XCTAssertEqual(error?.reason.contains("\n"), false)
        }
        XCTAssertFalse(POSIX.exists(folder.file("store/catalog.sqlite")), "nothing was created in the folder")
        XCTAssertFalse(POSIX.exists(folder.file("store/lock")))
        XCTAssertFalse(POSIX.exists(folder.file("store/tmp")))
    }
}
