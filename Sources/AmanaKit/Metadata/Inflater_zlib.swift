import CZlib

/// zlib's inflate with a hard cap on what it may produce: a PDF's FlateDecode stream (RFC 1950) is metadata to read,
/// and a few kilobytes can claim gigabytes (a "zip bomb"). Output past `limit` stops the inflation at once and is a
/// `metadata.parse.limit` finding; the memory used is at most `limit` plus zlib's own window (spec/threat-model.md).
enum Inflater {
    static func inflate(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw MetadataParseError(MetadataParseError.unreadable, "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16_384)
        var input = input
        return try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                guard output.count + produced <= limit else {
                    throw MetadataParseError(MetadataParseError.limit,
                                             "a compressed stream inflates to more than the limit of \(limit) bytes")
                }
                output += chunk[..<produced]
                switch status {
                case Z_STREAM_END: return output
                case Z_OK: continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw MetadataParseError(MetadataParseError.truncated, "a compressed stream ends before its end marker")
                default:
                    throw MetadataParseError(MetadataParseError.malformed, "a compressed stream is not valid zlib data")
                }
            }
        }
    }
}
