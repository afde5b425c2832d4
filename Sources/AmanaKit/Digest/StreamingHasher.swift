import Crypto

/// One running digest computation over a stream of buffers.
///
/// A class, so that a concurrent pipeline can hand each hasher to its own thread without copying state. Which
/// library computes which algorithm is decided in one place, ``library(for:)``, so moving an algorithm to another
/// library is one line; ``backend(_:from:)`` builds any of them, which is how the tests prove every back end
/// against known answers and how the back-end benchmark compares them.
final class StreamingHasher {
    let algorithm: DigestAlgorithm
    private let backend: HashBackend

    init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        // Every algorithm has a back end in the library chosen for it (the tests check the whole table).
        self.backend = StreamingHasher.backend(algorithm, from: StreamingHasher.library(for: algorithm))!
    }

    /// The library that computes `algorithm`. The choices for the sealing algorithms were measured per core, in
    /// 4 MiB updates (DigestBackendThroughputTests; figures in bench/README.md).
    static func library(for algorithm: DigestAlgorithm) -> HashLibrary {
        switch algorithm {
        case .md5, .sha1, .sha384: return .swiftCrypto
        case .sha224: return .libcrypto  // swift-crypto has no SHA-224; one LoC conformance bag uses it
        case .sha256: return .swiftCrypto  // SHA-NI through BoringSSL; libcrypto is as fast, libsodium 5x slower
        // SHA-512 sets the pace of a default seal. OpenSSL 3 has an AVX2 SHA-512; BoringSSL has only an AVX one,
        // taken only on Intel: libcrypto measured 1.09x faster on Intel Xeon, 1.4x on AMD EPYC.
        case .sha512: return .libcrypto
        case .blake2b512: return .libsodium  // the same code that minisign's prehash uses
        }
    }

    /// A fresh computation of `algorithm` by `library`, or nil when that library does not offer it.
    static func backend(_ algorithm: DigestAlgorithm, from library: HashLibrary) -> HashBackend? {
        switch (library, algorithm) {
        case (.swiftCrypto, .md5): return SwiftCryptoHash<Insecure.MD5>()
        case (.swiftCrypto, .sha1): return SwiftCryptoHash<Insecure.SHA1>()
        case (.swiftCrypto, .sha256): return SwiftCryptoHash<SHA256>()
        case (.swiftCrypto, .sha384): return SwiftCryptoHash<SHA384>()
        case (.swiftCrypto, .sha512): return SwiftCryptoHash<SHA512>()
        case (.libcrypto, _): return LibcryptoHash(algorithm)
        case (.libsodium, .sha256): return SodiumSHA256()
        case (.libsodium, .sha512): return SodiumSHA512()
        case (.libsodium, .blake2b512): return Blake2b(outputLength: 64)
        default: return nil
        }
    }

    func update(_ buffer: UnsafeRawBufferPointer) {
        backend.update(buffer)
    }

    func finalize() -> Digest {
        Digest(algorithm: algorithm, bytes: backend.finalize())
    }
}

/// The libraries Amana can take digests from.
enum HashLibrary: String, CaseIterable {
    /// apple/swift-crypto (BoringSSL inside).
    case swiftCrypto = "swift-crypto"
    /// OpenSSL 3's libcrypto, through its EVP interface.
    case libcrypto
    /// libsodium, which Amana already needs for Ed25519 and scrypt.
    case libsodium
}

/// The small interface every digest library is reached through.
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
