import XCTest

@testable import AmanaKit

final class S3CredentialsTests: XCTestCase {
    func testFromEnvironment() throws {
        let credentials = try S3Credentials.fromEnvironment([
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "sekr1t/value", "AWS_SESSION_TOKEN": "tok3n",
        ])
        XCTAssertEqual(credentials, S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "sekr1t/value",
                                                  sessionToken: "tok3n"))
        XCTAssertNil(try S3Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
                                                        "AWS_SESSION_TOKEN": ""]).sessionToken)
        for env in [["AWS_ACCESS_KEY_ID": "a"], ["AWS_SECRET_ACCESS_KEY": "sekr1t"], [:],
                    ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "sekr1t"]] {
            XCTAssertThrowsError(try S3Credentials.fromEnvironment(env)) { error in
                let error = error as! AmanaError
                XCTAssertEqual(error.code, .usage)
                XCTAssertTrue(error.reason.hasPrefix("s3: no credentials: AWS_"), error.reason)
                XCTAssertFalse(error.reason.contains("sekr1t"))
            }
        }
    }

    func testEveryRenderingRedactsTheSecretAndToken() {
        let credentials = S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "sekr1t/value",
                                        sessionToken: "tok3n")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), String(describing: [credentials]), dumped] {
            XCTAssertFalse(text.contains("sekr1t"), text)
            XCTAssertFalse(text.contains("tok3n"), text)
            XCTAssertTrue(text.contains("AKIDEXAMPLE"), text)
        }
    }

    func testErrorLinesAreOneLineAndRedacted() {
        let body = Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>AccessDenied</Code><Message>Access
            Denied for sekr1t/value</Message><RequestId>tx0</RequestId></Error>
            """.utf8)
        let error = S3Failure.server(status: 403, body: body, operation: "DELETE s3://b/k version v1",
                                     secrets: ["sekr1t/value"])
        XCTAssertEqual(error.code, S3Failure.refused)
        XCTAssertEqual(error.reason, "s3: AccessDenied: Access Denied for <redacted> (DELETE s3://b/k version v1, HTTP 403)")
        let notFound = S3Failure.server(status: 404, body: [], operation: "HEAD s3://b/k", secrets: [])
        XCTAssertEqual(notFound.code, S3Failure.notFound)
        XCTAssertEqual(notFound.reason, "s3: HTTP404 (HEAD s3://b/k, HTTP 404)")
    }
}
