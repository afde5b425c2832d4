import RawTar
import Foundation

/// The container (bundle.md section 3): hostile tars written byte by byte. Most cases are the honest sealed bundle
/// with one hostile entry added at its end, so the bag itself stays valid and the archive rule is the one to object.
enum ArchiveVectors {
    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let sealed = try base.bag()
        let root = sealed.root
        var cases = [VectorCase]()
        func tar(_ name: String, _ comment: String, _ verdict: String, _ codes: [String], _ bytes: [UInt8], xfail: String? = nil) {
            cases.append(VectorCase("archive", name, comment, input: .tar(bytes), verdict: verdict, codes: codes).with { $0.xfail = xfail })
        }
        /// The sealed bundle with `extra` entries after its own, optionally changing the writer.
        func add(_ name: String, _ comment: String, _ verdict: String, _ codes: [String], _ extra: [RawTar.Entry],
                 change: (inout RawTar) -> Void = { _ in }) {
            var archive = RawTar(sealed.entries + extra, mtime: RawTar.vectorMTime)
            change(&archive)
            tar(name, comment, verdict, codes, archive.bytes())
        }
        let ok = [claimedOnly]
        tar("not-a-tar", "a zip file's first bytes", failed, ["archive.format.invalid"], utf8("PK\u{3}\u{4}") + [UInt8](repeating: 0, count: 60))
        tar("empty-file", "a file of zero bytes", failed, ["archive.empty"], [])
        tar("only-end-marker", "two zero blocks: a tar with no entries", failed, ["archive.empty"], [UInt8](repeating: 0, count: 1024))
        tar("v7-tar", "a pre-POSIX (v7) tar header with no ustar magic", failed, ["archive.format.invalid"],
            RawTar([RawTar.Entry("\(root)/bagit.txt", contents: sealed["bagit.txt"]!).patching { h in
                for i in 257..<265 { h[i] = 0 }
            }], mtime: RawTar.vectorMTime).bytes())
        add("cut-in-header", "the archive ends 300 bytes into a further entry's header", failed, ["archive.truncated"] + ok,
            []) { archive in archive.endMarker = false; archive.trailer = Array(RawTar.header(RawTar.Entry("\(root)/data/late.txt"), mtime: RawTar.vectorMTime).prefix(300)) }
        add("symlink", "a symbolic link in data/", failed, ["archive.entry.type"] + ok,
            [RawTar.Entry("\(root)/data/link", .symbolicLink, linkName: "interview-notes.txt")])
        add("hard-link", "a hard link in data/", failed, ["archive.entry.type"] + ok,
            [RawTar.Entry("\(root)/data/hard", .hardLink, linkName: "\(root)/data/interview-notes.txt")])
        add("fifo", "a fifo in data/", failed, ["archive.entry.type"] + ok, [RawTar.Entry("\(root)/data/pipe", .fifo)])
        add("dot-dot", "an entry whose name climbs out of the root with ..", failed, ["archive.entry.path"] + ok,
            [RawTar.Entry("\(root)/data/../../evil.txt", contents: utf8("x\n"))])
        add("absolute", "an entry with an absolute name", failed, ["archive.entry.path"] + ok,
            [RawTar.Entry("/tmp/evil.txt", contents: utf8("x\n"))])
        add("backslash", "an entry whose name holds a backslash", failed, ["archive.entry.path"] + ok,
            [RawTar.Entry("\(root)/data\\evil.txt", contents: utf8("x\n"))])
        add("not-utf8-name", "an entry whose name is not valid UTF-8", failed, ["archive.entry.name"] + ok,
            [RawTar.Entry("\(root)/data/x.txt", contents: utf8("x\n")).patching { h in h[root.utf8.count + 6] = 0xFF }])
        add("duplicate", "a payload file stored twice with different contents", failed, ["archive.entry.duplicate"] + ok,
            [RawTar.Entry("\(root)/data/interview-notes.txt", contents: utf8("other words\n"))])
        // bundle.md section 3 and the Overlaps paragraph of verification-report.md section 5: the second of two names
        // equal after normalisation is the collision and is not read; a name that is read and is not NFC is
        // bundle.name.not-nfc. So the order of the two spellings decides whether the second code appears.
        func collision(_ name: String, _ comment: String, first: String, second: String, _ codes: [String]) {
            var bag = sealed
            bag.entries.append(RawTar.Entry("\(root)/data/\(first).txt", contents: utf8("one\n")))
            bag.entries.append(RawTar.Entry("\(root)/data/\(second).txt", contents: utf8("two\n")))
            tar(name, comment, failed, ["archive.entry.nfc-collision", "payload.file.unlisted", "items.file.unlisted",
                                        "bagit.info.oxum.mismatch"] + codes + ok, bag.tar())
        }
        collision("nfc-collision", "an NFC name (caf\u{E9}) then its NFD twin (e + combining acute): only the collision, the NFC name is read",
                  first: "caf\u{E9}", second: "cafe\u{301}", [])
        collision("nfd-collision", "an NFD name (e + combining acute) then its NFC twin: the NFD name is read and is not NFC, the NFC one collides",
                  first: "cafe\u{301}", second: "caf\u{E9}", ["bundle.name.not-nfc"])
        add("second-root", "an entry under a second top-level folder", failed, ["archive.root.multiple"] + ok,
            [RawTar.Entry("other-bundle/readme.txt", contents: utf8("x\n"))])
        add("file-beside-root", "a file beside the root folder: a second top-level name", failed, ["archive.root.multiple"] + ok,
            [RawTar.Entry("readme.txt", contents: utf8("x\n"))])
        tar("root-is-file", "the root's own name stored as a file entry before the bundle", failed, ["archive.root.file"] + ok,
            RawTar([RawTar.Entry(root, contents: utf8("x\n"))] + sealed.entries, mtime: RawTar.vectorMTime).bytes())
        var cased = sealed
        cased["amana/notes.txt"] = utf8("one\n")
        cased["amana/Notes.txt"] = utf8("two\n")
        cased.forge()
        tar("case-collision", "tag files amana/notes.txt and amana/Notes.txt, both sealed", passed,
            ["archive.entry.case-collision"] + ok, cased.tar())
        add("long-path", "a pax path of 4,200 bytes", failed, ["archive.limit.path"] + ok,
            [RawTar.pax([("path", "\(root)/data/" + String(repeating: "a/", count: 2100) + "x")]), RawTar.Entry("", contents: utf8("x\n"))])
        add("bad-checksum", "a header whose checksum is wrong", failed, ["archive.header.invalid"] + ok,
            [RawTar.Entry("\(root)/data/late.txt", contents: utf8("x\n")).patching(rawChecksum: true) { h in
                RawTar.setChecksum(&h)
                h[150] = h[150] == 0x30 ? 0x31 : 0x30
            }])
        add("size-not-octal", "a size field holding a non-octal digit", failed, ["archive.header.invalid"] + ok,
            [RawTar.Entry("\(root)/data/late.txt", contents: utf8("x\n")).patching { h in h[130] = 0x39 }])
        add("pax-global", "a pax global header", failed, ["archive.header.unsupported"] + ok,
            [RawTar.pax([("comment", "global")], type: .paxGlobal)])
        add("gnu-sparse", "a GNU sparse entry", failed, ["archive.header.unsupported"] + ok,
            [RawTar.Entry("\(root)/data/sparse", .gnuSparse, contents: utf8("x\n"))])
        add("unknown-type", "an entry type no tar defines", failed, ["archive.header.unsupported"] + ok,
            [RawTar.Entry("\(root)/data/odd", .unknown, contents: utf8("x\n"))])
        add("pax-path-twice", "a pax header that sets path twice", failed, ["archive.header.ambiguous"] + ok,
            [RawTar.pax([("path", "\(root)/data/a.txt"), ("path", "\(root)/data/b.txt")]), RawTar.Entry("\(root)/data/a.txt", contents: utf8("x\n"))])
        add("pax-size-contradicts", "a pax size that the header contradicts", failed, ["archive.header.ambiguous"] + ok,
            [RawTar.pax([("size", "3")]), RawTar.Entry("\(root)/data/late.txt", contents: utf8("x\n"))])
        add("file-name-slash", "a file entry whose name ends in /", failed, ["archive.header.ambiguous"] + ok,
            [RawTar.Entry("\(root)/data/folder/", .file, contents: utf8("x\n"))])
        // bundle.md section 3.1: the end of the archive, numbers, checksums, folders and names, as the spec settles them.
        add("no-end-marker", "the archive ends cleanly after the last entry's data, without any end-of-archive zero block",
            failed, ["archive.truncated"] + ok, []) { archive in archive.endMarker = false }
        add("pax-hdrcharset-binary", "a pax hdrcharset of BINARY (only ISO-IEC 10646 2000 UTF-8 is allowed)", failed,
            ["archive.header.unsupported"] + ok,
            [RawTar.pax([("hdrcharset", "BINARY")]), RawTar.Entry("\(root)/data/late.txt", contents: utf8("x\n"))])
        var base256 = sealed
        let csv = base256.entries.firstIndex { $0.name == "\(root)/data/photo-log.csv" }!
        base256.entries[csv] = base256.entries[csv].patching { h in RawTar.setBase256Size(&h, Int(RawTar.octalValue(h, 124, 12))) }
        tar("base256-size", "a payload file whose size is written in GNU base-256 (0x80, three zeros, eight bytes): allowed",
            passed, ok, base256.tar())
        add("base256-size-negative", "a size field in base-256 with 0xFF first (a negative number)", failed,
            ["archive.header.invalid"] + ok,
            [RawTar.Entry("\(root)/data/late.txt", contents: utf8("x\n")).patching { h in
                RawTar.setBase256Size(&h, 2)
                h[124] = 0xFF
            }])
        add("signed-checksum", "a header whose checksum is the signed sum of its bytes (a name with bytes above 0x7F), as some historic tars wrote it",
            failed, ["archive.header.invalid"] + ok,
            [RawTar.Entry("\(root)/data/caf\u{E9}-late.txt", contents: utf8("x\n")).patching(rawChecksum: true) { h in
                RawTar.setChecksum(&h, signed: true)
            }])
        add("folder-with-size", "a folder entry whose header gives a size of 2 bytes, followed by a data block", failed,
            ["archive.header.invalid"] + ok,
            [RawTar.Entry("\(root)/data/folder/", .directory, contents: utf8("x\n"))])
        add("c1-control-name", "a name holding U+0085 (NEXT LINE), a C1 control character", failed, ["archive.entry.path"] + ok,
            [RawTar.Entry("\(root)/data/x\u{85}y.txt", contents: utf8("x\n"))])
        add("trailing-junk", "bytes after the end-of-archive marker", failed, ["archive.trailing-data"] + ok, []) { archive in
            archive.trailer = utf8("PK\u{5}\u{6} hidden")
        }
        add("trailing-zeros", "zero blocks after the end-of-archive marker, as tar writers pad: allowed", passed, ok, []) { archive in
            archive.trailer = [UInt8](repeating: 0, count: 8192)
        }
        var paxed = sealed
        let index = paxed.entries.firstIndex { $0.name == "\(root)/data/photo-log.csv" }!
        paxed.entries.insert(RawTar.pax([("amana.note", "hello")]), at: index)
        tar("pax-unknown-keyword", "a pax keyword Amana does not interpret, before a payload file", passed,
            ["archive.header.pax-keyword"] + ok, paxed.tar())
        cases.append(VectorCase("archive", "expansion-bomb", "a zstd stream of 42 KB that expands to 1.2 GiB of zeros in one payload entry: reading stops at the expansion limit",
                                input: .tar(try expansionBomb(sealed), name: "bundle.tar.zst"), verdict: failed,
                                codes: ["archive.limit.expansion"] + ok))
        return cases
    }

    /// The sealed bundle's entries, then a 1.2 GiB file of zeros, zstd-compressed. Written through a temporary file
    /// in 1 MiB steps, so the generator never holds the expanded bytes.
    static func expansionBomb(_ sealed: ForgedBag) throws -> [UInt8] {
        let path = NSTemporaryDirectory() + "amana-vectors-bomb-\(getpid()).tar"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: path + ".zst")
        }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var archive = RawTar(sealed.entries, mtime: RawTar.vectorMTime)
        archive.endMarker = false
        try file.write(contentsOf: archive.bytes())
        let mebibytes = 1200
        try file.write(contentsOf: RawTar.header(RawTar.Entry("\(sealed.root)/data/zeros.bin", declaredSize: mebibytes << 20), mtime: RawTar.vectorMTime))
        let zeros = Data(count: 1 << 20)
        for _ in 0..<mebibytes { try file.write(contentsOf: zeros) }
        try file.write(contentsOf: Data(count: 1024))
        try file.close()
        try run("/usr/bin/zstd", ["-q", "-f", "-3", path, "-o", path + ".zst"])
        return Array(try Data(contentsOf: URL(fileURLWithPath: path + ".zst")))
    }
}

extension RawTar {
    /// Every generated entry's modification time: the base bundle's sealing time, so output is reproducible.
    static let vectorMTime = 1_768_469_400
}

extension RawTar.Entry {
    /// The entry with its header edited after it is laid out.
    func patching(rawChecksum: Bool = false, _ patch: @escaping (inout [UInt8]) -> Void) -> RawTar.Entry {
        var copy = self
        copy.patch = patch
        copy.rawChecksum = rawChecksum
        return copy
    }
}
