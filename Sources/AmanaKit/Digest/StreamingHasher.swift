import Crypto

/// One running digest computation over a stream of buffers.
///
/// A class, so that a concurrent pipeline can hand each hasher to its own thread without copying state. The back end
/// is chosen per algorithm in one place (`make`), so moving an algorithm to another library is one line.
final class StreamingHasher {
    let algorithm: DigestAlgorithm
    private let backend: HashBackend

    init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        self.backend = StreamingHasher.make(algorithm)
    }

    private static func make(_ algorithm: DigestAlgorithm) -> HashBackend {
        switch algorithm {
        case .md5: return SwiftCryptoHash<Insecure.MD5>()
        case .sha1: return SwiftCryptoHash<Insecure.SHA1>()
        case .sha224: return LibcryptoHash(.sha224)  // swift-crypto has no SHA-224; one LoC conformance bag uses it
        case .sha256: return SwiftCryptoHash<SHA256>()  // SHA-NI through BoringSSL
        case .sha384: return SwiftCryptoHash<SHA384>()
        case .sha512: return SwiftCryptoHash<SHA512>()
        }
    }

    func update(_ buffer: UnsafeRawBufferPointer) {
        backend.update(buffer)
    }

    func finalize() -> Digest {
        Digest(algorithm: algorithm, bytes: backend.finalize())
    }
}

protocol HashBackend: AnyObject {
    func update(_ buffer: UnsafeRawBufferPointer)
    func finalize() -> [UInt8]
}

private final class SwiftCryptoHash<H: HashFunction>: HashBackend {
    private var hash = H()

    func update(_ buffer: UnsafeRawBufferPointer) {
        hash.update(bufferPointer: buffer)
    }

    func finalize() -> [UInt8] {
        Array(hash.finalize())
    }
}
