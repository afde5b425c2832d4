/// CRC-32 as gzip computes it (ISO 3309 / ITU-T V.42: the reflected polynomial 0xEDB88320, all ones in and out).
///
/// It exists to check a gzip trailer against the bytes actually delivered: libarchive's gzip reader consumes the
/// trailer without comparing it, and a trailer that describes only the last of several members is how a second
/// member shows (``DecompressingSource``). Eight bytes are folded per step (slice-by-8), so the check costs a
/// fraction of the decompression it accompanies.
struct CRC32 {
    private var state: UInt32 = 0xFFFF_FFFF

    /// The CRC of every byte given so far.
    var value: UInt32 { ~state }

    /// Eight 256-entry tables, one after the other: entry `n` of table `k` is the CRC contribution of byte `n`
    /// followed by `k` zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var crc = UInt32(n)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
            tables[n] = crc
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = tables[(k - 1) * 256 + n]
                tables[k * 256 + n] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress, !bytes.isEmpty else { return }
        var remaining = bytes.count
        var crc = state
        CRC32.tables.withUnsafeBufferPointer { t in
            while remaining >= 8 {
                let one = p.loadUnaligned(as: UInt32.self).littleEndian ^ crc
                let two = (p + 4).loadUnaligned(as: UInt32.self).littleEndian
                crc = t[7 * 256 + Int(one & 0xFF)] ^ t[6 * 256 + Int((one >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((one >> 16) & 0xFF)] ^ t[4 * 256 + Int(one >> 24)]
                    ^ t[3 * 256 + Int(two & 0xFF)] ^ t[2 * 256 + Int((two >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((two >> 16) & 0xFF)] ^ t[Int(two >> 24)]
                p += 8
                remaining -= 8
            }
            while remaining > 0 {
                crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
                p += 1
                remaining -= 1
            }
        }
        state = crc
    }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }
}
