/// Reads an MP3's ID3v2 text frames, its ID3v1 tag, and its duration, seeking rather than streaming.
///
/// The duration comes, in this order, from a Xing/Info or VBRI header in the first frame (an encoder's frame count),
/// from walking at most ``frameWalk`` frame headers to the end, or else from the audio's byte count at the first
/// frame's bit rate (exact for constant bit rate only: the source name says which was used).
struct MP3Reader {
    /// ID3v2 frame ids (2.3/2.4 and 2.2) Amana records, and the field each feeds.
    static let frames: [String: MetadataField] = [
        "TIT2": .title, "TT2": .title, "TPE1": .artist, "TP1": .artist, "TDRC": .createTime, "TYER": .createTime,
        "TYE": .createTime, "TSSE": .software, "TSS": .software, "TENC": .software, "TEN": .software,
    ]
    /// Frame headers walked when no encoder header gives the count.
    static let frameWalk = 2_000
    /// How far past the tag a first frame is looked for.
    static let syncWindow = 65_536

    /// ID3 source (`id3v2.3:TIT2`, `id3v1:title`) and text, in file order.
    private(set) var tags: [(source: String, field: MetadataField, text: String)] = []
    private(set) var duration: (seconds: Double, source: String, raw: String)?

    static func looksLike(_ head: [UInt8]) -> Bool {
        head.starts(with: Array("ID3".utf8)) || FrameHeader(Array(head.prefix(4))) != nil
    }

    init(source: MetadataSource) throws {
        var audioStart: UInt64 = 0
        let head = try source.read(at: 0, count: Int(min(source.size, 10)))
        if head.starts(with: Array("ID3".utf8)), head.count == 10 {
            let size = try MP3Reader.syncSafe(ByteFields(head), 6)
            let footer: UInt64 = head[5] & 0x10 != 0 ? 10 : 0
            guard UInt64(size) <= source.size - 10 else {
                throw MetadataParseError(MetadataParseError.truncated, "the ID3v2 tag claims \(size) bytes, past the end")
            }
            try readID3(major: head[3], flags: head[5],
                        body: try source.read(at: 10, count: Int(size)))
            audioStart = 10 + UInt64(size) + footer
        }
        var audioEnd = source.size
        if source.size >= audioStart + 128 {
            let v1 = try source.read(at: source.size - 128, count: 128)
            if v1.starts(with: Array("TAG".utf8)) {
                audioEnd -= 128
                for (name, field, at, length) in [("title", MetadataField.title, 3, 30), ("artist", .artist, 33, 30),
                                                  ("year", .createTime, 93, 4)] {
                    let text = String(v1[at..<at + length].prefix { $0 != 0 }.map { Character(Unicode.Scalar($0)) })
                        .metadataTrimmed
                    if !text.isEmpty { tags.append(("id3v1:\(name)", field, text)) }
                }
            }
        }
        guard audioEnd > audioStart else { return }
        try readDuration(source, from: audioStart, to: audioEnd)
    }

    static func syncSafe(_ fields: ByteFields, _ at: Int) throws -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<4 { value = value << 7 | UInt32(try fields.u8(at + index) & 0x7F) }
        return value
    }

    private mutating func readID3(major: UInt8, flags: UInt8, body: [UInt8]) throws {
        guard (2...4).contains(major) else {
            throw MetadataParseError(MetadataParseError.malformed, "ID3v2.\(major) is not a version Amana reads")
        }
        var bytes = body
        if flags & 0x80 != 0, major < 4 {
            // Whole-tag unsynchronisation: every FF 00 stands for FF.
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            for (index, byte) in bytes.enumerated() where !(byte == 0 && index > 0 && bytes[index - 1] == 0xFF) { out.append(byte) }
            bytes = out
        }
        let fields = ByteFields(bytes)
        var at = 0
        if flags & 0x40 != 0, major >= 3 {
            let size = major == 4 ? Int(try MP3Reader.syncSafe(fields, 0)) : Int(try fields.u32(0)) + 4
            guard size >= 4, size <= bytes.count else {
                throw MetadataParseError(MetadataParseError.malformed, "the ID3v2 extended header has size \(size)")
            }
            at = size
        }
        let idLength = major == 2 ? 3 : 4, headerLength = major == 2 ? 6 : 10
        for _ in 0..<MetadataLimits.boxes {
            guard bytes.count - at >= headerLength, bytes[at] != 0 else { return }  // padding, or the end
            let id = String(decoding: bytes[at..<at + idLength], as: UTF8.self)
            let size: Int
            switch major {
            case 2: size = Int(try fields.u8(at + 3)) << 16 | Int(try fields.u16(at + 4))
            case 3: size = Int(try fields.u32(at + 4))
            default: size = Int(try MP3Reader.syncSafe(fields, at + 4))
            }
            let start = at + headerLength
            guard size <= bytes.count - start else {
                throw MetadataParseError(MetadataParseError.truncated, "ID3 frame '\(id)' runs past the end of its tag")
            }
            let frameFlags = major == 2 ? 0 : Int(try fields.u16(at + 8))
            // Compressed or encrypted frames (2.3: 0x80/0x40; 2.4: 0x08/0x04) are not inflated.
            let opaque = major == 3 ? frameFlags & 0xC0 != 0 : major == 4 ? frameFlags & 0x0C != 0 : false
            if let field = MP3Reader.frames[id], !opaque, size > 1 {
                let text = MP3Reader.text(Array(bytes[start..<start + size]))
                if !text.isEmpty { tags.append(("id3v2.\(major):\(id)", field, text)) }
            }
            at = start + size
        }
        throw MetadataParseError(MetadataParseError.limit, "more ID3 frames than the limit")
    }

    /// An ID3 text frame's first string: an encoding byte (Latin-1, UTF-16 with BOM, UTF-16BE, UTF-8), then text.
    static func text(_ frame: [UInt8]) -> String {
        let body = Array(frame.dropFirst())
        switch frame[0] {
        case 1, 2:
            var units = stride(from: 0, to: body.count - 1, by: 2).map { UInt16(body[$0]) << 8 | UInt16(body[$0 + 1]) }
            var littleEndian = false
            if units.first == 0xFFFE { littleEndian = true; units.removeFirst() } else if units.first == 0xFEFF { units.removeFirst() }
            if littleEndian { units = units.map { $0.byteSwapped } }
            return String(decoding: units.prefix { $0 != 0 }, as: UTF16.self).metadataTrimmed
        case 3:
            return String(decoding: body.prefix { $0 != 0 }, as: UTF8.self).metadataTrimmed
        default:
            return String(body.prefix { $0 != 0 }.map { Character(Unicode.Scalar($0)) }).metadataTrimmed
        }
    }

    /// One MPEG audio frame header: its length in bytes, samples, sample rate and bit rate (ISO 11172-3, 13818-3).
    struct FrameHeader {
        var length: Int, samples: Int, sampleRate: Int, bitRate: Int, mpeg1: Bool, mono: Bool

        static let bitRates: [[Int]] = [
            [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],  // MPEG-1 layer I
            [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],  // MPEG-1 layer II
            [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],  // MPEG-1 layer III
            [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],  // MPEG-2/2.5 layer I
            [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],  // MPEG-2/2.5 layers II and III
        ]

        init?(_ b: [UInt8]) {
            guard b.count >= 4, b[0] == 0xFF, b[1] & 0xE0 == 0xE0 else { return nil }
            let version = Int(b[1] >> 3 & 3), layer = Int(b[1] >> 1 & 3)
            let rateIndex = Int(b[2] >> 4), sampleIndex = Int(b[2] >> 2 & 3), padding = Int(b[2] >> 1 & 1)
            guard version != 1, layer != 0, rateIndex != 0, rateIndex != 15, sampleIndex != 3 else { return nil }
            mpeg1 = version == 3
            let table = mpeg1 ? 3 - layer : (layer == 3 ? 3 : 4)
            bitRate = FrameHeader.bitRates[table][rateIndex] * 1000
            sampleRate = [[11025, 12000, 8000], [], [22050, 24000, 16000], [44100, 48000, 32000]][version][sampleIndex]
            mono = b[3] >> 6 == 3
            switch layer {
            case 3: samples = 384; length = (12 * bitRate / sampleRate + padding) * 4
            case 2: samples = 1152; length = 144 * bitRate / sampleRate + padding
            default:
                samples = mpeg1 ? 1152 : 576
                length = (mpeg1 ? 144 : 72) * bitRate / sampleRate + padding
            }
        }
    }

    private mutating func readDuration(_ source: MetadataSource, from start: UInt64, to end: UInt64) throws {
        let window = try source.read(at: start, count: Int(min(end - start, UInt64(MP3Reader.syncWindow))))
        guard let sync = (0..<max(0, window.count - 3)).first(where: { FrameHeader(Array(window[$0..<$0 + 4])) != nil }),
              let first = FrameHeader(Array(window[sync..<sync + 4])) else { return }
        let frameStart = start + UInt64(sync)
        // Xing/Info sits after the side information; VBRI 32 bytes after the header.
        let side = first.mpeg1 ? (first.mono ? 17 : 32) : (first.mono ? 9 : 17)
        let probe = Array(window[sync...].prefix(4 + side + 16 + 64))
        for (tag, at) in [("Xing", 4 + side), ("Info", 4 + side), ("VBRI", 36)] where PDFReader.matches(tag, probe, at) {
            let fields = ByteFields(probe)
            let frames: UInt32?
            if tag == "VBRI" {
                frames = try? fields.u32(at + 14)
            } else {
                frames = (try? fields.u32(at + 4)).flatMap { $0 & 1 != 0 ? try? fields.u32(at + 8) : nil }
            }
            if let frames, frames > 0 {
                let seconds = Double(frames) * Double(first.samples) / Double(first.sampleRate)
                duration = (seconds, "mp3:\(tag).frames", "\(frames) frames x \(first.samples) / \(first.sampleRate) Hz")
                return
            }
        }
        var offset = frameStart, samples = 0, count = 0
        while count < MP3Reader.frameWalk, end - offset >= 4,
              let header = FrameHeader(try source.read(at: offset, count: 4)), UInt64(header.length) <= end - offset {
            samples += header.samples
            count += 1
            offset += UInt64(max(header.length, 4))
        }
        if count > 0, end - offset < 4 {
            let seconds = Double(samples) / Double(first.sampleRate)
            duration = (seconds, "mp3:frames", "\(count) frames, \(samples) samples / \(first.sampleRate) Hz")
        } else if first.bitRate > 0 {
            let bytes = end - frameStart
            duration = (Double(bytes) * 8 / Double(first.bitRate), "mp3:bytes/bitrate",
                        "\(bytes) bytes x 8 / \(first.bitRate) bit/s")
        }
    }
}
