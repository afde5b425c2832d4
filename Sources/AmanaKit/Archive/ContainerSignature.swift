/// The first bytes of the compressions and archive formats a bundle might arrive in, so that the four compressions
/// bundle.md section 3 accepts can be told from the rest before any decoder sees the file, and a refused file can be
/// named in its finding ("an lz4 stream", "a zip archive").
///
/// libarchive can undo and read far more than a bundle may be. lz4 has skippable frames that its decoders pass over in
/// silence, so an lz4-compressed bundle carrying a zip in such a frame verified while a zip tool showed a forged
/// exhibit. So only gzip, bzip2, xz and zstd are handed to a decoder, each checked to its last byte; a file that starts
/// with neither a tar header nor one of those is `archive.format.invalid`, however readable. A signature alone never
/// refuses a file: a tar whose first name happens to start with `07070` or `begin ` is still a tar.
struct ContainerSignature {
    let name: String
    /// Where the magic bytes sit in the file.
    let offset: Int
    let magic: [UInt8]
    /// A compression a bundle may use (bundle.md section 3).
    let accepted: Bool

    private init(_ name: String, _ magic: [UInt8], at offset: Int = 0, accepted: Bool = false) {
        self.name = name
        self.offset = offset
        self.magic = magic
        self.accepted = accepted
    }

    private init(_ name: String, _ text: String, at offset: Int = 0) {
        self.init(name, Array(text.utf8), at: offset)
    }

    static let gzip = ContainerSignature("a gzip stream", [0x1F, 0x8B], accepted: true)
    static let bzip2 = ContainerSignature("a bzip2 stream", Array("BZh".utf8), accepted: true)
    static let xz = ContainerSignature("an xz stream", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], accepted: true)
    static let zstd = ContainerSignature("a zstd stream", ZstdFrameScanner.magic, accepted: true)

    /// Every signature, accepted ones first. The table only names what it sees: a file that matches none is still
    /// refused when its first header is not a tar header.
    static let all: [ContainerSignature] = [
        gzip, bzip2, xz, zstd,
        ContainerSignature("an lz4 stream", [0x04, 0x22, 0x4D, 0x18]),
        ContainerSignature("a legacy lz4 stream", [0x02, 0x21, 0x4C, 0x18]),
        ContainerSignature("an lz4 or zstd skippable frame", [0x2A, 0x4D, 0x18], at: 1),
        ContainerSignature("an lzma stream", [0x5D, 0x00, 0x00]),
        ContainerSignature("an lzip stream", "LZIP"),
        ContainerSignature("an lzop stream", [0x89, 0x4C, 0x5A, 0x4F, 0x00, 0x0D, 0x0A, 0x1A, 0x0A]),
        ContainerSignature("an lrzip stream", "LRZI"),
        ContainerSignature("a grzip stream", "GRZipII"),
        ContainerSignature("a compress (.Z) stream", [0x1F, 0x9D]),
        ContainerSignature("a base64-encoded file", "begin-base64 "),
        ContainerSignature("a uuencoded file", "begin "),
        ContainerSignature("a zip archive", "PK\u{3}\u{4}"),
        ContainerSignature("an empty zip archive", "PK\u{5}\u{6}"),
        ContainerSignature("a 7-Zip archive", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]),
        ContainerSignature("a RAR archive", "Rar!"),
        ContainerSignature("a cab archive", "MSCF"),
        ContainerSignature("a xar archive", "xar!"),
        ContainerSignature("a cpio archive", "07070"),
        ContainerSignature("a binary cpio archive", [0xC7, 0x71]),
        ContainerSignature("a binary cpio archive", [0x71, 0xC7]),
        ContainerSignature("an ar archive", "!<arch>\n"),
        ContainerSignature("an RPM package", [0xED, 0xAB, 0xEE, 0xDB]),
        ContainerSignature("an mtree listing", "#mtree"),
        ContainerSignature("a shell archive (shar)", "#!/bin/sh"),
        ContainerSignature("a WARC file", "WARC/"),
        ContainerSignature("an LHA archive", "-lh", at: 2),
        ContainerSignature("an ISO 9660 image", "CD001", at: 32769),
        // An encrypted bundle given without --identity: the name says how to read it (spec/encryption.md 4.1).
        ContainerSignature("an age-encrypted file (give --identity to read the bundle inside)", "age-encryption.org/v1\n"),
        ContainerSignature("an armored age-encrypted file (give --identity to read the bundle inside)",
                           "-----BEGIN AGE ENCRYPTED FILE-----"),
    ]

    /// The signature `bytes` (read from the start of a file or stream) begin with, if any.
    static func identify(_ bytes: [UInt8]) -> ContainerSignature? {
        all.first { signature in
            bytes.count >= signature.offset + signature.magic.count
                && bytes[signature.offset..<(signature.offset + signature.magic.count)].elementsEqual(signature.magic)
        }
    }

    /// The signature at the start of `file`, if any.
    static func identify(_ file: BundleFile) -> ContainerSignature? {
        var head = [UInt8](repeating: 0, count: 32774)
        let n = (try? head.withUnsafeMutableBytes { try file.read(at: 0, into: $0) }) ?? 0
        return identify(Array(head.prefix(n)))
    }
}
