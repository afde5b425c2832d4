import AmanaTestSupport
import Foundation
import XCTest

/// Seals are minisign signatures: the stock tool must verify them, and minisign's keys must seal in amana.
final class MinisignInteropTests: XCTestCase {
    func testStockMinisignVerifiesTheSeal() throws {
        let minisign = try TestEnvironment.requireTool("minisign")
        let fixture = try InteropFixture()
        let seal = fixture.extracted + "/seals/0001.seal"
        var result = try runTool(minisign, ["-V", "-p", fixture.pub, "-m", seal])
        XCTAssertEqual(result.status, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("Signature and comment signature verified"), result.stdout)
        XCTAssertTrue(result.stdout.contains("file:0001.seal"), result.stdout)

        var bytes = try readBytes(seal)
        bytes[5] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: seal))
        result = try runTool(minisign, ["-V", "-p", fixture.pub, "-m", seal])
        XCTAssertNotEqual(result.status, 0, "\(result)")
    }

    func testAKeyMadeByMinisignSealsInAmana() throws {
        let minisign = try TestEnvironment.requireTool("minisign")
        let folder = TemporaryFolder()
        var result = try runTool(minisign, ["-G", "-p", folder.file("m.pub"), "-s", folder.file("m.key")], stdin: "pw\npw\n")
        XCTAssertEqual(result.status, 0, "\(result)")
        let input = try folder.write("in/evidence.txt", "seen at the checkpoint\n")
        result = try amana(["seal", input, "--key", folder.file("m.key"), "--output", folder.file("b.tar")],
                           environment: ["AMANA_PASSPHRASE": "pw"])
        XCTAssertEqual(result.status, 0, "\(result)")
        result = try amana(["verify", folder.file("b.tar"), "--trust", folder.file("m.pub")])
        XCTAssertEqual(result.status, 0, "\(result)")
    }
}
