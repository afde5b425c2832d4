import CLibcrypto

/// ChaCha20-Poly1305 (IETF, RFC 8439) for the age STREAM payload and for wrapping file keys, through OpenSSL's
/// libcrypto (EVP).
///
/// The STREAM nonce is an 11-byte big-endian chunk counter followed by a last-chunk flag (1 on the final chunk), so a
/// chunk cannot be moved, dropped or passed off as the end without the tag failing.
///
/// Why libcrypto: encrypting or decrypting a bundle is almost all this cipher, and issue 16 asks for age's own speed.
/// Measured on the project's bench machine (Xeon with AVX-512), sealing 64 KiB chunks, in CPU time: libsodium's
/// ChaCha20-Poly1305, which this was first, 0.76 GB/s; swift-crypto's (BoringSSL) 1.7 GB/s in C, but its Swift API
/// allocates and copies every chunk twice more (`Data` for the ciphertext, then for the sealed box), which cost more
/// than the cipher gained; libcrypto 2.3 GB/s, writing straight into the caller's buffer. libcrypto is already linked
/// for the SHA-2 digests. Its output for one key, nonce and plaintext is fixed by RFC 8439, and the CCTV age vectors
/// and the interop tests with `age` check it.
struct AgePayloadCipher: Sendable {
    private let key: [UInt8]

    init(key: [UInt8]) {
        precondition(key.count == 32)
        self.key = key
    }

    /// Fetched from the default provider once per process and kept (never freed on purpose), rather than looked up at
    /// every chunk.
    nonisolated(unsafe) private static let method = EVP_CIPHER_fetch(nil, "ChaCha20-Poly1305", nil)

    private static func nonce(counter: UInt64, last: Bool) -> [UInt8] {
        var n = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { n[10 - i] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * i)) }
        n[11] = last ? 1 : 0
        return n
    }

    /// Encrypts `plain` into `out` (which must hold plain.count + 16 bytes); returns the sealed length.
    func seal(_ plain: UnsafeRawBufferPointer, counter: UInt64, last: Bool, into out: UnsafeMutableRawBufferPointer) throws -> Int {
        precondition(out.count >= plain.count + AgeFormat.tagSize)
        guard let method = AgePayloadCipher.method, let context = EVP_CIPHER_CTX_new() else {
            throw AmanaError(.internalFailure, "libcrypto offers no ChaCha20-Poly1305")
        }
        defer { EVP_CIPHER_CTX_free(context) }
        let target = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var length: Int32 = 0
        var tail: Int32 = 0
        var ok = EVP_EncryptInit_ex2(context, method, key, AgePayloadCipher.nonce(counter: counter, last: last), nil) == 1
        if ok, let source = plain.baseAddress, plain.count > 0 {
            ok = EVP_EncryptUpdate(context, target, &length, source.assumingMemoryBound(to: UInt8.self), Int32(plain.count)) == 1
        }
        ok = ok && EVP_EncryptFinal_ex(context, target + Int(length), &tail) == 1
        let body = Int(length + tail)
        ok = ok && body == plain.count
            && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(AgeFormat.tagSize), target + body) == 1
        guard ok else { throw AmanaError(.internalFailure, "libcrypto could not encrypt a chunk") }
        return body + AgeFormat.tagSize
    }

    /// Decrypts and authenticates `sealed` into `out`; nil if the tag does not verify. `out` may hold unauthenticated
    /// bytes afterwards when it returns nil: callers release only what this reported as opened.
    func open(_ sealed: UnsafeRawBufferPointer, counter: UInt64, last: Bool, into out: UnsafeMutableRawBufferPointer) -> Int? {
        guard sealed.count >= AgeFormat.tagSize, let method = AgePayloadCipher.method,
              let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        let body = sealed.count - AgeFormat.tagSize
        precondition(out.count >= body)
        let source = sealed.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var length: Int32 = 0
        var tail: Int32 = 0
        var ok = EVP_DecryptInit_ex2(context, method, key, AgePayloadCipher.nonce(counter: counter, last: last), nil) == 1
            && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(AgeFormat.tagSize),
                                   UnsafeMutableRawPointer(mutating: source + body)) == 1
        if ok && body > 0 {
            ok = EVP_DecryptUpdate(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length, source, Int32(body)) == 1
        }
        // Final checks the tag; it writes nothing for this cipher, but is given a valid place anyway.
        var scratch: UInt8 = 0
        ok = ok && EVP_DecryptFinal_ex(context, &scratch, &tail) == 1
        guard ok, Int(length + tail) == body else { return nil }
        return body
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
