#if canImport(Glibc)
import Glibc
#endif

/// Where the bytes of an age file come from: the file itself, or the armor decoder reading it.
protocol AgeByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ReadOnlyFile: AgeByteSource {}

/// A buffered reader over an ``AgeByteSource`` with the three reads the format needs: a header line, a run of
/// payload bytes, and "is this the end?". Its buffer is fixed, so reading never grows memory.
final class AgeInput {
    private let source: AgeByteSource
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var finished = false

    init(_ source: AgeByteSource, bufferSize: Int = 64 * 1024) {
        self.source = source
        self.buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    /// Refills the buffer after moving what is left to its front; false at the end of the source.
    private func fill() throws -> Bool {
        if finished { return false }
        if start > 0 {
            if end > start { buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end]) }
            end -= start
            start = 0
        }
        guard end < buffer.count else { return true }
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[end...])) }
        if n == 0 { finished = true; return false }
        end += n
        return true
    }

    /// The next line without its LF, or nil if the source ends first. A longer line than `limit` is a header failure.
    /// With `partialAtEnd`, a last line without LF is returned too.
    func readLine(limit: Int, partialAtEnd: Bool = false) throws -> [UInt8]? {
        var scanned = start
        while true {
            if let i = buffer[scanned..<end].firstIndex(of: 0x0A) {
                let l = Array(buffer[start..<i])
                start = i + 1
                return l
            }
            scanned = end
            if end - start > limit { throw AgeHeader.failure("a header line is too long") }
            let before = start
            guard try fill() else {
                guard partialAtEnd, end > start else { return nil }
                let l = Array(buffer[start..<end])
                start = end
                return l
            }
            scanned -= before - start
        }
    }

    /// Reads until `target` is full or the source ends; returns how many bytes were read.
    func read(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        if end > start {
            let n = min(end - start, target.count)
            buffer.withUnsafeBytes { target.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: n) }
            start += n
            filled = n
        }
        while filled < target.count && !finished {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: target[filled...]))
            if n == 0 { finished = true } else { filled += n }
        }
        return filled
    }

    /// True when no byte is left.
    func atEnd() throws -> Bool {
        if end > start { return false }
        return !(try fill())
    }
}
