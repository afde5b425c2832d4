import XCTest

@testable import AmanaKit

/// BLAKE2b against RFC 7693 / reference digests, and streaming against one-shot.
final class SigningBlake2bTests: XCTestCase {
    func testKnownDigests() {
        XCTAssertEqual(
            Hex.encode(Blake2b.hash([])),
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
        )
        XCTAssertEqual(
            Hex.encode(Blake2b.hash(Array("abc".utf8))),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        )
        XCTAssertEqual(
            Hex.encode(Blake2b.hash(Array("abc".utf8), outputLength: 32)),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
        )
    }

    func testStreamingMatchesOneShotAcrossOddChunks() {
        let data = [UInt8]((0..<40).flatMap { _ in (0...255).map { UInt8($0) } })
        let hasher = Blake2b(outputLength: 20)
        var offset = 0
        var chunk = 1
        while offset < data.count {
            let end = min(offset + chunk, data.count)
            data[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
            chunk = chunk * 3 + 1
        }
        hasher.update(UnsafeRawBufferPointer(start: nil, count: 0))  // empty updates are no-ops
        XCTAssertEqual(Hex.encode(hasher.finalize()), "a71c846d47dc5f5b1a4bf60f50af9bf012155bb6")
        XCTAssertEqual(hasher.finalize(), Blake2b.hash(data, outputLength: 20), "finalize is repeatable")
    }

    func testShortestOutput() {
        XCTAssertEqual(Blake2b.hash(Array("abc".utf8), outputLength: 1).count, 1)
    }
}
