/// Reads a tar stream entry by entry with Amana's own strict parser; libarchive only undoes compression.
///
/// Tar tools disagree about the corners of the format: libarchive reads a Solaris ACL header (`A`) as metadata where
/// GNU tar and Python extract it as a file; it ignores a pax global header (`g`) whose `path` GNU tar applies to
/// every later entry; with two pax headers in a row, tools pick different names; and libarchive silently turns
/// names into NFC. A bundle built on such a corner could verify in Amana and extract differently elsewhere. So this
/// reader accepts only the plain subset every tool reads the same way, and stops with a finding on anything else:
///
/// - ustar (POSIX or GNU magic) headers with a valid checksum;
/// - regular files (`0`, NUL, `7`) and folders (`5`), plus links and devices, which are reported so rules can refuse
///   them;
/// - at most one extended header before an entry: a pax `x` header with known keywords, or a GNU `L` long name;
/// - no header that readers take apart differently: a GNU header with bytes in the ustar prefix area (Python's tarfile
///   puts them in front of the name, GNU tar and bsdtar do not), a file whose stored name ends in `/` (a folder to
///   older readers), a size field with anything but spaces and NULs after its digits, a pax `size` below 8 GiB that is
///   not the header's own, or a pax `path` or GNU long name that the header's own name does not abbreviate (which a
///   reader that skips extended headers would use instead);
/// - after the end-of-archive marker, nothing but zero bytes.
///
/// Names are returned exactly as stored.
final class TarReader {
    enum Kind: Equatable {
        case regular
        case directory
        case symbolicLink(target: String)
        case hardLink(target: String)
        case other(String)
    }

    struct Entry {
        /// The name as UTF-8, or nil when the stored bytes are not valid UTF-8.
        let path: String?
        /// The name for messages, with undecodable bytes escaped.
        let displayPath: String
        let kind: Kind
        let size: Int64
        let modified: Int64
    }

    /// Why reading stopped. Not an `AmanaError`: for a verifier a broken archive is a finding.
    struct ReadFailure: Error {
        let message: String
        /// The finding code a verifier reports for it.
        var code: ArchiveCode = .truncated
    }

    /// Compressed input may expand this much (beyond ``expansionFloor`` bytes) before it counts as a decompression
    /// bomb. Real media barely compresses; text-heavy bags reach perhaps 10:1.
    static let maximumExpansion: Int64 = 1000
    /// Expansion below this many bytes is never judged (tests lower it to keep their bombs small).
    nonisolated(unsafe) static var expansionFloor: Int64 = 1 << 30
    /// pax records and GNU long names larger than this are refused.
    static let maximumExtendedHeader = 1 << 20

    /// pax keywords that every tool reads alike, or that change nothing Amana relies on.
    static let paxKeywords: Set<String> = ["path", "linkpath", "size", "mtime", "atime", "ctime", "uid", "gid", "uname",
                                           "gname", "comment", "hdrcharset", "charset"]
    /// Keyword prefixes of metadata that does not change names, sizes or types (extended attributes, inode numbers).
    static let paxPrefixes = ["SCHILY.xattr.", "SCHILY.dev", "SCHILY.ino", "SCHILY.nlink", "LIBARCHIVE.xattr.",
                              "LIBARCHIVE.creationtime"]

    let path: String
    private let file: BundleFile
    private let source: TarByteSource
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    private var ended = false
    private var header = [UInt8](repeating: 0, count: 512)
    /// Unknown pax keywords seen so far (reported as warnings by the verifier).
    private(set) var unknownKeywords = Set<String>()

    convenience init(path: String) throws {
        try self.init(file: BundleFile(path: path))
    }

    /// Reads `file` from its start; several readers may share one file, one after the other.
    init(file: BundleFile) throws {
        self.file = file
        self.path = file.path
        if let identities = file.identities {
            source = try AgeDecryptingSource(file: file, identities: identities)
            return
        }
        var first = [UInt8](repeating: 0, count: 512)
        let n = try first.withUnsafeMutableBytes { try file.read(at: 0, into: $0) }
        let signature = n == 512 && TarReader.isUstarHeader(first) ? nil : ContainerSignature.identify(file)
        if let signature, signature.accepted, let decompressing = try DecompressingSource(file: file) {
            source = decompressing
        } else if let signature, !signature.accepted {
            throw ReadFailure(message: "the file is \(signature.name), not a tar; \(TarReader.acceptedContainers)",
                              code: ArchiveCode.formatInvalid)
        } else {
            source = PlainTarSource(file: file)
        }
    }

    /// What a bundle file may be, for messages.
    static let acceptedContainers = "a bundle is a tar, uncompressed or compressed once with gzip, bzip2, xz or zstd"

    /// The next entry's header, nil at the clean end of the archive.
    func next() throws -> Entry? {
        try skipData()
        var pax: [String: String]?
        var longName: [UInt8]?
        while true {
            guard try readBlock() else {
                throw ReadFailure(message: pax == nil && longName == nil && source.counts.expanded == 0
                                  ? "the file holds no tar header" : "the archive ends without its end-of-archive marker")
            }
            if header.allSatisfy({ $0 == 0 }) {
                guard pax == nil && longName == nil else {
                    throw ReadFailure(message: "an extended header is followed by the end of the archive", code: ArchiveCode.headerInvalid)
                }
                let atStart = source.counts.expanded == 512
                do {
                    try requireZeroTail()
                } catch let failure as ReadFailure where atStart && failure.code == .trailingData {
                    // No entry, then data: not a tar at all (an ISO 9660 image starts with 32 KiB of zeros).
                    throw ReadFailure(message: "the stream starts with an end-of-archive marker and data follows it; "
                                      + TarReader.acceptedContainers, code: ArchiveCode.formatInvalid)
                }
                ended = true
                return nil
            }
            try checkHeader(first: source.counts.expanded == 512)
            try checkPrefixArea()
            let type = header[156]
            let size = try headerSize(pax: nil)
            switch type {
            case UInt8(ascii: "x"):
                guard pax == nil && longName == nil else { throw ambiguous() }
                pax = try parsePax(try readExtended(size))
                continue
            case UInt8(ascii: "L"):
                guard pax == nil && longName == nil else { throw ambiguous() }
                longName = Array(try readExtended(size).prefix { $0 != 0 })
                continue
            case UInt8(ascii: "g"):
                throw ReadFailure(message: "a pax global header changes how other tools name every later entry",
                                  code: ArchiveCode.headerUnsupported)
            default:
                break
            }
            let kind: Kind
            switch type {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = .regular
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "1"): kind = .hardLink(target: linkName(pax))
            case UInt8(ascii: "2"): kind = .symbolicLink(target: linkName(pax))
            case UInt8(ascii: "3"): kind = .other("character device")
            case UInt8(ascii: "4"): kind = .other("block device")
            case UInt8(ascii: "6"): kind = .other("fifo")
            default:
                let shown = type >= 0x20 && type < 0x7F ? String(UnicodeScalar(type)) : "\\x" + Hex.encode([type])
                throw ReadFailure(message: "entry type '\(shown)' (ACL, sparse, volume or vendor header) is read differently by different tar tools",
                                  code: ArchiveCode.headerUnsupported)
            }
            let entrySize = try headerSize(pax: pax)
            if kind == .directory && entrySize != 0 {
                throw ReadFailure(message: "a folder entry claims \(entrySize) bytes of data", code: ArchiveCode.headerInvalid)
            }
            let name = entryName(pax: pax, longName: longName)
            try checkAgreement(kind: kind, name: name, size: size, paxSize: pax?["size"] != nil ? entrySize : nil)
            remaining = entrySize
            padding = (512 - entrySize % 512) % 512
            let utf8 = String(validating: name, as: UTF8.self)
            return Entry(path: utf8, displayPath: utf8 ?? DirectoryWalker.escape(name), kind: kind, size: entrySize,
                         modified: headerTime(pax: pax))
        }
    }

    /// Reads the current entry's data; returns 0 at the end of the entry.
    func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0, buffer.count > 0 else { return 0 }
        let want = Int(min(Int64(buffer.count), remaining))
        let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<want]))
        guard n == want else { throw ReadFailure(message: "the archive ends inside an entry's data") }
        remaining -= Int64(n)
        try checkExpansion()
        return n
    }

    /// The decompression bomb limit (bundle.md section 3.1): past the first GiB, the running ratio of decompressed to
    /// compressed bytes must stay at or below 1,000:1. Checked wherever bytes are read in bulk, the zeros after the
    /// end-of-archive marker included, since a bomb can hide there as well as in an entry.
    private func checkExpansion() throws {
        let bytes = source.counts
        if bytes.expanded > TarReader.expansionFloor && bytes.expanded > bytes.raw * TarReader.maximumExpansion {
            throw ReadFailure(message: "the compressed archive expands more than \(TarReader.maximumExpansion) to 1 (a decompression bomb); reading stopped",
                              code: ArchiveCode.limitExpansion)
        }
    }

    /// Fills `buffer` unless the entry ends first; returns the byte count.
    func readDataFully(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var total = 0
        while total < buffer.count {
            let n = try readData(into: UnsafeMutableRawBufferPointer(rebasing: buffer[total...]))
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Skips the rest of the current entry's data and its padding.
    func skipData() throws {
        guard !ended else { return }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        while remaining > 0 {
            _ = try readData(into: scratch)
        }
        while padding > 0 {
            let want = Int(min(Int64(scratch.count), padding))
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[..<want]))
            guard n == want else { throw ReadFailure(message: "the archive ends inside an entry's padding") }
            padding -= Int64(n)
        }
    }

    // MARK: - Headers

    private func readBlock() throws -> Bool {
        let n = try header.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 512 { return true }
        if n == 0 { return false }
        throw ReadFailure(message: "the archive ends inside a header")
    }

    private func ambiguous() -> ReadFailure {
        ReadFailure(message: "two extended headers describe one entry; tar tools disagree about which applies",
                    code: ArchiveCode.headerAmbiguous)
    }

    private static let posixMagic = Array("ustar".utf8) + [0] + Array("00".utf8)
    private static let gnuMagic = Array("ustar  ".utf8) + [0]

    /// Whether `block` is a ustar header (POSIX or GNU magic) with a valid checksum.
    static func isUstarHeader(_ block: [UInt8]) -> Bool {
        let magic = Array(block[257..<265])
        guard magic == posixMagic || magic == gnuMagic, let stored = parseNumber(block[148..<156]) else { return false }
        var unsigned: Int64 = 0
        for (index, byte) in block.enumerated() { unsigned += (148..<156).contains(index) ? 0x20 : Int64(byte) }
        return stored == unsigned
    }

    /// `first`: the archive's first header, where a block that is no header means the file is no tar at all.
    private func checkHeader(first: Bool) throws {
        guard TarReader.isUstarHeader(header) else {
            if first, let signature = ContainerSignature.identify(header) {
                let place = source is PlainTarSource ? "the file is" : "the compressed stream holds"
                throw ReadFailure(message: "\(place) \(signature.name), not a tar; \(TarReader.acceptedContainers)",
                                  code: ArchiveCode.formatInvalid)
            }
            let magic = Array(header[257..<265])
            let why = magic == TarReader.posixMagic || magic == TarReader.gnuMagic
                ? "a header checksum does not match its header, or is unreadable" : "a header is not a ustar header"
            throw ReadFailure(message: why, code: ArchiveCode.headerInvalid)
        }
    }

    /// The ustar prefix field (bytes 345 to 499) belongs to POSIX headers. GNU headers keep times and sparse maps
    /// there, and GNU tar and bsdtar ignore it as a name; Python's tarfile puts whatever it holds in front of the name
    /// whatever the magic, so a GNU header with `../../escaped` there verified in Amana and extracted outside the
    /// target in Python. GNU tar writes zeros there unless it makes incremental dumps, which are no bundles.
    private func checkPrefixArea() throws {
        guard !isPosix, header[345..<500].contains(where: { $0 != 0 }) else { return }
        let shown = DirectoryWalker.escape(field(345..<500))
        throw ReadFailure(message: "a GNU tar header holds '\(shown)' in the ustar prefix field, which Python's tarfile puts "
                          + "in front of the name and GNU tar and bsdtar ignore", code: ArchiveCode.headerAmbiguous)
    }

    /// Holds what readers that honour extended headers see to what the header alone says, where readers differ.
    ///
    /// A file name ending in `/` is a folder to Python's tarfile and to libarchive (which then read no data), but a
    /// file to GNU tar. A pax `size` below 8 GiB is never needed, so a header size that differs from it could only
    /// mislead a reader that skips pax headers about where the next header starts. A pax `path` or GNU long name must
    /// be what the header's own name abbreviates (``isAbbreviation(_:of:nameField:)``), since that name is what a
    /// reader that skips extended headers extracts.
    private func checkAgreement(kind: Kind, name: [UInt8], size: Int64, paxSize: Int64?) throws {
        let own = ustarName
        // Python turns only a NUL-type entry into a folder, and from its header's own name, before any pax path.
        if kind == .regular, name.last == UInt8(ascii: "/") || (header[156] == 0 && own.last == UInt8(ascii: "/")) {
            throw ReadFailure(message: "a file entry's name '\(DirectoryWalker.escape(name))' ends in '/', which some readers "
                              + "take for a folder", code: ArchiveCode.headerAmbiguous)
        }
        if let paxSize, paxSize < TarReader.octalSizeLimit, paxSize != size {
            throw ReadFailure(message: "a pax header gives \(paxSize) bytes for '\(DirectoryWalker.escape(name))' but its ustar "
                              + "header gives \(size); readers that skip pax headers would read another size",
                              code: ArchiveCode.headerAmbiguous)
        }
        guard name != own, !TarReader.isAbbreviation(own, of: name, nameField: field(0..<100)) else { return }
        throw ReadFailure(message: "an entry is named '\(DirectoryWalker.escape(name))' by its extended header but "
                          + "'\(DirectoryWalker.escape(own))' by its ustar header, which is no abbreviation of it; "
                          + "readers that skip extended headers would extract another name", code: ArchiveCode.headerAmbiguous)
    }

    /// Sizes from here on do not fit the 11 octal digits of a ustar size field.
    static let octalSizeLimit: Int64 = 1 << 33

    /// Whether `short`, the name in a ustar header, is `full` (from a pax `path` or GNU long name) or what tar writers
    /// put in the header when `full` does not fit: empty; `full` cut at the end of the field (GNU tar, Python);
    /// non-ASCII characters as `?` (Python); or leading folders in the prefix and the last components in the name,
    /// with middle folders left out (libarchive). So every component of `short` must be a component of `full` or the
    /// first one, the root, must be its root; only a last component that fills the name field (at most three bytes
    /// short, for a cut UTF-8 character) may be cut; and `..`, `.` and empty components are never an abbreviation.
    static func isAbbreviation(_ short: [UInt8], of full: [UInt8], nameField: [UInt8]) -> Bool {
        if short.isEmpty || short == full { return true }
        let slash = UInt8(ascii: "/")
        var parts = short.split(separator: slash, omittingEmptySubsequences: false).map(Array.init)
        if parts.count > 1, parts.last!.isEmpty { parts.removeLast() }  // a folder's trailing slash
        let dots = [[UInt8(ascii: ".")], [UInt8(ascii: "."), UInt8(ascii: ".")]]
        guard !parts.contains(where: { $0.isEmpty || dots.contains($0) }) else { return false }
        let spellings = [full, asciiFolded(full)].map { $0.split(separator: slash, omittingEmptySubsequences: false).map(Array.init) }
        let roots = spellings.map { $0[0] }
        // Only the last component may be cut, and only where the writer ran out of room.
        func matches(_ part: [UInt8], _ candidates: [[UInt8]], cut: Bool) -> Bool {
            candidates.contains(part) || (cut && nameField.count >= 97 && candidates.contains { $0.starts(with: part) })
        }
        guard parts.count > 1 else { return matches(parts[0], roots, cut: true) }
        let components = Array(spellings.joined())
        return roots.contains(parts[0]) && parts.dropFirst().dropLast().allSatisfy({ components.contains($0) })
            && matches(parts.last!, components, cut: true)
    }

    /// `name` with each non-ASCII UTF-8 character replaced by `?`, as Python's tarfile writes a ustar name.
    private static func asciiFolded(_ name: [UInt8]) -> [UInt8] {
        name.compactMap { byte in byte < 0x80 ? byte : byte >= 0xC0 ? UInt8(ascii: "?") : nil }
    }

    /// The name as the header alone gives it: prefix and name for POSIX headers, the name for GNU ones.
    private var ustarName: [UInt8] {
        let name = field(0..<100)
        let prefix = isPosix ? field(345..<500) : []
        return prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name
    }

    private var isPosix: Bool { header[262] == 0 }

    private func headerSize(pax: [String: String]?) throws -> Int64 {
        if let text = pax?["size"] {
            guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), text.utf8.count <= 18, let value = Int64(text) else {
                throw ReadFailure(message: "a pax size is not a decimal number", code: ArchiveCode.headerInvalid)
            }
            return value
        }
        let field = header[124..<136]
        if field.first! & 0x80 != 0 {
            // GNU base-256 for sizes of 8 GiB and more.
            // 0x80, three zero bytes, then a 63-bit value: a larger one would be negative here, and is no real size.
            guard field.first! == 0x80, field.dropFirst().prefix(3).allSatisfy({ $0 == 0 }), field[field.startIndex + 4] < 0x80 else {
                throw ReadFailure(message: "a header size is out of range", code: ArchiveCode.headerInvalid)
            }
            return field.dropFirst(4).reduce(Int64(0)) { $0 << 8 | Int64($1) }
        }
        guard let value = TarReader.parseNumber(field) else {
            throw ReadFailure(message: "a header size is not an octal number, or has more than spaces and NULs after it",
                              code: ArchiveCode.headerInvalid)
        }
        return value
    }

    private func headerTime(pax: [String: String]?) -> Int64 {
        if let text = pax?["mtime"], let seconds = Int64(text.prefix { $0 != "." }) { return seconds }
        return parseOctal(header[136..<148]) ?? 0
    }

    /// A size or checksum: spaces, octal digits, then nothing but spaces and NULs. Readers stop at different places in
    /// anything else (GNU tar and libarchive at the first non-digit, Python at the first NUL, refusing the header if
    /// what is left is not a number), and then disagree about where the next header starts.
    private static func parseNumber(_ field: ArraySlice<UInt8>) -> Int64? {
        let digits = field.drop { $0 == 0x20 }.prefix { (0x30...0x37).contains($0) }
        guard !digits.isEmpty, digits.count <= 21,
              field[digits.endIndex...].allSatisfy({ $0 == 0 || $0 == 0x20 }) else { return nil }
        return digits.reduce(Int64(0)) { $0 * 8 + Int64($1 - 0x30) }
    }

    private func parseOctal(_ field: ArraySlice<UInt8>) -> Int64? {
        let digits = field.drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
        guard digits.count <= 21, digits.allSatisfy({ (0x30...0x37).contains($0) }) else { return nil }
        return digits.reduce(Int64(0)) { $0 * 8 + Int64($1 - 0x30) }
    }

    private func field(_ range: Range<Int>) -> [UInt8] {
        Array(header[range].prefix { $0 != 0 })
    }

    private func entryName(pax: [String: String]?, longName: [UInt8]?) -> [UInt8] {
        if let path = pax?["path"] { return Array(path.utf8) }
        if let longName { return longName }
        return ustarName
    }

    private func linkName(_ pax: [String: String]?) -> String {
        pax?["linkpath"] ?? String(decoding: field(157..<257), as: UTF8.self)
    }

    private func readExtended(_ size: Int64) throws -> [UInt8] {
        guard size <= TarReader.maximumExtendedHeader else {
            throw ReadFailure(message: "an extended header is larger than \(TarReader.maximumExtendedHeader) bytes", code: ArchiveCode.headerInvalid)
        }
        let padded = Int((size + 511) / 512 * 512)
        var bytes = [UInt8](repeating: 0, count: padded)
        let n = try bytes.withUnsafeMutableBytes { try source.read(into: $0) }
        guard n == padded else { throw ReadFailure(message: "the archive ends inside an extended header") }
        return Array(bytes.prefix(Int(size)))
    }

    /// pax records: "<length> <keyword>=<value>\n", each length counting the whole record.
    private func parsePax(_ bytes: [UInt8]) throws -> [String: String] {
        func bad(_ why: String) -> ReadFailure { ReadFailure(message: "malformed pax header: \(why)", code: ArchiveCode.headerInvalid) }
        var records = [String: String]()
        var index = 0
        while index < bytes.count {
            guard let space = bytes[index...].firstIndex(of: 0x20), space - index <= 8,
                  let length = Int(String(decoding: bytes[index..<space], as: UTF8.self)), length > space - index + 2,
                  index + length <= bytes.count, bytes[index + length - 1] == 0x0A
            else { throw bad("a record's length is wrong") }
            let body = bytes[(space + 1)..<(index + length - 1)]
            guard let equals = body.firstIndex(of: UInt8(ascii: "=")) else { throw bad("a record has no '='") }
            guard let key = String(validating: body[..<equals], as: UTF8.self),
                  let value = String(validating: body[(equals + 1)...], as: UTF8.self)
            else { throw bad("a record is not UTF-8") }
            guard !value.utf8.contains(0) else { throw bad("a record holds a NUL byte") }
            guard records[key] == nil else { throw ReadFailure(message: "a pax header sets '\(key)' twice", code: ArchiveCode.headerAmbiguous) }
            if key.hasPrefix("GNU.sparse") || key == "SCHILY.realsize" {
                throw ReadFailure(message: "sparse entries are not allowed in a bundle", code: ArchiveCode.headerUnsupported)
            }
            if key == "hdrcharset" && value != "ISO-IEC 10646 2000 UTF-8" {
                throw ReadFailure(message: "names must be UTF-8 (pax hdrcharset is '\(value)')", code: ArchiveCode.headerUnsupported)
            }
            if !TarReader.paxKeywords.contains(key) && !TarReader.paxPrefixes.contains(where: { key.hasPrefix($0) }) {
                unknownKeywords.insert(key)
            }
            records[key] = value
            index += length
        }
        return records
    }

    /// After the end-of-archive marker, only zero bytes may follow: anything else could be a second archive that
    /// `tar --ignore-zeros` would extract, or a polyglot's other half.
    private func requireZeroTail() throws {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        while true {
            let n = try source.read(into: scratch)
            if n == 0 { return }
            guard scratch[..<n].allSatisfy({ $0 == 0 }) else {
                throw ReadFailure(message: "data follows the end-of-archive marker", code: ArchiveCode.trailingData)
            }
            try checkExpansion()
        }
    }
}
