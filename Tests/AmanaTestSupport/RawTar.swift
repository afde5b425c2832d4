import Foundation

/// Writes ustar archives byte by byte, so tests can make exactly the hostile archives they need (duplicate names,
/// `../` paths, links, devices) without any library "helpfully" refusing or fixing them.
public struct RawTar {
    public enum EntryType: UInt8 {
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
    }

    /// A pax extended header entry ('x' or 'g') holding `records`, to put before the entry it describes.
    public static func pax(_ records: [(String, String)], type: EntryType = .paxExtended) -> Entry {
        var body = [UInt8]()
        for (key, value) in records {
            let text = " \(key)=\(value)\n"
            var length = text.utf8.count + 1
            while String(length).utf8.count + text.utf8.count != length { length += 1 }
            body += Array((String(length) + text).utf8)
        }
        return Entry("PaxHeader", type, contents: body)
    }

    public struct Entry {
        public var name: String
        public var type: EntryType
        public var contents: [UInt8]
        public var linkName: String
        /// Overrides the size field (to lie about the size); nil writes the real size.
        public var declaredSize: Int?

        public init(_ name: String, _ type: EntryType = .file, contents: [UInt8] = [], linkName: String = "",
                    declaredSize: Int? = nil) {
            self.name = name
            self.type = type
            self.contents = contents
            self.linkName = linkName
            self.declaredSize = declaredSize
        }
    }

    public var entries: [Entry]

    public init(_ entries: [Entry] = []) { self.entries = entries }

    public func bytes() -> [UInt8] {
        var out = [UInt8]()
        for entry in entries {
            out += header(entry)
            out += entry.contents
            out += [UInt8](repeating: 0, count: (512 - entry.contents.count % 512) % 512)
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    private func header(_ entry: Entry) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ offset: Int, _ length: Int) {
            for (i, byte) in Array(text.utf8).prefix(length).enumerated() { h[offset + i] = byte }
        }
        func octal(_ value: Int, _ offset: Int, _ length: Int) {
            put(String(String(value, radix: 8).suffix(length - 1)).leftPadded(to: length - 1), offset, length - 1)
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
        octal(1_700_000_000, 136, 12)
        h[156] = entry.type.rawValue
        put(entry.linkName, 157, 100)
        put("ustar", 257, 6)
        put("00", 263, 2)
        put(prefix, 345, 155)
        for i in 148..<156 { h[i] = 0x20 }
        let sum = h.reduce(0) { $0 + Int($1) }
        put(String(String(sum, radix: 8)).leftPadded(to: 6), 148, 6)
        h[154] = 0
        h[155] = 0x20
        return h
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
