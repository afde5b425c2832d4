import CZlib

/// zlib's `compress2`, for tests that need a FlateDecode stream (a PDF's compressed XMP or object stream, a zip bomb)
/// without a tool on the PATH.
package func zlibCompress(_ bytes: [UInt8], level: Int32 = 9) -> [UInt8] {
    var length = compressBound(uLong(bytes.count))
    var out = [UInt8](repeating: 0, count: Int(length))
    let status = compress2(&out, &length, bytes, uLong(bytes.count), level)
    precondition(status == Z_OK, "compress2 failed: \(status)")
    return Array(out.prefix(Int(length)))
}
