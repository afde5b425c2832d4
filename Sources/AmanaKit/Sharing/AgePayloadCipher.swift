import Crypto
import Foundation

/// ChaCha20-Poly1305 (IETF) for the age STREAM payload and for wrapping file keys, through swift-crypto.
///
/// The STREAM nonce is an 11-byte big-endian chunk counter followed by a last-chunk flag (1 on the final chunk), so a
/// chunk cannot be moved, dropped or passed off as the end without the tag failing.
///
/// Why swift-crypto and not libsodium, which this was first: on this project's bench machine (Xeon, AVX-512)
/// libsodium's combined ChaCha20-Poly1305 sealed 64 KiB chunks at 0.76 GB/s of CPU, and BoringSSL's (inside
/// swift-crypto), which runs the cipher and the MAC in one assembly pass, at 1.7 GB/s, with copies in and out of its
/// `Data` included. Decrypting or encrypting a bundle is mostly this loop, so it is most of the difference to age.
struct AgePayloadCipher: Sendable {
    private let key: SymmetricKey

    init(key: [UInt8]) {
        precondition(key.count == 32)
        self.key = SymmetricKey(data: key)
    }

    private static func nonce(counter: UInt64, last: Bool) throws -> ChaChaPoly.Nonce {
        var n = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { n[10 - i] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * i)) }
        n[11] = last ? 1 : 0
        return try ChaChaPoly.Nonce(data: n)
    }

    /// Encrypts `plain` into `out` (which must hold plain.count + 16 bytes); returns the ciphertext length.
    func seal(_ plain: UnsafeRawBufferPointer, counter: UInt64, last: Bool, into out: UnsafeMutableRawBufferPointer) throws -> Int {
        let box = try ChaChaPoly.seal(plain, using: key, nonce: try AgePayloadCipher.nonce(counter: counter, last: last))
        let body = box.ciphertext.copyBytes(to: out)
        let tag = box.tag.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: out[body...]))
        return body + tag
    }

    /// Decrypts and authenticates `sealed` into `out`; nil if the tag does not verify.
    func open(_ sealed: UnsafeRawBufferPointer, counter: UInt64, last: Bool, into out: UnsafeMutableRawBufferPointer) -> Int? {
        guard sealed.count >= AgeFormat.tagSize else { return nil }
        let split = sealed.count - AgeFormat.tagSize
        guard let box = try? ChaChaPoly.SealedBox(nonce: try AgePayloadCipher.nonce(counter: counter, last: last),
                                                  ciphertext: UnsafeRawBufferPointer(rebasing: sealed[..<split]),
                                                  tag: UnsafeRawBufferPointer(rebasing: sealed[split...])),
              let plain = try? ChaChaPoly.open(box, using: key)
        else { return nil }
        return plain.copyBytes(to: out)
    }

    /// Wraps a file key under a single-use key with the all-zero nonce, as age stanzas do.
    static func wrap(_ fileKey: [UInt8], key: [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: fileKey.count + AgeFormat.tagSize)
        let cipher = AgePayloadCipher(key: key)
        _ = try fileKey.withUnsafeBytes { p in try out.withUnsafeMutableBytes { try cipher.seal(p, counter: 0, last: false, into: $0) } }
        return out
    }

    /// Unwraps a stanza body; nil if it does not authenticate under `key`.
    static func unwrap(_ body: [UInt8], key: [UInt8]) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: body.count)
        let cipher = AgePayloadCipher(key: key)
        let n = body.withUnsafeBytes { p in out.withUnsafeMutableBytes { cipher.open(p, counter: 0, last: false, into: $0) } }
        guard let n else { return nil }
        return Array(out[..<n])
    }
}
