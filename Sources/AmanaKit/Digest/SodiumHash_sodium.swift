import CSodium

/// SHA-256 from libsodium (portable C, no SHA extensions). Kept so the back-end benchmark and the known-answer tests
/// cover every library Amana links; ``StreamingHasher/library(for:)`` does not choose it.
final class SodiumSHA256: HashBackend {
    private var state = crypto_hash_sha256_state()

    init() {
        Sodium.initialize()
        crypto_hash_sha256_init(&state)
    }

    func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        crypto_hash_sha256_update(&state, base.assumingMemoryBound(to: UInt8.self), UInt64(buffer.count))
    }

    func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        crypto_hash_sha256_final(&state, &out)
        return out
    }
}

/// SHA-512 from libsodium (portable C). Measured, not chosen; see ``SodiumSHA256``.
final class SodiumSHA512: HashBackend {
    private var state = crypto_hash_sha512_state()

    init() {
        Sodium.initialize()
        crypto_hash_sha512_init(&state)
    }

    func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        crypto_hash_sha512_update(&state, base.assumingMemoryBound(to: UInt8.self), UInt64(buffer.count))
    }

    func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha512_BYTES))
        crypto_hash_sha512_final(&state, &out)
        return out
    }
}

/// BLAKE2b already has the shape of a back end.
extension Blake2b: HashBackend {}
