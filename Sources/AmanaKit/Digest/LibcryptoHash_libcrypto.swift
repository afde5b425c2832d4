import CLibcrypto

/// Digests from OpenSSL's libcrypto (EVP), for algorithms swift-crypto does not offer.
final class LibcryptoHash: HashBackend {
    enum Kind { case sha224, sha512 }

    private let context: OpaquePointer

    init(_ kind: Kind) {
        guard let context = EVP_MD_CTX_new() else { fatalError("amana: libcrypto could not allocate a digest context") }
        self.context = context
        let md: OpaquePointer?
        switch kind {
        case .sha224: md = EVP_sha224()
        case .sha512: md = EVP_sha512()
        }
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
}
