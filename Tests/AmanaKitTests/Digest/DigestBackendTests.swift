@testable import AmanaKit
import XCTest

/// Every digest back end Amana links, against published known answers: FIPS 180-4 (through the NIST example
/// values) for SHA-2 and RFC 7693 for BLAKE2b-512. The table in ``StreamingHasher/library(for:)`` can then move an
/// algorithm between libraries without anyone re-deriving a vector.
final class DigestBackendTests: XCTestCase {
    private static let abc = Array("abc".utf8)
    private static let twoBlock448 = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    private static let twoBlock896 = Array(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8)
    private static let millionA = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)

    /// (message, expected hex) per algorithm.
    private static let vectors: [DigestAlgorithm: [([UInt8], String)]] = [
        .sha256: [
            ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (abc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (twoBlock448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            (millionA, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ],
        .sha512: [
            ([], "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
            (abc, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
            (twoBlock896, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                + "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
            (millionA, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
                + "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"),
        ],
        .sha224: [
            (abc, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"),
        ],
        .blake2b512: [
            ([], "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"),
            // RFC 7693 appendix A.
            (abc, "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"),
        ],
    ]

    func testEveryBackEndAgainstKnownAnswers() {
        var checked = 0
        for library in HashLibrary.allCases {
            for (algorithm, cases) in DigestBackendTests.vectors {
                guard StreamingHasher.backend(algorithm, from: library) != nil else { continue }
                for (message, expected) in cases {
                    let backend = StreamingHasher.backend(algorithm, from: library)!
                    message.withUnsafeBytes { backend.update($0) }
                    XCTAssertEqual(Hex.encode(backend.finalize()), expected,
                                   "\(algorithm) from \(library.rawValue), \(message.count) bytes")
                    checked += 1
                }
            }
        }
        // swift-crypto, libcrypto and libsodium each do SHA-256 and SHA-512; libcrypto SHA-224; libsodium BLAKE2b.
        XCTAssertEqual(checked, 3 * 4 + 3 * 4 + 1 + 2)
    }

    /// Feeding odd-sized pieces (across block boundaries) gives the one-shot answer in every back end.
    func testEveryBackEndStreamsAcrossOddSplits() {
        let data = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for library in HashLibrary.allCases {
            for algorithm in DigestAlgorithm.allCases {
                guard let whole = StreamingHasher.backend(algorithm, from: library),
                      let pieces = StreamingHasher.backend(algorithm, from: library) else { continue }
                data.withUnsafeBytes { whole.update($0) }
                var offset = 0
                var size = 1
                while offset < data.count {
                    let end = min(offset + size, data.count)
                    data[offset..<end].withUnsafeBytes { pieces.update($0) }
                    pieces.update(UnsafeRawBufferPointer(start: nil, count: 0))
                    offset = end
                    size = size * 3 + 1
                }
                XCTAssertEqual(pieces.finalize(), whole.finalize(), "\(algorithm) from \(library.rawValue)")
            }
        }
    }

    /// The chosen library of every algorithm really offers it, and gives the algorithm's length.
    func testTheChoiceTableIsComplete() {
        for algorithm in DigestAlgorithm.allCases {
            let library = StreamingHasher.library(for: algorithm)
            let backend = StreamingHasher.backend(algorithm, from: library)
            XCTAssertNotNil(backend, "\(algorithm) from \(library.rawValue)")
            XCTAssertEqual(backend?.finalize().count, algorithm.byteCount, "\(algorithm)")
        }
    }
}
