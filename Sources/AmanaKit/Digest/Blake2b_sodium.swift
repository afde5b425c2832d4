import CSodium

/// Streaming BLAKE2b (RFC 7693, unkeyed) through libsodium's `crypto_generichash`.
///
/// minisign needs it twice: BLAKE2b-512 of the message for prehashed (`ED`) signatures, and BLAKE2b-256 as the
/// secret key checksum. Swift cannot import libsodium's state struct because it is declared 64-byte aligned, so the
/// state is an aligned raw allocation of `crypto_generichash_statebytes()` bytes handed over as an opaque pointer.
package final class Blake2b {
    /// The largest output BLAKE2b defines, and the default.
    package static let maxOutputLength = Int(crypto_generichash_BYTES_MAX)

    private let outputLength: Int
    private let state: UnsafeMutableRawPointer
    private let stateSize: Int
    private var digest: [UInt8]?

    /// - Precondition: `outputLength` is in `1...64`; any other length is a programming error.
    package init(outputLength: Int = 64) {
        precondition((1...Blake2b.maxOutputLength).contains(outputLength), "BLAKE2b output length must be 1...64")
        Sodium.initialize()
        self.outputLength = outputLength
        self.stateSize = crypto_generichash_statebytes()
        self.state = UnsafeMutableRawPointer.allocate(byteCount: stateSize, alignment: 64)
        // With no key and a valid length, init cannot fail.
        _ = crypto_generichash_init(OpaquePointer(state), nil, 0, outputLength)
    }

    deinit {
        // The state can hold key-derived material when hashing secrets (the secret key checksum): wipe it.
        sodium_memzero(state, stateSize)
        state.deallocate()
    }

    /// Feeds more bytes. Must not be called after ``finalize()``.
    package func update(_ buffer: UnsafeRawBufferPointer) {
        precondition(digest == nil, "Blake2b.update called after finalize")
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        _ = crypto_generichash_update(
            OpaquePointer(state), base.assumingMemoryBound(to: UInt8.self), UInt64(buffer.count)
        )
    }

    package func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest. Calling it again returns the same digest.
    package func finalize() -> [UInt8] {
        if let digest { return digest }
        var out = [UInt8](repeating: 0, count: outputLength)
        _ = crypto_generichash_final(OpaquePointer(state), &out, outputLength)
        digest = out
        return out
    }

    /// One-shot convenience for data already in memory.
    package static func hash(_ bytes: [UInt8], outputLength: Int = 64) -> [UInt8] {
        let hasher = Blake2b(outputLength: outputLength)
        hasher.update(bytes)
        return hasher.finalize()
    }
}
