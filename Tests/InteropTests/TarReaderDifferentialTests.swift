@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// The same tar bytes read by four readers: GNU tar (`tar -tv`), bsdtar (`bsdtar -tv`), Python's tarfile and Amana's
/// own ``TarReader``. Tars written by the real tools must read alike and verify; hostile tars (header bytes edited,
/// checksum recomputed) are read by all four, and wherever any reader sees another name, size or type, or stops
/// early, `amana verify` must refuse the bundle (issue 11, item 4; bundle.md section 3).
final class TarReaderDifferentialTests: XCTestCase {
    private var fixture: InteropFixture!
    private var entries: BundleEntries!
    private let photo = "data/checkpoint-photo.png"

    override func setUpWithError() throws {
        for tool in ["tar", "bsdtar", "python3"] { _ = try TestEnvironment.requireTool(tool) }
        fixture = try InteropFixture()
        entries = try BundleEntries(tar: fixture.bundle)
    }

    // MARK: Four readers

    /// One entry as a reader lists it: its name (folders without the trailing slash), type, and size (files only).
    struct Seen: Equatable, CustomStringConvertible {
        let name: [UInt8]
        let type: String
        let size: Int64
        var description: String { "\(type) \(String(decoding: name, as: UTF8.self)) \(size)" }

        init(_ name: [UInt8], _ type: String, _ size: Int64) {
            var name = name
            while name.count > 1 && name.last == UInt8(ascii: "/") { name.removeLast() }
            self.name = name
            self.type = type
            self.size = type == "file" ? size : 0
        }
    }

    /// What a reader saw: its entries, and whether it read to the end without an error.
    struct Reading: Equatable, CustomStringConvertible {
        var entries: [Seen] = []
        var complete = true
        var description: String { (complete ? "" : "[stopped] ") + entries.map(\.description).joined(separator: ", ") }
    }

    private static func type(_ mode: Character) -> String {
        switch mode {
        case "-", "C": return "file"  // GNU tar lists type 7 as `C`, and extracts it as a regular file
        case "d": return "dir"
        case "l": return "symlink"
        case "h": return "hardlink"
        default: return "other"
        }
    }

    /// Undoes the `\ooo` and `\\` escapes that `tar --quoting-style=escape` and bsdtar write.
    private static func unescape(_ text: Substring) -> [UInt8] {
        var out = [UInt8]()
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.count,
               bytes[(i + 1)..<(i + 4)].allSatisfy({ (0x30...0x37).contains($0) }) {
                out.append(bytes[(i + 1)..<(i + 4)].reduce(UInt8(0)) { $0 &* 8 &+ ($1 - 0x30) })
                i += 4
            } else if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\") {
                out.append(bytes[i])
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// `tar -tv` (GNU) or `bsdtar -tv`: the name follows `skip` fields; links print ` -> ` or ` link to ` targets.
    private func listing(_ tool: String, _ arguments: [String], skip: Int, sizeField: Int, _ path: String) throws -> Reading {
        let result = try runTool(try TestEnvironment.requireTool(tool), arguments + [path], environment: ["LC_ALL": "C.UTF-8"])
        var reading = Reading(complete: result.status == 0)
        for line in result.stdout.split(separator: "\n") {
            var fields = line.split(separator: " ", maxSplits: skip, omittingEmptySubsequences: true)
            guard fields.count == skip + 1, let mode = fields[0].first else { reading.complete = false; continue }
            var name = fields[skip]
            let kind = TarReaderDifferentialTests.type(mode)
            for marker in [" -> ", " link to "] where kind == "symlink" || kind == "hardlink" {
                if let range = name.range(of: marker) { name = name[..<range.lowerBound] }
            }
            fields[skip] = name
            reading.entries.append(Seen(TarReaderDifferentialTests.unescape(name), kind, Int64(fields[sizeField]) ?? -1))
        }
        return reading
    }

    private func gnuTar(_ path: String) throws -> Reading {
        try listing("tar", ["--numeric-owner", "--quoting-style=escape", "-tvf"], skip: 5, sizeField: 2, path)
    }

    private func bsdtar(_ path: String) throws -> Reading {
        try listing("bsdtar", ["--numeric-owner", "-tvf"], skip: 8, sizeField: 4, path)
    }

    private func python(_ path: String) throws -> Reading {
        let script = """
            import sys, tarfile
            try:
                with tarfile.open(sys.argv[1]) as archive:
                    for m in archive:
                        kind = 'file' if m.isreg() else 'dir' if m.isdir() else 'symlink' if m.issym() \\
                            else 'hardlink' if m.islnk() else 'other'
                        print(kind, m.size, m.name.encode('utf-8', 'surrogateescape').hex())
            except Exception as error:
                print('error', error)
            """
        let result = try runTool(try TestEnvironment.requireTool("python3"), ["-c", script, path])
        var reading = Reading(complete: result.status == 0)
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 2)
            guard fields.count == 3, fields[0] != "error", let size = Int64(fields[1]) else { reading.complete = false; continue }
            reading.entries.append(Seen(Hex.decode(String(fields[2])) ?? [], String(fields[0]), size))
        }
        return reading
    }

    private func amanaReader(_ path: String) -> Reading {
        var reading = Reading()
        do {
            let reader = try TarReader(path: path)
            while let entry = try reader.next() {
                let type: String
                switch entry.kind {
                case .regular: type = "file"
                case .directory: type = "dir"
                case .symbolicLink: type = "symlink"
                case .hardLink: type = "hardlink"
                case .other: type = "other"
                }
                reading.entries.append(Seen(Array((entry.path ?? entry.displayPath).utf8), type, entry.size))
            }
        } catch {
            reading.complete = false
        }
        return reading
    }

    /// Reads `raw` with all four; when they disagree, or any stops early, the bundle must be refused. Returns the
    /// report's failed codes and whether the readers agreed.
    @discardableResult
    private func compare(_ raw: [UInt8], _ what: String, file: StaticString = #filePath,
                         line: UInt = #line) throws -> (failed: Set<String>, agreed: Bool) {
        let path = try fixture.folder.write("differential-\(UUID().uuidString).tar", raw)
        return try compare(path: path, what, file: file, line: line)
    }

    @discardableResult
    private func compare(path: String, _ what: String, file: StaticString = #filePath,
                         line: UInt = #line) throws -> (failed: Set<String>, agreed: Bool) {
        let readings = [("GNU tar", try gnuTar(path)), ("bsdtar", try bsdtar(path)), ("Python", try python(path)),
                        ("Amana", amanaReader(path))]
        let agreed = readings.allSatisfy { $0.1 == readings[0].1 && $0.1.complete }
        let verify = try amana(["verify", path, "--json", "--trust", fixture.pub])
        let report = try JSONDecoder().decode(CodesOnly.self, from: Data(verify.stdout.utf8))
        let failed = Set(report.findings.filter { $0.status == "failed" }.map(\.code))
        if !agreed {
            let seen = readings.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
            XCTAssertEqual(verify.status, 1, "\(what): readers disagree, yet the bundle was not refused:\n\(seen)",
                           file: file, line: line)
            XCTAssertNotEqual(report.verdict, "TOTAL-PASSED", what, file: file, line: line)
        }
        return (failed, agreed)
    }

    private struct CodesOnly: Decodable {
        struct Finding: Decodable { let code: String; let status: String }
        let verdict: String
        let findings: [Finding]
    }

    // MARK: Editing headers

    private func name(_ bagPath: String) -> String { "\(entries.root)/\(bagPath)" }

    /// The tar with the header of the entry named `target` edited by `edit`, its checksum recomputed.
    private func edited(_ tar: [UInt8], _ target: String, _ edit: (inout [UInt8]) -> Void) -> [UInt8] {
        var raw = tar
        var offset = 0
        while offset + 512 <= raw.count {
            let header = Array(raw[offset..<(offset + 512)])
            if header.allSatisfy({ $0 == 0 }) { break }
            let size = Int(String(decoding: header[124..<135].filter { $0 != 0 && $0 != 0x20 }, as: UTF8.self), radix: 8) ?? 0
            let stored = Array(header[0..<100].prefix { $0 != 0 })
            let prefix = Array(header[345..<500].prefix { $0 != 0 })
            let full = prefix.isEmpty ? stored : prefix + [UInt8(ascii: "/")] + stored
            if full == Array(target.utf8) && header[156] != UInt8(ascii: "x") {
                var edited = header
                edit(&edited)
                for i in 148..<156 { edited[i] = 0x20 }
                let sum = edited.reduce(0) { $0 + Int($1) }
                let digits = Array(String(sum, radix: 8).leftPadded(6).utf8) + [0, 0x20]
                edited.replaceSubrange(148..<156, with: digits)
                raw.replaceSubrange(offset..<(offset + 512), with: edited)
                return raw
            }
            offset += 512 + (size + 511) / 512 * 512
        }
        XCTFail("no header named \(target)")
        return raw
    }

    private static func put(_ text: String, _ header: inout [UInt8], at offset: Int, length: Int) {
        let bytes = Array(text.utf8)
        for i in 0..<length { header[offset + i] = i < bytes.count ? bytes[i] : 0 }
    }

    private var plain: [UInt8] { RawTar(entries.entries).bytes() }

    // MARK: Tars written by the real tools

    /// The bundle unpacked by GNU tar and packed again by GNU tar, bsdtar and Python in each of their tar formats:
    /// all four readers agree, and every one verifies.
    func testTarsWrittenByTheRealToolsReadAlikeAndVerify() throws {
        let unpacked = fixture.folder.file("unpacked")
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        XCTAssertEqual(try runTool(try TestEnvironment.requireTool("tar"), ["-xf", fixture.bundle, "-C", unpacked]).status, 0)
        let root = entries.root
        var written = [(String, String)]()
        for format in ["posix", "gnu", "ustar"] {
            let out = fixture.folder.file("gnu-\(format).tar")
            XCTAssertEqual(try runTool(try TestEnvironment.requireTool("tar"), ["--format=\(format)", "-cf", out, "-C", unpacked, root]).status, 0)
            written.append(("GNU tar --format=\(format)", out))
        }
        for format in ["pax", "paxr", "ustar", "gnutar"] {
            let out = fixture.folder.file("bsdtar-\(format).tar")
            XCTAssertEqual(try runTool(try TestEnvironment.requireTool("bsdtar"), ["--format", format, "-cf", out, "-C", unpacked, root]).status, 0)
            written.append(("bsdtar --format \(format)", out))
        }
        for format in ["PAX_FORMAT", "GNU_FORMAT", "USTAR_FORMAT"] {
            let out = fixture.folder.file("python-\(format).tar")
            let script = "import sys, tarfile\nwith tarfile.open(sys.argv[1], 'w', format=tarfile.\(format)) as t:\n    t.add(sys.argv[2], arcname=sys.argv[3])"
            XCTAssertEqual(try runTool(try TestEnvironment.requireTool("python3"), [ "-c", script, out, unpacked + "/" + root, root]).status, 0)
            written.append(("Python \(format)", out))
        }
        written.append(("amana seal", fixture.bundle))
        for (what, path) in written {
            let (failed, agreed) = try compare(path: path, what)
            XCTAssertTrue(agreed, "\(what): the readers disagree on a real tool's tar")
            XCTAssertEqual(failed, [], what)
        }
    }

    /// Corners every reader reads alike: they need not be refused, and these are not.
    func testCornersEveryReaderReadsAlike() throws {
        let size = Int64(entries[photo].count)
        let cases: [(String, [UInt8])] = [
            ("a name with bytes after its NUL", edited(plain, name(photo)) { h in h[100 - 5] = UInt8(ascii: "x") }),
            ("type 7 (contiguous file)", edited(plain, name(photo)) { h in h[156] = UInt8(ascii: "7") }),
            ("a base-256 size", edited(plain, name(photo)) { h in
                h.replaceSubrange(124..<136, with: [0x80] + [UInt8](repeating: 0, count: 3)
                                  + (0..<8).reversed().map { UInt8(truncatingIfNeeded: size >> (8 * Int64($0))) })
            }),
        ]
        for (what, raw) in cases {
            let (failed, agreed) = try compare(raw, what)
            XCTAssertTrue(agreed, what)
            XCTAssertEqual(failed, [], what)
        }
    }

    // MARK: Hostile tars

    /// Issue 11, item 4: GNU magic with `../../../../../escaped` in the ustar prefix field. Python's tarfile puts the
    /// prefix in front of the name (and its `extractall()` writes outside the target); GNU tar, bsdtar and Amana ignore
    /// it, and Amana used to say TOTAL-PASSED.
    func testAGNUHeaderWithAPrefixIsRefused() throws {
        let raw = edited(plain, name(photo)) { h in
            TarReaderDifferentialTests.put("ustar  ", &h, at: 257, length: 8)
            TarReaderDifferentialTests.put("../../../../../escaped", &h, at: 345, length: 155)
        }
        let (failed, agreed) = try compare(raw, "GNU magic with a prefix")
        XCTAssertFalse(agreed, "Python no longer reads the prefix of a GNU header; the case still must be refused")
        XCTAssertTrue(failed.contains("archive.header.ambiguous"), "\(failed)")
    }

    /// A ustar name that a pax `path` (or GNU long name) overrides: the modern readers follow the extended header, but
    /// one that skips it extracts the ustar name. It must be the extended name or a writer's abbreviation of it.
    func testAUstarNameThatDisagreesWithTheExtendedNameIsRefused() throws {
        for (escape, what) in [("../../../../escaped.png", "a ../ name"), (name("data/forged.png"), "another bag name"),
                               ("escaped/\(name(photo))", "a name outside the root")] {
            var pax = entries!
            let index = pax.entries.firstIndex { $0.name == name(photo) }!
            pax.entries.insert(RawTar.pax([("path", name(photo))]), at: index)
            pax.entries[index + 1].name = escape
            let (failed, _) = try compare(RawTar(pax.entries).bytes(), "pax path under \(what)")
            XCTAssertTrue(failed.contains("archive.header.ambiguous"), "\(what): \(failed)")

            var long = entries!
            long.entries.insert(RawTar.Entry("././@LongLink", .gnuLongName, contents: Array(name(photo).utf8) + [0]), at: index)
            long.entries[index + 1].name = escape
            let (longFailed, _) = try compare(RawTar(long.entries).bytes(), "GNU long name over \(what)")
            XCTAssertTrue(longFailed.contains("archive.header.ambiguous"), "\(what): \(longFailed)")
        }
    }

    /// A file whose header name ends in `/` under a pax path without it: Python makes a NUL-type entry a folder (and
    /// reads no data for it), the others a file.
    func testAFileWhoseHeaderNameEndsInASlashIsRefused() throws {
        var altered = entries!
        let index = altered.entries.firstIndex { $0.name == name(photo) }!
        altered.entries.insert(RawTar.pax([("path", name(photo))]), at: index)
        altered.entries[index + 1].name = name(photo) + "/"
        let raw = edited(RawTar(altered.entries).bytes(), name(photo) + "/") { h in h[156] = 0 }
        let (failed, agreed) = try compare(raw, "NUL type with a trailing slash")
        XCTAssertFalse(agreed)
        XCTAssertTrue(failed.contains("archive.header.ambiguous"), "\(failed)")
    }

    /// A size field with something after its digits: GNU tar and bsdtar stop at the space, Python refuses the header
    /// and silently lists nothing after it.
    func testASizeFieldWithJunkAfterItsDigitsIsRefused() throws {
        let size = entries[photo].count
        let raw = edited(plain, name(photo)) { h in
            TarReaderDifferentialTests.put(String(String(size, radix: 8).leftPadded(7)) + " 777", &h, at: 124, length: 12)
        }
        let (failed, agreed) = try compare(raw, "junk after the size digits")
        XCTAssertFalse(agreed)
        XCTAssertTrue(failed.contains("archive.header.invalid"), "\(failed)")
        let empty = edited(plain, name(photo)) { h in TarReaderDifferentialTests.put("", &h, at: 124, length: 12) }
        let (emptyFailed, _) = try compare(empty, "an empty size field")
        XCTAssertFalse(emptyFailed.isEmpty)
    }

    /// A pax `size` that the ustar header contradicts: a reader that skips pax headers finds the next header elsewhere.
    func testAPaxSizeThatTheHeaderContradictsIsRefused() throws {
        var altered = entries!
        let index = altered.entries.firstIndex { $0.name == name(photo) }!
        altered.entries.insert(RawTar.pax([("size", String(entries[photo].count))]), at: index)
        altered.entries[index + 1].declaredSize = entries[photo].count + 1024
        let (failed, _) = try compare(RawTar(altered.entries).bytes(), "pax size against the header size")
        XCTAssertTrue(failed.contains("archive.header.ambiguous"), "\(failed)")
    }

    /// The older hostile corners, through all four readers: each is refused.
    func testEveryOtherHostileCornerIsRefused() throws {
        let index = entries.entries.firstIndex { $0.name == name(photo) }!
        func with(_ change: (inout BundleEntries) -> Void) -> [UInt8] {
            var altered = entries!
            change(&altered)
            return RawTar(altered.entries).bytes()
        }
        let cases: [(String, [UInt8], String)] = [
            ("a pax path with a NUL", with { $0.entries.insert(RawTar.pax([("path", self.name(self.photo) + "\0x")]), at: index) },
             "archive.header.invalid"),
            ("a pax path given twice", with { $0.entries.insert(RawTar.pax([("path", self.name(self.photo)), ("path", self.name("data/b"))]), at: index) },
             "archive.header.ambiguous"),
            ("a pax global header", with { $0.entries.insert(RawTar.pax([("path", self.name(self.photo))], type: .paxGlobal), at: index) },
             "archive.header.unsupported"),
            ("a symbolic link with a pax linkpath", with {
                $0.entries.insert(RawTar.pax([("linkpath", "/etc/passwd")]), at: index)
                $0.entries.insert(RawTar.Entry(self.name("data/link"), .symbolicLink, linkName: "x"), at: index + 1)
            }, "archive.entry.type"),
            ("a GNU long name and a pax header", with {
                $0.entries.insert(RawTar.Entry("././@LongLink", .gnuLongName, contents: Array(self.name("data/other").utf8) + [0]), at: index)
                $0.entries.insert(RawTar.pax([("path", self.name(self.photo))]), at: index + 1)
            }, "archive.header.ambiguous"),
            ("a name field of 100 bytes without a NUL", edited(plain, name(photo)) { h in
                for i in 0..<100 where h[i] == 0 { h[i] = UInt8(ascii: "z") }
            }, "manifest"),
        ]
        for (what, raw, code) in cases {
            let (failed, _) = try compare(raw, what)
            XCTAssertFalse(failed.isEmpty, "\(what) verified")
            if code != "manifest" { XCTAssertTrue(failed.contains(code), "\(what): \(failed)") }
        }
    }
}

private extension String {
    func leftPadded(_ length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
