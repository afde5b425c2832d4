import AmanaTestSupport
import Foundation
import XCTest

final class InspectCLITests: XCTestCase {
    func testListsItemsAndSealsWithoutTrustingThem() throws {
        let fixture = try CLIFixture()
        let bundle = try fixture.sealSample(extra: ["--title", "Checkpoint", "--collector", "Field team 3",
                                                    "--device", "Phone A", "--location", "Idlib"])
        let result = try amana(["inspect", bundle])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("NOT verified"), result.stdout)
        XCTAssertTrue(result.stdout.contains("case: TEST-1"), result.stdout)
        XCTAssertTrue(result.stdout.contains("data/checkpoint-photo.png"), result.stdout)
        XCTAssertTrue(result.stdout.contains("image/png"), result.stdout)
        XCTAssertTrue(result.stdout.contains("audio/wav"), result.stdout)
        XCTAssertTrue(result.stdout.contains("collector: Field team 3; device: Phone A; location: Idlib"), result.stdout)
        let keyID = try String(contentsOfFile: fixture.pub, encoding: .utf8).split(separator: " ")[5].prefix(16)
        XCTAssertTrue(result.stdout.contains("seal 1: signer key \(keyID)"), result.stdout)

        let json = try amana(["inspect", bundle, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual((object?["items"] as? [Any])?.count, 4)
    }
}
