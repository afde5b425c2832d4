import AmanaTestSupport
import Foundation
import XCTest

/// Builds small files byte by byte for the metadata tests: honest ones, and hostile ones no tool would write.
enum MetadataFixtures {
    /// A TIFF entry: tag, type, count, and its value bytes (big-endian).
    struct Entry {
        var tag: UInt16
        var type: UInt16
        var count: UInt32
        var value: [UInt8]

        static func ascii(_ tag: UInt16, _ text: String) -> Entry {
            let bytes = Array(text.utf8) + [0]
            return Entry(tag: tag, type: 2, count: UInt32(bytes.count), value: bytes)
        }

        static func short(_ tag: UInt16, _ value: UInt16) -> Entry {
            Entry(tag: tag, type: 3, count: 1, value: be16(value))
        }

        static func rationals(_ tag: UInt16, _ values: [(Int32, Int32)], signed: Bool = false) -> Entry {
            Entry(tag: tag, type: signed ? 10 : 5, count: UInt32(values.count),
                  value: values.flatMap { be32(UInt32(bitPattern: $0.0)) + be32(UInt32(bitPattern: $0.1)) })
        }
    }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be64(_ v: UInt64) -> [UInt8] { be32(UInt32(v >> 32)) + be32(UInt32(v & 0xFFFF_FFFF)) }

    /// A big-endian TIFF block with IFD0 and optional Exif and GPS IFDs; values longer than 4 bytes go after each IFD.
    static func tiff(ifd0: [Entry], exif: [Entry] = [], gps: [Entry] = []) -> [UInt8] {
        var out: [UInt8] = [0x4D, 0x4D, 0, 42] + be32(8)
        func directorySize(_ entries: [Entry]) -> Int {
            2 + entries.count * 12 + 4 + entries.reduce(0) { $0 + ($1.value.count > 4 ? $1.value.count : 0) }
        }
        var ifd0 = ifd0
        let pointerCount = (exif.isEmpty ? 0 : 1) + (gps.isEmpty ? 0 : 1)
        var next = 8 + directorySize(ifd0) + pointerCount * 12
        if !exif.isEmpty { ifd0.append(Entry(tag: 0x8769, type: 4, count: 1, value: be32(UInt32(next)))); next += directorySize(exif) }
        if !gps.isEmpty { ifd0.append(Entry(tag: 0x8825, type: 4, count: 1, value: be32(UInt32(next)))) }
        for entries in [ifd0, exif, gps] where !entries.isEmpty {
            let start = out.count
            var extra: [UInt8] = []
            let extraStart = start + 2 + entries.count * 12 + 4
            out += be16(UInt16(entries.count))
            for entry in entries.sorted(by: { $0.tag < $1.tag }) {
                out += be16(entry.tag) + be16(entry.type) + be32(entry.count)
                if entry.value.count <= 4 {
                    out += entry.value + [UInt8](repeating: 0, count: 4 - entry.value.count)
                } else {
                    out += be32(UInt32(extraStart + extra.count))
                    extra += entry.value
                }
            }
            out += be32(0) + extra
        }
        return out
    }

    /// A JPEG with an APP1 Exif segment holding `tiff` and a baseline frame of the given size (no image data).
    static func jpeg(tiff: [UInt8]?, width: UInt16 = 64, height: UInt16 = 48) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        if let tiff {
            let payload = Array("Exif".utf8) + [0, 0] + tiff
            out += [0xFF, 0xE1] + be16(UInt16(payload.count + 2)) + payload
        }
        out += [0xFF, 0xC0] + be16(11) + [8] + be16(height) + be16(width) + [1, 1, 0x11, 0]
        out += [0xFF, 0xDA, 0, 2, 0xFF, 0xD9]
        return out
    }

    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        be32(UInt32(8 + payload.count)) + Array(type.unicodeScalars.map { UInt8($0.value) }) + payload
    }

    /// A version-0 `mvhd` with the given creation time (seconds since 1904), timescale 1000 and duration.
    static func mvhd(creation: UInt32, modification: UInt32 = 0, duration: UInt32 = 2500) -> [UInt8] {
        box("mvhd", [0, 0, 0, 0] + be32(creation) + be32(modification) + be32(1000) + be32(duration)
            + [UInt8](repeating: 0, count: 80))
    }

    /// A PNG chunk; the CRC is left zero because Amana's reader does not check it (it is not a PNG validator).
    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        be32(UInt32(data.count)) + Array(type.utf8) + data + [0, 0, 0, 0]
    }

    static func png(width: UInt32, height: UInt32, chunks: [[UInt8]]) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + pngChunk("IHDR", be32(width) + be32(height) + [8, 2, 0, 0, 0])
            + pngChunk("IDAT", [UInt8](repeating: 0, count: 32)) + chunks.flatMap { $0 } + pngChunk("IEND", [])
    }
}
