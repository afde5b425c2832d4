import XCTest
@testable import AmanaKit

/// The store's test hooks read from the environment are honoured only under `AMANA_TEST_HOOKS=1`: without it a hook
/// variable is a one-line usage error, so a stray one never changes what a real station does.
final class StoreTestingHooksTests: XCTestCase {
    /// The claim staleness hook is refused outside the tests, and takes only a sane number of seconds.
    func testTheClaimStalenessHookIsRefusedWithoutTheTestFlag() throws {
        XCTAssertNil(try StoreTestingHooks.claimStaleSeconds(environment: [:]))
        XCTAssertEqual(try StoreTestingHooks.claimStaleSeconds(
            environment: ["AMANA_TEST_HOOKS": "1", "AMANA_TEST_CLAIM_STALE_SECONDS": "3"]), 3)
        for environment in [["AMANA_TEST_CLAIM_STALE_SECONDS": "3"],
                            ["AMANA_TEST_HOOKS": "0", "AMANA_TEST_CLAIM_STALE_SECONDS": "3"],
                            ["AMANA_TEST_HOOKS": "1", "AMANA_TEST_CLAIM_STALE_SECONDS": "0"],
                            ["AMANA_TEST_HOOKS": "1", "AMANA_TEST_CLAIM_STALE_SECONDS": "soon"]] {
            XCTAssertThrowsError(try StoreTestingHooks.claimStaleSeconds(environment: environment), "\(environment)") {
                XCTAssertEqual(($0 as? AmanaError)?.code, .usage)
            }
        }
    }
}
