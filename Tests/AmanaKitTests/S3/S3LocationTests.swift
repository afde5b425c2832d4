import XCTest

@testable import AmanaKit

final class S3LocationTests: XCTestCase {
    func testParsesBucketPrefixEndpointAndRegion() throws {
        let location = try S3Location.parse("s3://evidence-2026/unit/a/", endpoint: "http://127.0.0.1:7480",
                                            region: "eu-central-1")
        XCTAssertEqual(location.bucket, "evidence-2026")
        XCTAssertEqual(location.prefix, "unit/a")
        XCTAssertEqual(location.key("objects/sha256/ab"), "unit/a/objects/sha256/ab")
        XCTAssertEqual(location.endpoint, S3Endpoint(secure: false, host: "127.0.0.1", port: 7480))
        XCTAssertEqual(location.endpoint.hostHeader, "127.0.0.1:7480")
        XCTAssertEqual(location.region, "eu-central-1")
        XCTAssertEqual(location.description, "s3://evidence-2026/unit/a")

        let root = try S3Location.parse("s3://abc")
        XCTAssertEqual(root.prefix, "")
        XCTAssertEqual(root.key("store.json"), "store.json")
        XCTAssertEqual(root.endpoint.description, "https://s3.us-east-1.amazonaws.com")
        XCTAssertEqual(try S3Endpoint.parse("https://s3.example.org/").hostHeader, "s3.example.org")
    }

    func testRefusesBadBucketsPrefixesAndEndpoints() {
        let bad = [
            "http://bucket/x", "s3://", "s3://ab", "s3://Upper", "s3://bad_name", "s3://-lead", "s3://trail-",
            "s3://a..b", "s3://a.-b", "s3://192.168.1.1", "s3://xn--abc", "s3://abc-s3alias",
            "s3://\(String(repeating: "a", count: 64))", "s3://ok-bucket//x", "s3://ok-bucket/a/../b",
            "s3://ok-bucket/a/./b", "s3://ok-bucket/a\u{1}b", "s3://ok-bucket/..x",
        ]
        for uri in bad {
            XCTAssertThrowsError(try S3Location.parse(uri), uri) { error in
                XCTAssertEqual((error as? AmanaError)?.code, .usage, uri)
                XCTAssertTrue((error as? AmanaError)?.reason.hasPrefix("s3: ") ?? false, uri)
            }
        }
        for endpoint in ["ftp://h", "http://user:pass@h:1", "http://h/path", "http://h:0", "http://h:99999",
                         "http://h?x=1", "http://", "http://h:port"] {
            XCTAssertThrowsError(try S3Location.parse("s3://bucket", endpoint: endpoint), endpoint) { error in
                XCTAssertFalse("\(error)".contains("pass"), "never echo user info")
            }
        }
        XCTAssertThrowsError(try S3Location.parse("s3://bucket", region: "US East"))
    }
}
