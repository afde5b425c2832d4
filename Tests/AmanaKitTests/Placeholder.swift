import XCTest

final class AmanaKitTestsPlaceholder: XCTestCase {
    func testBuilds() {}
}
