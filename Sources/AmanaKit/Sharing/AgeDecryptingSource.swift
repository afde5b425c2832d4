/// An encrypted bundle (`B.tar.age`, binary or armored) read as the tar inside it: the tar reader pulls plaintext
/// that is decrypted and authenticated a chunk at a time, in memory, so verifying, inspecting or receiving an encrypted
/// bundle never writes its plaintext anywhere.
///
/// Failures of the encryption itself (no identity opens it, a changed header, a damaged chunk) are thrown as the
/// `age.*` error, not turned into tar findings: they say nothing about the evidence, only that this file cannot be
/// read with these keys, and the caller stops with one error line.
final class AgeDecryptingSource: TarByteSource {
    private let raw: PlainTarSource
    private let stream: AgePlaintextStream
    private var delivered: Int64 = 0

    init(file: BundleFile, identities: [AgeIdentity]) throws {
        raw = PlainTarSource(file: file)
        let source: AgeByteSource = try AgeDecryptingSource.isArmored(file) ? AgeArmorReader(raw) : raw
        stream = try AgePlaintextStream(AgeInput(source), identities: identities)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try stream.read(into: buffer)
        delivered += Int64(n)
        return n
    }

    var counts: (raw: Int64, expanded: Int64) { (raw.counts.raw, delivered) }

    /// The SHA-256 of the encrypted file itself, read through the open file, for the `received` event.
    static func sha256(of file: BundleFile) throws -> String {
        let digest = MultiDigest([.sha256])
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while true {
            let n = try file.read(at: offset, into: buffer)
            if n == 0 { break }
            try digest.update(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            offset += Int64(n)
        }
        return digest.finalize()[.sha256]!.hex
    }

    static func folderGiven(_ path: String) -> AmanaError {
        AmanaError(.usage, "\(path) is a folder; --identity applies to an encrypted bundle file (.tar.age)")
    }

    /// True if the file starts (after whitespace) with `-----`, age's armor, as ``AgeDecryptor`` decides.
    static func isArmored(_ file: BundleFile) throws -> Bool {
        var first = [UInt8](repeating: 0, count: 4096)
        let n = try first.withUnsafeMutableBytes { try file.read(at: 0, into: $0) }
        let text = first[..<n].drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        return text.starts(with: Array("-----".utf8))
    }
}

extension PlainTarSource: AgeByteSource {}
