@testable import AmanaKit
import AmanaTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class DirectoryWalkerTests: XCTestCase {
    /// Every name of every length comes back whole and in byte order. Names were once copied out of `readdir`'s
    /// record as a fixed 256-byte field, which read past the kernel's buffer and crashed a release build sealing
    /// 20,000 photos; this walks many records of every length, so the reading code is exercised at every alignment
    /// (AddressSanitizer builds, `make fuzz`, would flag an over-read here).
    func testEveryNameOfEveryLengthComesBackWhole() throws {
        let folder = TemporaryFolder()
        var expected = [String]()
        for length in 1...255 {
            for variant in 0..<8 {
                var name = String(repeating: "abcdefgh".map(String.init)[variant], count: length)
                if length >= 2 { name = String(name.dropLast()) + String(variant) }
                guard !expected.contains(name) else { continue }
                let fd = open(folder.file(name), O_WRONLY | O_CREAT | O_EXCL, 0o644)
                XCTAssertGreaterThanOrEqual(fd, 0, name)
                close(fd)
                expected.append(name)
            }
        }
        var seen = [String]()
        try DirectoryWalker.walk(folder.path) { entry in seen.append(entry.relativePath ?? entry.displayPath) }
        XCTAssertEqual(seen, expected.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}
