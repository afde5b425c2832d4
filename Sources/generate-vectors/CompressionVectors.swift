/// Compressed containers (bundle.md section 3): the four accepted compressions, and everything a compressed file
/// may hide outside its one stream. Made with the stock command-line tools (gzip -n, bzip2, xz, zstd), which give
/// the same bytes on every run.
enum CompressionVectors {
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] { try run("/usr/bin/gzip", ["-n", "-9", "-c"], stdin: bytes) }
    static func bzip2(_ bytes: [UInt8]) throws -> [UInt8] { try run("/usr/bin/bzip2", ["-9", "-c"], stdin: bytes) }
    static func xz(_ bytes: [UInt8], format: String = "xz") throws -> [UInt8] {
        try run("/usr/bin/xz", ["--format=\(format)", "-6", "-c", "-T1"], stdin: bytes)
    }
    static func zstd(_ bytes: [UInt8]) throws -> [UInt8] { try run("/usr/bin/zstd", ["-q", "-19", "-c", "--no-progress"], stdin: bytes) }

    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let tar = base.sealed
        var cases = [VectorCase]()
        func add(_ name: String, _ comment: String, _ file: String, _ verdict: String, _ codes: [String], _ bytes: [UInt8]) {
            cases.append(VectorCase("compression", name, comment, input: .tar(bytes, name: file), verdict: verdict, codes: codes))
        }
        let ok = [claimedOnly]
        let gz = try gzip(tar), bz = try bzip2(tar), xzBytes = try xz(tar), zst = try zstd(tar)
        add("gzip", "the valid bundle, gzip-compressed", "bundle.tar.gz", passed, ok, gz)
        add("bzip2", "the valid bundle, bzip2-compressed", "bundle.tar.bz2", passed, ok, bz)
        add("xz", "the valid bundle, xz-compressed", "bundle.tar.xz", passed, ok, xzBytes)
        add("zstd", "the valid bundle, zstd-compressed", "bundle.tar.zst", passed, ok, zst)
        add("gzip-zero-padding", "gzip output padded with zeros to a whole record, as bsdtar writes it", "bundle.tar.gz", passed, ok,
            gz + [UInt8](repeating: 0, count: 10240 - gz.count % 10240))
        add("gzip-trailing-junk", "bytes after the gzip member", "bundle.tar.gz", failed, ["archive.trailing-data"] + ok,
            gz + utf8("PK\u{5}\u{6}junk"))
        add("gzip-second-member", "a second, empty gzip member after the first", "bundle.tar.gz", failed, ["archive.trailing-data"] + ok,
            gz + (try gzip([])))
        var badTrailer = gz
        badTrailer[badTrailer.count - 8] ^= 0xFF
        add("gzip-trailer-crc", "a gzip trailer whose CRC-32 does not describe the stream", "bundle.tar.gz", failed,
            ["archive.trailing-data"] + ok, badTrailer)
        add("gzip-twice", "a tar compressed twice (.tar.gz.gz)", "bundle.tar.gz", failed, ["archive.format.invalid"], try gzip(gz))
        add("bzip2-trailing-junk", "bytes after the bzip2 stream", "bundle.tar.bz2", failed, ["archive.trailing-data"] + ok,
            bz + utf8("junk after the stream"))
        add("zstd-skippable-frame", "a zstd skippable frame after the data frame", "bundle.tar.zst", failed, ["archive.trailing-data"] + ok,
            zst + [0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0] + utf8("hide"))
        add("zstd-second-frame", "a second zstd frame after the first", "bundle.tar.zst", failed, ["archive.trailing-data"] + ok,
            zst + (try zstd(utf8("more"))))
        add("lzma", "the bundle in the legacy .lzma format, which Amana does not accept", "bundle.tar.lzma", failed,
            ["archive.format.invalid"], try xz(tar, format: "lzma"))
        add("lz4", "the bundle lz4-compressed, which Amana does not accept", "bundle.tar.lz4", failed,
            ["archive.format.invalid"], try run("/usr/bin/lz4", ["-q", "-c"], stdin: tar))
        add("compress-z", "the bundle in compress(1) .Z format, which Amana does not accept", "bundle.tar.Z", failed,
            ["archive.format.invalid"], try run("/usr/bin/compress", ["-c"], stdin: tar))
        return cases
    }
}
