import AmanaTestSupport
import Foundation
import XCTest
@testable import AmanaKit

/// An organisation station's writers share `DIR/tmp`: each holds a shared lock on it, which excludes no other
/// writer, and the scratch sweep runs only while no other holder is there (flock locks of two open descriptions
/// conflict as those of two processes do, so two locks in this process stand for two processes).
final class StationScratchLockTests: XCTestCase {
    func testTheSweepRunsOnlyWhenNoOtherWriterOfTheStationIsAtWork() throws {
        let folder = TemporaryFolder("amana-station")
        let tmp = folder.file("tmp")
        let mine = try StationScratchLock(folder: tmp)
        var other: StationScratchLock? = try StationScratchLock(folder: tmp)
        XCTAssertNotNil(other, "a second writer is not kept out")
        XCTAssertNil(mine.exclusively { "swept" }, "not while another writer holds the folder")
        other = nil
        XCTAssertEqual(mine.exclusively { "swept" }, "swept")
        // Held shared again afterwards: a third writer still gets in, and then keeps the sweep away.
        let third = try StationScratchLock(folder: tmp)
        XCTAssertNil(mine.exclusively { "swept" })
        withExtendedLifetime(third) {}
    }
}
