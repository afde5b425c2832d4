@testable import AmanaKit
import XCTest
import Glibc

final class TarWriterProbe: XCTestCase {
    func testProbe() throws {
        let path = "/tmp/tw/probe-\(getpid()).tar"
        let out = try AtomicOutput(path: path)
        let w = try TarWriter(fd: out.fd, label: path)
        try w.addDirectory("root", modified: 0)
        try w.addFile("root/شهادة.txt", contents: Array("hello".utf8), modified: 1_700_000_000)
        try w.addFile("root/" + String(repeating: "a", count: 150) + ".txt", contents: [], modified: 0)
        try w.finish()
        try out.commit()
        print("WROTE", path)
    }
}
