import AmanaTestSupport
import Foundation
import XCTest

/// The Library of Congress's bagit.py is the reference BagIt validator.
final class BagItPythonInteropTests: XCTestCase {
    func testBagitPyValidatesTheExtractedBundleAndCatchesAFlippedByte() throws {
        let bagit = try TestEnvironment.requireTool("bagit.py")
        let fixture = try InteropFixture()
        var result = try runTool(bagit, ["--validate", fixture.extracted])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stderr.contains("is valid"), result.stderr)

        let photo = fixture.extracted + "/data/checkpoint-photo.png"
        var bytes = try readBytes(photo)
        bytes[200] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: photo))
        result = try runTool(bagit, ["--validate", fixture.extracted])
        XCTAssertNotEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stderr.contains("checkpoint-photo.png"), result.stderr)
    }
}
