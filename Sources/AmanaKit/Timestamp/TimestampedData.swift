/// What a token is checked against: the stamped bytes, or their digests when the caller has them already.
///
/// The token decides which digest algorithm matters, so a caller that passes digests should pass every strong one it
/// has (``TimestampedData/file(_:)`` computes SHA-224, SHA-256, SHA-384 and SHA-512 in one read). MD5 and SHA-1 are
/// never computed: an imprint under them is refused before any comparison.
package struct TimestampedData: Sendable {
    private enum Storage: Sendable {
        case bytes([UInt8])
        case digests([DigestAlgorithm: Digest])
    }

    private let storage: Storage

    package static func bytes(_ bytes: [UInt8]) -> TimestampedData { TimestampedData(storage: .bytes(bytes)) }

    package static func digests(_ digests: [DigestAlgorithm: Digest]) -> TimestampedData {
        TimestampedData(storage: .digests(digests))
    }

    /// The strong algorithms a TSA may use for the imprint.
    package static let imprintAlgorithms: [DigestAlgorithm] = [.sha224, .sha256, .sha384, .sha512]

    /// Streams a file once and keeps every strong digest of it.
    /// - Throws: `AmanaError` (`input.unreadable`, `input.invalid`) when the file cannot be read.
    package static func file(_ path: String) throws -> TimestampedData {
        let file = try ReadOnlyFile(path: path)
        let multi = MultiDigest(imprintAlgorithms)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try file.read(into: buffer)
            if count == 0 { break }
            try multi.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        return .digests(multi.finalize())
    }

    /// The digest of the data under `algorithm`, or nil when the caller passed digests without this one.
    package func digest(_ algorithm: DigestAlgorithm) -> [UInt8]? {
        switch storage {
        case .bytes(let bytes): return MultiDigest.digests(of: bytes, [algorithm])[algorithm]?.bytes
        case .digests(let digests): return digests[algorithm]?.bytes
        }
    }
}
