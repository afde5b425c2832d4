import XCTest

final class VectorTestsPlaceholder: XCTestCase {
    func testBuilds() {}
}
