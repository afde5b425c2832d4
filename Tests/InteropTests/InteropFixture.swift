import AmanaTestSupport
import Foundation
import XCTest

/// A sealed and extracted sample bundle, for handing to outside tools.
final class InteropFixture {
    let folder = TemporaryFolder("amana-interop")
    var key: String { folder.file("team.key") }
    var pub: String { folder.file("team.pub") }
    var bundle: String { folder.file("bundle.tar") }
    var extracted: String { folder.file("bag") }

    init() throws {
        var result = try amana(["keygen", "--output", folder.file("team"), "--unencrypted", "--name", "Interop"])
        XCTAssertEqual(result.status, 0, "\(result)")
        let sample = TestEnvironment.sampleMedia.path
        result = try amana(["seal", "\(sample)/checkpoint-photo.png", "\(sample)/شهادة-statement.txt", "\(sample)/day-2",
                            "--key", key, "--output", bundle])
        XCTAssertEqual(result.status, 0, "\(result)")
        result = try amana(["extract", bundle, "--output", extracted, "--trust", pub])
        XCTAssertEqual(result.status, 0, "\(result)")
    }
}
