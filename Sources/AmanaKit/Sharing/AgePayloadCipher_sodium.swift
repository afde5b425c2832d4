import CSodium

/// ChaCha20-Poly1305 (IETF) for the age STREAM payload and for wrapping file keys, through libsodium.
///
/// The STREAM nonce is an 11-byte big-endian chunk counter followed by a last-chunk flag (1 on the final chunk), so a
/// chunk cannot be moved, dropped or passed off as the end without the tag failing.
struct AgePayloadCipher {
    private let key: [UInt8]

    init(key: [UInt8]) {
        precondition(key.count == 32)
        _ = AgeRandom.ready
        self.key = key
    }

    private static func nonce(counter: UInt64, last: Bool) -> [UInt8] {
        var n = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { n[10 - i] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * i)) }
        n[11] = last ? 1 : 0
        return n
    }

    /// Encrypts `plain` into `out` (which must hold plain.count + 16 bytes); returns the ciphertext length.
    func seal(_ plain: UnsafeRawBufferPointer, counter: UInt64, last: Bool, into out: UnsafeMutableRawBufferPointer) -> Int {
        var length: UInt64 = 0
        let nonce = AgePayloadCipher.nonce(counter: counter, last: last)
        _ = crypto_aead_chacha20poly1305_ietf_encrypt(
            out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length,
            plain.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plain.count), nil, 0, nil, nonce, key)
        return Int(length)
    }

    /// Decrypts and authenticates `sealed` into `out`; nil if the tag does not verify.
    func open(_ sealed: UnsafeRawBufferPointer, counter: UInt64, last: Bool, into out: UnsafeMutableRawBufferPointer) -> Int? {
        guard sealed.count >= AgeFormat.tagSize else { return nil }
        var length: UInt64 = 0
        let nonce = AgePayloadCipher.nonce(counter: counter, last: last)
        let status = crypto_aead_chacha20poly1305_ietf_decrypt(
            out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, nil,
            sealed.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(sealed.count), nil, 0, nonce, key)
        return status == 0 ? Int(length) : nil
    }

    /// Wraps a file key under a single-use key with the all-zero nonce, as age stanzas do.
    static func wrap(_ fileKey: [UInt8], key: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: fileKey.count + AgeFormat.tagSize)
        let cipher = AgePayloadCipher(key: key)
        _ = fileKey.withUnsafeBytes { p in out.withUnsafeMutableBytes { cipher.seal(p, counter: 0, last: false, into: $0) } }
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

/// Random bytes from libsodium (getrandom underneath).
enum AgeRandom {
    static let ready: Bool = sodium_init() >= 0

    static func bytes(_ count: Int) -> [UInt8] {
        _ = ready
        var out = [UInt8](repeating: 0, count: count)
        randombytes_buf(&out, count)
        return out
    }
}
