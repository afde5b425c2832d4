/// Writes ustar archives byte by byte, so the tests and the vector generator can make exactly the hostile archives
/// they need (duplicate names, `../` paths, links, devices, bad checksums) without any library "helpfully" refusing or
/// fixing them. One target shared by both (Tests/AmanaTestSupport re-exports it), so the two cannot drift apart.
package struct RawTar {
    package enum EntryType: UInt8 {
        case file = 0x30         // '0'
        case hardLink = 0x31     // '1'
        case symbolicLink = 0x32 // '2'
        case characterDevice = 0x33
        case directory = 0x35    // '5'
        case fifo = 0x36
        case paxExtended = 0x78   // 'x'
        case paxGlobal = 0x67     // 'g'
        case gnuLongName = 0x4C   // 'L'
        case solarisACL = 0x41    // 'A'
        case gnuSparse = 0x53     // 'S'
        case unknown = 0x5A       // 'Z': no tar assigns it
    }

    package struct Entry {
        package var name: String
        package var type: EntryType
        package var contents: [UInt8]
        package var linkName = ""
        /// Overrides the size field (to lie about the size); nil writes the real size.
        package var declaredSize: Int?
        /// Edits the finished 512-byte header; the checksum is computed afterwards unless `rawChecksum` is set.
        package var patch: ((inout [UInt8]) -> Void)?
        /// Leaves the checksum field as `patch` left it.
        package var rawChecksum = false

        package init(_ name: String, _ type: EntryType = .file, contents: [UInt8] = [], linkName: String = "",
             declaredSize: Int? = nil) {
            self.name = name
            self.type = type
            self.contents = contents
            self.linkName = linkName
            self.declaredSize = declaredSize
        }
    }

    /// A pax extended header entry ('x' or 'g') holding `records`, to put before the entry it describes.
    package static func pax(_ records: [(String, String)], type: EntryType = .paxExtended) -> Entry {
        var body = [UInt8]()
        for (key, value) in records {
            let text = " \(key)=\(value)\n"
            var length = text.utf8.count + 1
            while String(length).utf8.count + text.utf8.count != length { length += 1 }
            body += Array((String(length) + text).utf8)
        }
        return Entry("PaxHeader", type, contents: body)
    }

    package var entries: [Entry]
    /// Writes the two zero blocks that end an archive.
    package var endMarker = true
    /// Bytes after the end marker.
    package var trailer = [UInt8]()
    /// Every entry's modification time.
    package var mtime: Int

    package init(_ entries: [Entry] = [], mtime: Int = RawTar.testMTime) {
        self.entries = entries
        self.mtime = mtime
    }

    package func bytes() -> [UInt8] {
        var out = [UInt8]()
        for entry in entries {
            out += RawTar.header(entry, mtime: mtime)
            out += entry.contents
            out += [UInt8](repeating: 0, count: (512 - entry.contents.count % 512) % 512)
        }
        if endMarker { out += [UInt8](repeating: 0, count: 1024) }
        return out + trailer
    }

    /// The tests' fixed modification time; the vector generator passes its own (the base bundle's sealing time).
    package static let testMTime = 1_700_000_000

    package static func header(_ entry: Entry, mtime: Int = RawTar.testMTime) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ offset: Int, _ length: Int) {
            for (i, byte) in Array(text.utf8).prefix(length).enumerated() { h[offset + i] = byte }
        }
        func octal(_ value: Int, _ offset: Int, _ length: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, length - 1 - digits.count)) + digits, offset, length - 1)
        }
        var name = entry.name
        var prefix = ""
        if name.utf8.count > 100, let slash = name.utf8.prefix(155).lastIndex(of: UInt8(ascii: "/")) {
            prefix = String(name[..<slash])
            name = String(name[name.index(after: slash)...])
        }
        put(name, 0, 100)
        octal(entry.type == .directory ? 0o755 : 0o644, 100, 8)
        octal(0, 108, 8)
        octal(0, 116, 8)
        octal(entry.declaredSize ?? entry.contents.count, 124, 12)
        octal(mtime, 136, 12)
        h[156] = entry.type.rawValue
        put(entry.linkName, 157, 100)
        put("ustar", 257, 6)
        put("00", 263, 2)
        put(prefix, 345, 155)
        entry.patch?(&h)
        if !entry.rawChecksum { setChecksum(&h) }
        return h
    }

    /// Writes the header checksum (unsigned sum, spaces in the field while summing), as POSIX ustar defines it;
    /// `signed` sums the bytes as signed values instead, as some historic tars did (which bundle.md 3.1 refuses).
    package static func setChecksum(_ h: inout [UInt8], signed: Bool = false) {
        for i in 148..<156 { h[i] = 0x20 }
        let sum = h.reduce(0) { $0 + (signed ? Int(Int8(bitPattern: $1)) : Int($1)) }
        let digits = String(sum, radix: 8)
        let field = Array((String(repeating: "0", count: max(0, 6 - digits.count)) + digits).utf8)
        for i in 0..<6 { h[148 + i] = field[i] }
        h[154] = 0
        h[155] = 0x20
    }

    /// Writes `size` in the size field as GNU base-256: 0x80, three zero bytes, then eight bytes big-endian.
    package static func setBase256Size(_ h: inout [UInt8], _ size: Int) {
        h[124] = 0x80
        for i in 125..<128 { h[i] = 0 }
        for i in 0..<8 { h[128 + i] = UInt8(truncatingIfNeeded: UInt64(size) >> (8 * (7 - i))) }
    }

    /// The octal number in a header field (digits up to the first NUL or space).
    package static func octalValue(_ h: [UInt8], _ offset: Int, _ length: Int) -> UInt64 {
        h[offset..<offset + length].prefix { $0 >= 0x30 && $0 <= 0x37 }.reduce(0) { $0 * 8 + UInt64($1 - 0x30) }
    }
}
