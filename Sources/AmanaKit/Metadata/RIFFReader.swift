/// Walks a WAV file's RIFF chunks, seeking over each: duration from `fmt ` and the `data` size, tags from
/// `LIST`/`INFO`.
///
/// The sample data is stepped over by its size, never read. RIFF is little-endian and pads odd chunks to even sizes.
struct RIFFReader {
    /// INFO chunk ids Amana records, and the field each feeds (the Multimedia Programming Interface's list).
    static let infoFields: [String: MetadataField] = [
        "INAM": .title, "IART": .artist, "ICRD": .createTime, "ISFT": .software,
    ]

    private(set) var byteRate: UInt32?
    private(set) var dataSize: UInt64?
    /// INFO id and text, in file order.
    private(set) var info: [(id: String, text: String)] = []

    static func looksLike(_ head: [UInt8]) -> Bool {
        head.count >= 12 && head.starts(with: Array("RIFF".utf8)) && Array(head[8..<12]) == Array("WAVE".utf8)
    }

    init(source: MetadataSource) throws {
        var offset: UInt64 = 12
        // The RIFF size is not trusted as a bound: writers under-state it (a camera's WAV in the exiftool set declares
        // 200 bytes and holds 224). Chunks are walked to the end of the file, each checked against it.
        let end = source.size
        for _ in 0..<MetadataLimits.boxes {
            guard end > offset, end - offset >= 8 else { return }
            let header = ByteFields(try source.read(at: offset, count: 8), littleEndian: true)
            let id = ISOBMFFReader.fourCC(try header.slice(0, 4))
            let length = UInt64(try header.u32(4))
            let payload = offset + 8
            if id == "data" {
                // Recorders that stop abruptly leave a data size past the end; the duration is then what was written.
                dataSize = min(length, source.size - payload)
            } else {
                guard length <= end - payload else {
                    throw MetadataParseError(MetadataParseError.truncated, "RIFF chunk '\(id)' at offset \(offset) runs past the end")
                }
                if id == "fmt " {
                    byteRate = try ByteFields(try source.read(at: payload, count: 12), littleEndian: true).u32(8)
                } else if id == "LIST", length >= 4, try source.read(at: payload, count: 4) == Array("INFO".utf8) {
                    try readInfo(ByteFields(try source.read(at: payload + 4, count: Int(min(length - 4, 65_536))),
                                            littleEndian: true))
                }
            }
            offset = payload + length + (length & 1)
        }
        throw MetadataParseError(MetadataParseError.limit, "more RIFF chunks than the limit")
    }

    private mutating func readInfo(_ list: ByteFields) throws {
        var at = 0
        while list.count - at >= 8 {
            let id = ISOBMFFReader.fourCC(try list.slice(at, 4))
            let length = Int(try list.u32(at + 4))
            guard length <= list.count - at - 8 else {
                throw MetadataParseError(MetadataParseError.truncated, "INFO entry '\(id)' runs past its list")
            }
            let text = try list.slice(at + 8, length)
            info.append((id, String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)))
            at += 8 + length + (length & 1)
        }
    }
}
