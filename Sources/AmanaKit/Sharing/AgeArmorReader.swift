/// Decodes age's ASCII armor strictly, line by line, as the bytes are asked for.
///
/// The spec's strict form: optional whitespace, the BEGIN line, base64 lines of exactly 64 columns with padding only
/// at the end of the last (which may be shorter), the END line, optional whitespace. Lines may end in LF or CRLF.
/// Nothing else is accepted (no headers, no checksums, no spaces), so one file has one armored spelling. Each line is
/// checked before its bytes are handed on, so a broken armor is reported as such, never as a broken header.
final class AgeArmorReader: AgeByteSource {
    private let lines: AgeInput
    private var pending: [UInt8] = []
    private var started = false
    private var lastLineSeen = false
    private var done = false

    init(_ source: AgeByteSource) {
        lines = AgeInput(source, bufferSize: 16 * 1024)
    }

    static func failure(_ reason: String) -> AmanaError {
        AmanaError(.ageArmor, "the ASCII armor is malformed: \(reason)")
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// The next line without LF or CRLF, or nil at the end.
    private func line() throws -> [UInt8]? {
        guard var l = try lines.readLine(limit: 128, partialAtEnd: true) else { return nil }
        if l.last == 0x0D { l.removeLast() }
        return l
    }

    private func begin() throws {
        started = true
        var l: [UInt8]
        repeat {
            guard let next = try line() else { throw AgeArmorReader.failure("there is no BEGIN line") }
            l = next
        } while l.allSatisfy(AgeArmorReader.isSpace)
        guard l == AgeFormat.armorBegin else { throw AgeArmorReader.failure("the BEGIN line is not '-----BEGIN AGE ENCRYPTED FILE-----'") }
    }

    /// After the END line only whitespace may follow.
    private func finish() throws {
        var rest = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = try rest.withUnsafeMutableBytes { try lines.read(into: $0) }
            if n == 0 { break }
            guard rest[..<n].allSatisfy(AgeArmorReader.isSpace) else {
                throw AgeArmorReader.failure("there is data after the END line")
            }
        }
        done = true
    }

    private func nextLine() throws {
        guard let l = try line() else {
            throw AgeArmorReader.failure("there is no END line")
        }
        if l == AgeFormat.armorEnd {
            try finish()
            return
        }
        guard !lastLineSeen else { throw AgeArmorReader.failure("a line follows the short last line") }
        guard !l.isEmpty, l.count <= AgeFormat.armorColumns, let bytes = AgeBase64.decodePadded(l) else {
            throw AgeArmorReader.failure("a line is not canonical padded base64 of at most 64 columns")
        }
        if l.count < AgeFormat.armorColumns || l.last == UInt8(ascii: "=") { lastLineSeen = true }
        pending = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if !started { try begin() }
        while pending.isEmpty {
            if done { return 0 }
            try nextLine()
        }
        let n = min(buffer.count, pending.count)
        pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
        pending.removeFirst(n)
        return n
    }
}
