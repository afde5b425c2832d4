import CLibcrypto

/// Digests from OpenSSL's libcrypto (EVP).
///
/// Each algorithm is fetched from the default provider once per process (`EVP_MD_fetch`) instead of at every
/// `EVP_DigestInit_ex`, which matters when a seal starts two digests for each of 55,000 small files.
final class LibcryptoHash: HashBackend {
    private let context: OpaquePointer

    /// Nil when libcrypto does not offer `algorithm` (BLAKE2b-512 it has, but under its own name and not wired here).
    init?(_ algorithm: DigestAlgorithm) {
        guard let md = LibcryptoHash.method(algorithm) else { return nil }
        guard let context = EVP_MD_CTX_new() else { fatalError("amana: libcrypto could not allocate a digest context") }
        self.context = context
        guard EVP_DigestInit_ex(context, md, nil) == 1 else { fatalError("amana: libcrypto digest init failed") }
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        _ = EVP_DigestUpdate(context, base, buffer.count)
    }

    func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &out, &length)
        return Array(out.prefix(Int(length)))
    }

    private static func method(_ algorithm: DigestAlgorithm) -> OpaquePointer? {
        switch algorithm {
        case .sha224: return sha224
        case .sha256: return sha256
        case .sha512: return sha512
        default: return nil
        }
    }

    // Fetched once, kept for the life of the process (the references are never freed on purpose).
    nonisolated(unsafe) private static let sha224 = EVP_MD_fetch(nil, "SHA2-224", nil)
    nonisolated(unsafe) private static let sha256 = EVP_MD_fetch(nil, "SHA2-256", nil)
    nonisolated(unsafe) private static let sha512 = EVP_MD_fetch(nil, "SHA2-512", nil)
}
