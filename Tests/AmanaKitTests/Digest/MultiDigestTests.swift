@testable import AmanaKit
import XCTest

final class MultiDigestTests: XCTestCase {
    /// FIPS 180-4, RFC 1321 and RFC 7693 known answers for "abc".
    func testKnownAnswersForABC() {
        let digests = MultiDigest.digests(of: Array("abc".utf8), DigestAlgorithm.allCases)
        XCTAssertEqual(digests[.md5]?.hex, "900150983cd24fb0d6963f7d28e17f72")
        XCTAssertEqual(digests[.sha1]?.hex, "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(digests[.sha224]?.hex, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")
        XCTAssertEqual(digests[.sha256]?.hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(digests[.sha384]?.hex,
                       "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
        XCTAssertEqual(digests[.sha512]?.hex,
                       "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        XCTAssertEqual(digests[.blake2b512]?.hex,  // RFC 7693 appendix A
                       "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")
        XCTAssertEqual(digests.count, DigestAlgorithm.allCases.count)
        for (algorithm, digest) in digests { XCTAssertEqual(digest.bytes.count, algorithm.byteCount) }
    }

    /// The parallel path (large buffers) must give the same answer as the serial one, and run the side job once.
    func testParallelAndSerialAgree() throws {
        let data = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }
        let serial = MultiDigest([.sha256, .sha512])
        for start in stride(from: 0, to: data.count, by: 1000) {
            serial.update(Array(data[start..<min(start + 1000, data.count)]))
        }
        let parallel = MultiDigest([.sha256, .sha512])
        var sideRuns = 0
        try data.withUnsafeBytes { buffer in
            try parallel.update(buffer) { sideRuns += 1 }
        }
        XCTAssertEqual(sideRuns, 1)
        XCTAssertEqual(serial.byteCount, UInt64(data.count))
        XCTAssertEqual(serial.finalize(), parallel.finalize())
    }

    func testSideJobErrorsPropagate() {
        struct Boom: Error {}
        let digest = MultiDigest([.sha256, .sha512])
        let data = [UInt8](repeating: 1, count: 1 << 20)
        XCTAssertThrowsError(try data.withUnsafeBytes { try digest.update($0) { throw Boom() } }) { error in
            XCTAssertTrue(error is Boom)
        }
    }
}
