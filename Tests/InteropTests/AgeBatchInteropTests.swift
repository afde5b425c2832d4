@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Amana seals and opens the age payload a batch of chunks at a time, on every core (``AgeChunkBatch``). These sizes sit
/// on the chunk and batch boundaries, where a batched reader or writer could put the last-chunk flag on the wrong
/// chunk, drop an empty chunk, or release plaintext a one-chunk-at-a-time reader would not: `age` itself, which works
/// one chunk at a time, must read what Amana writes and Amana must read what `age` writes, byte for byte.
final class AgeBatchInteropTests: XCTestCase {
    let temp = TemporaryFolder("amana-age-batch")
    static let chunk = AgeFormat.chunkSize
    static let batch = AgeChunkBatch.chunkCount * AgeFormat.chunkSize

    static let sizes = [0, 1, chunk - 1, chunk, chunk + 1, batch - chunk, batch - 1, batch, batch + 1,
                        batch + chunk, 2 * batch, 2 * batch + 1, 3 * batch - 17]

    /// Different bytes at every offset, so a chunk put in the wrong place cannot decrypt to the right file.
    private func plaintext(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(count + 1)
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    private func ageKey() throws -> (identity: String, recipient: String, age: String) {
        let age = try TestEnvironment.requireTool("age")
        let keygen = try TestEnvironment.requireTool("age-keygen")
        let identity = temp.file("k.agekey")
        if !FileManager.default.fileExists(atPath: identity) {
            XCTAssertEqual(try runTool(keygen, ["-o", identity]).status, 0)
        }
        let recipient = try runTool(keygen, ["-y", identity]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (identity, recipient, age)
    }

    func testAgeDecryptsWhatAmanaEncryptedAtEveryBoundary() throws {
        let (identityFile, recipient, age) = try ageKey()
        for size in AgeBatchInteropTests.sizes {
            let bytes = plaintext(size)
            let input = try temp.write("plain-\(size)", bytes)
            let sealed = temp.file("amana-\(size).age"), back = temp.file("amana-\(size).back")
            try AgeFileDecryption.encrypt(input, to: sealed, recipients: [try AgeRecipients.parse(recipient)], armor: false)
            let result = try runTool(age, ["-d", "-i", identityFile, "-o", back, sealed])
            XCTAssertEqual(result.status, 0, "size \(size): \(result)")
            // age opens its output lazily, at the first plaintext byte: an empty file gives no output file.
            let decrypted = size == 0 && !FileManager.default.fileExists(atPath: back) ? [] : try readBytes(back)
            XCTAssertEqual(decrypted, bytes, "size \(size)")
            // The payload is the header, a 16-byte nonce, and one tag per chunk (at least one chunk).
            let chunks = max(1, (size + AgeBatchInteropTests.chunk - 1) / AgeBatchInteropTests.chunk)
            let payload = try payloadLength(sealed)
            XCTAssertEqual(payload, AgeFormat.payloadNonceSize + size + chunks * AgeFormat.tagSize, "size \(size)")
        }
    }

    func testAmanaDecryptsWhatAgeEncryptedAtEveryBoundary() throws {
        let (_, recipient, age) = try ageKey()
        let identities = try AgeIdentityFile.read(temp.file("k.agekey"))
        for size in AgeBatchInteropTests.sizes {
            let bytes = plaintext(size)
            let input = try temp.write("plain-\(size)", bytes)
            let sealed = temp.file("age-\(size).age"), back = temp.file("age-\(size).back")
            let result = try runTool(age, ["-e", "-r", recipient, "-o", sealed, input])
            XCTAssertEqual(result.status, 0, "size \(size): \(result)")
            XCTAssertEqual(try AgeFileDecryption.decrypt(sealed, to: back, identities: identities), UInt64(size))
            XCTAssertEqual(try readBytes(back), bytes, "size \(size)")
            // The pull side (verify --identity reads this way) gives the same bytes, in reads of odd sizes.
            XCTAssertEqual(try pulled(sealed, identities: identities, readSize: 12_345), bytes, "size \(size), pulled")
        }
    }

    /// Damage to any chunk of a batch: what is released before the error is exactly the chunks before the damaged one,
    /// as a reader that takes one chunk at a time releases it (the CCTV vectors hold age to the same), and nothing
    /// after it; no output file is left.
    func testDamageInsideABatchReleasesOnlyTheChunksBeforeIt() throws {
        let (identityFile, recipient, age) = try ageKey()
        let identities = try AgeIdentityFile.read(identityFile)
        let size = 2 * AgeBatchInteropTests.batch + 1000
        let bytes = plaintext(size)
        let input = try temp.write("plain-damage", bytes)
        let good = temp.file("good.age")
        XCTAssertEqual(try runTool(age, ["-e", "-r", recipient, "-o", good, input]).status, 0)
        let sealed = try readBytes(good)
        let payloadStart = sealed.count - (try payloadLength(good)) + AgeFormat.payloadNonceSize
        let sealedChunk = AgeChunkBatch.sealedChunk
        let n = AgeChunkBatch.chunkCount
        for damaged in [0, 1, n - 1, n, n + 1, 2 * n - 1, 2 * n] {
            var copy = sealed
            copy[payloadStart + damaged * sealedChunk + 100] ^= 0x01
            let path = try temp.write("flip-\(damaged).age", copy)
            var released: [UInt8] = []
            XCTAssertThrowsError(try AgeDecryptor(identities: identities).decrypt(path: path) { released += $0 }) {
                XCTAssertEqual(($0 as? AmanaError)?.code, .agePayload, "chunk \(damaged): \($0)")
            }
            XCTAssertEqual(released.count, damaged * AgeBatchInteropTests.chunk, "chunk \(damaged)")
            XCTAssertEqual(released, Array(bytes.prefix(released.count)), "chunk \(damaged)")
            let output = temp.file("flip-\(damaged).out")
            XCTAssertThrowsError(try AgeFileDecryption.decrypt(path, to: output, identities: identities))
            XCTAssertFalse(FileManager.default.fileExists(atPath: output), "chunk \(damaged)")
        }
        // Cut at a batch boundary (whole chunks missing, the rest authentic) and right after a full inner chunk.
        for kept in [n, 2 * n, n + 1] {
            let path = try temp.write("cut-\(kept).age", Array(sealed.prefix(payloadStart + kept * sealedChunk)))
            var released: [UInt8] = []
            XCTAssertThrowsError(try AgeDecryptor(identities: identities).decrypt(path: path) { released += $0 }) {
                XCTAssertEqual(($0 as? AmanaError)?.code, .agePayload, "kept \(kept): \($0)")
            }
            XCTAssertEqual(released, Array(bytes.prefix(kept * AgeBatchInteropTests.chunk)), "kept \(kept)")
        }
        // A second, valid last chunk spliced after a last chunk that ends a batch: data after the last chunk.
        let exact = plaintext(AgeBatchInteropTests.batch)
        let exactInput = try temp.write("plain-exact", exact)
        let exactSealed = temp.file("exact.age")
        XCTAssertEqual(try runTool(age, ["-e", "-r", recipient, "-o", exactSealed, exactInput]).status, 0)
        let spliced = try temp.write("spliced.age", try readBytes(exactSealed) + Array(repeating: 0, count: 40))
        var released: [UInt8] = []
        XCTAssertThrowsError(try AgeDecryptor(identities: identities).decrypt(path: spliced) { released += $0 }) {
            XCTAssertEqual(($0 as? AmanaError)?.code, .agePayload)
        }
        XCTAssertEqual(released, exact)
    }

    /// The length of the payload (nonce and chunks): everything after the header's MAC line.
    private func payloadLength(_ path: String) throws -> Int {
        let bytes = try readBytes(path)
        let mac = Array("\n--- ".utf8)
        var i = 0
        while i + mac.count <= bytes.count, Array(bytes[i..<(i + mac.count)]) != mac { i += 1 }
        let end = bytes[(i + 1)...].firstIndex(of: 0x0A)!
        return bytes.count - end - 1
    }

    private func pulled(_ path: String, identities: [AgeIdentity], readSize: Int) throws -> [UInt8] {
        let stream = try AgePlaintextStream(AgeInput(try ReadOnlyFile(path: path)), identities: identities)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            out += buffer[..<n]
            if n < readSize { break }
        }
        return out
    }
}
