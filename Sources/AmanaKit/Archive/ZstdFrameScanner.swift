/// Finds where the first Zstandard frame of a stream ends, from the frame's structure alone (RFC 8878 section 3.1.1),
/// as the bytes go by: the frame header says how long its optional fields are, and every block header says how long
/// its block is, so nothing has to be decompressed and nothing is read twice.
///
/// ``DecompressingSource`` hands libarchive only the bytes up to that end. Whatever follows (junk, a second frame, or
/// a skippable frame, which every decoder passes over in silence) is then reported as trailing data, instead of being
/// decoded, ignored, or turned into a decompression error that would hide every other finding.
struct ZstdFrameScanner {
    /// A Zstandard frame starts with 0xFD2FB528, little-endian.
    static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    private enum State {
        case magic(seen: Int)
        case descriptor
        /// Window descriptor, dictionary id and content size: only their lengths matter here.
        case header(remaining: Int, checksum: Bool)
        case blockHeader(seen: Int, value: UInt32, checksum: Bool)
        case block(remaining: Int, last: Bool, checksum: Bool)
        case checksum(remaining: Int)
        case ended
        /// Not a well-formed frame: the scanner stands aside and libarchive reports what is wrong.
        case unreadable
    }

    private var state = State.magic(seen: 0)

    /// Scans the next bytes of the stream. Returns how many of them belong to the first frame when the frame ends
    /// among them (0 once it has ended), and nil while it goes on or when the bytes are not a well-formed frame.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> Int? {
        if case .ended = state { return 0 }
        var index = 0
        while index < bytes.count {
            let available = bytes.count - index
            switch state {
            case .magic(let seen):
                guard bytes[index] == ZstdFrameScanner.magic[seen] else {
                    state = .unreadable
                    return nil
                }
                index += 1
                state = seen == 3 ? .descriptor : .magic(seen: seen + 1)
            case .descriptor:
                let descriptor = bytes[index]
                index += 1
                guard descriptor & 0x08 == 0 else {  // the reserved bit must be zero
                    state = .unreadable
                    return nil
                }
                let singleSegment = descriptor & 0x20 != 0
                let window = singleSegment ? 0 : 1
                let dictionary = [0, 1, 2, 4][Int(descriptor & 0x03)]
                let contentSize = [singleSegment ? 1 : 0, 2, 4, 8][Int(descriptor >> 6)]
                state = .header(remaining: window + dictionary + contentSize, checksum: descriptor & 0x04 != 0)
                settle()
            case .header(let remaining, let checksum):
                let take = min(remaining, available)
                index += take
                state = .header(remaining: remaining - take, checksum: checksum)
                settle()
            case .blockHeader(let seen, let value, let checksum):
                let value = value | UInt32(bytes[index]) << (8 * seen)
                index += 1
                guard seen == 2 else {
                    state = .blockHeader(seen: seen + 1, value: value, checksum: checksum)
                    continue
                }
                let size = Int(value >> 3)
                let body: Int
                switch (value >> 1) & 0x03 {
                case 0, 2: body = size  // raw, compressed: the block's bytes
                case 1: body = 1  // RLE: one byte, repeated `size` times
                default:
                    state = .unreadable  // reserved block type
                    return nil
                }
                state = .block(remaining: body, last: value & 1 == 1, checksum: checksum)
                settle()
            case .block(let remaining, let last, let checksum):
                let take = min(remaining, available)
                index += take
                state = .block(remaining: remaining - take, last: last, checksum: checksum)
                settle()
            case .checksum(let remaining):
                let take = min(remaining, available)
                index += take
                state = .checksum(remaining: remaining - take)
                settle()
            case .ended:
                return index
            case .unreadable:
                return nil
            }
            if case .ended = state { return index }
        }
        return nil
    }

    /// Moves past a part that is complete, so that a frame whose last part ends exactly at the end of a chunk is
    /// reported as ended with that chunk, not with the next one.
    private mutating func settle() {
        switch state {
        case .header(0, let checksum):
            state = .blockHeader(seen: 0, value: 0, checksum: checksum)
        case .block(0, let last, let checksum):
            state = !last ? .blockHeader(seen: 0, value: 0, checksum: checksum) : checksum ? .checksum(remaining: 4) : .ended
        case .checksum(0):
            state = .ended
        default:
            break
        }
    }
}
