// swift-tools-version:6.0
import PackageDescription

/// Amana: evidence-integrity and chain-of-custody archiver.
///
/// Linux only: the code relies on `O_DIRECT`, `syncfs` and Debian's certificate bundle path, so no other platform
/// is declared. C libraries come in through system-library targets found with pkg-config; only files named
/// `*_sodium.swift`, `*_libarchive.swift`, `*_libcrypto.swift` or `*_zlib.swift` import them.
let package = Package(
    name: "amana",
    products: [
        .library(name: "AmanaKit", targets: ["AmanaKit"]),
        .executable(name: "amana", targets: ["amana"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // At least 4.5.2, the version tested with the X-Wing KEM through HPKE (age's hybrid post-quantum recipients).
        .package(url: "https://github.com/apple/swift-crypto", "4.5.2"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.10.0"),
        // The evidence store's catalog (SQLite through GRDB; Debian's libsqlite3-dev on Linux).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // `amana report`'s HTML document: logic-less templates whose {{ }} HTML-escape every value from a bundle.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The S3 object store (spec/s3.md): HTTP through AsyncHTTPClient, S3's XML responses through XMLCoder.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
    ],
    targets: [
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CLibcrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // zlib's inflate, for a PDF's FlateDecode metadata streams (bounded output; Inflater_zlib.swift).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "AmanaKit",
            dependencies: [
                "CSodium", "CArchive", "CLibcrypto", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "XMLCoder", package: "XMLCoder"),
            ]
        ),
        .executableTarget(
            name: "amana",
            dependencies: [
                "AmanaKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "generate-vectors", dependencies: ["AmanaKit", "RawTar"]),
        // Hand-made ustar bytes for hostile archives, shared by the tests and the vector generator.
        .target(name: "RawTar", path: "Tests/RawTar"),
        // libFuzzer targets: `make fuzz` builds this with -sanitize=fuzzer,address and -DAMANA_FUZZER; a plain build
        // makes a replayer that runs saved inputs through the same code (used by the regression tests).
        .executableTarget(name: "amana-fuzz", dependencies: ["AmanaKit"]),
        .target(
            name: "AmanaTestSupport",
            dependencies: [
                "AmanaKit", "RawTar", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Tests/AmanaTestSupport"
        ),
        .testTarget(name: "AmanaKitTests", dependencies: ["AmanaKit", "AmanaTestSupport"]),
        .testTarget(name: "VectorTests", dependencies: ["AmanaKit", "AmanaTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["amana", "AmanaKit", "AmanaTestSupport"]),
        .testTarget(name: "InteropTests", dependencies: ["amana", "AmanaKit", "AmanaTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
