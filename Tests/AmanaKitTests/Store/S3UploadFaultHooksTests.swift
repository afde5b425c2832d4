import XCTest
@testable import AmanaKit

/// The fault tests' pauses are read from the environment only under `AMANA_TEST_HOOKS=1`: without it a pause
/// variable is a one-line usage error, so a stray one can never stall a real ingest.
final class S3UploadFaultHooksTests: XCTestCase {
    func testNoVariableIsNoPause() throws {
        XCTAssertEqual(try S3UploadFaultHooks.parse(environment: [:]).beforeUpload, nil)
        XCTAssertEqual(try S3UploadFaultHooks.parse(environment: ["AMANA_TEST_HOOKS": "1"]).atByte, nil)
    }

    func testBothPausesAreReadWithTheTestFlag() throws {
        let hooks = try S3UploadFaultHooks.parse(environment: [
            "AMANA_TEST_HOOKS": "1", "AMANA_TEST_PAUSE_BEFORE_UPLOAD": "5:/tmp/a b",
            "AMANA_TEST_PAUSE_UPLOAD_AT_BYTE": "16777217:/tmp/x:y",
        ])
        XCTAssertEqual(hooks.beforeUpload, S3UploadFaultHooks.Pause(count: 5, file: "/tmp/a b"))
        XCTAssertEqual(hooks.atByte, S3UploadFaultHooks.Pause(count: 16_777_217, file: "/tmp/x:y"))
    }

    func testAPauseWithoutTheTestFlagIsRefused() {
        XCTAssertThrowsError(try S3UploadFaultHooks.parse(environment: ["AMANA_TEST_PAUSE_BEFORE_UPLOAD": "1:/tmp/p"])) {
            XCTAssertEqual(($0 as? AmanaError)?.code, .usage)
            XCTAssertEqual(($0 as? AmanaError)?.reason,
                           "AMANA_TEST_PAUSE_BEFORE_UPLOAD is a test hook and is refused outside the tests")
        }
        XCTAssertThrowsError(try S3UploadFaultHooks.parse(environment: ["AMANA_TEST_HOOKS": "0",
                                                                        "AMANA_TEST_PAUSE_UPLOAD_AT_BYTE": "1:/tmp/p"]))
    }

    func testAMalformedPauseIsRefused() {
        for value in ["5", "0:/tmp/p", "-1:/tmp/p", "five:/tmp/p", "5:relative/path", ":/tmp/p"] {
            XCTAssertThrowsError(try S3UploadFaultHooks.parse(environment: [
                "AMANA_TEST_HOOKS": "1", "AMANA_TEST_PAUSE_BEFORE_UPLOAD": value,
            ]), value) {
                XCTAssertEqual(($0 as? AmanaError)?.reason,
                               "AMANA_TEST_PAUSE_BEFORE_UPLOAD must be COUNT:FILE, a positive count and an absolute path")
            }
        }
    }
}
