import AmanaKit
import RawTar
import Foundation

/// A small bundle held in memory as tar entries, for making altered copies. Its methods redo what an honest sealer
/// does (manifests, tag manifests, custody chain, seal statements and signatures) so that a vector can change exactly
/// one thing and leave everything else consistent: a forger who holds the key, or a bug that breaks one rule.
struct ForgedBag {
    var root: String
    var entries: [RawTar.Entry]
    let keys: VectorKeys

    init(tar bytes: [UInt8], keys: VectorKeys) throws {
        let path = NSTemporaryDirectory() + "amana-vectors-read-\(getpid()).tar"
        try writeFile(bytes, URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        entries = try TestingHooks.tarEntries(path).map { entry in
            RawTar.Entry(entry.path, entry.isDirectory ? .directory : .file, contents: entry.contents)
        }
        root = String(entries[0].name.split(separator: "/")[0])
        self.keys = keys
    }

    /// A file's bytes by its path inside the bag; setting nil removes it, setting a new path adds it at the end.
    subscript(path: String) -> [UInt8]? {
        get { entries.first { $0.name == "\(root)/\(path)" }?.contents }
        set {
            let name = "\(root)/\(path)"
            if let index = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[index].contents = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(RawTar.Entry(name, contents: newValue))
            }
        }
    }

    func text(_ path: String) -> String { String(decoding: self[path] ?? [], as: UTF8.self) }

    /// Every regular file's path inside the bag, in archive order.
    var filePaths: [String] {
        entries.filter { $0.type == .file }.map { String($0.name.dropFirst(root.count + 1)) }
    }

    func tar() -> [UInt8] { RawTar(entries, mtime: RawTar.vectorMTime).bytes() }

    /// The bag's files as an extracted folder (folder entries are implied by the paths).
    func folder() -> VectorCase.Input {
        .folder(root, entries.filter { $0.type == .file }.map { (String($0.name.dropFirst(root.count + 1)), $0.contents) })
    }

    /// Renames the root folder (the bundle id as the tar states it).
    mutating func renameRoot(_ newRoot: String) {
        for index in entries.indices { entries[index].name = newRoot + entries[index].name.dropFirst(root.count) }
        root = newRoot
    }

    static func hex(_ bytes: [UInt8], _ algorithm: DigestAlgorithm) -> String {
        MultiDigest.digests(of: bytes, [algorithm])[algorithm]!.hex
    }

    private func algorithms(_ prefix: String) -> [DigestAlgorithm] {
        DigestAlgorithm.allCases.filter { self["\(prefix)-\($0.bagItName).txt"] != nil }
    }

    /// Rewrites every payload manifest over the files under `data/`.
    mutating func rewriteManifests() {
        let payload = filePaths.filter { $0.hasPrefix("data/") }.sorted()
        for algorithm in algorithms("manifest") {
            self["manifest-\(algorithm.bagItName).txt"] = utf8(payload.map { "\(ForgedBag.hex(self[$0]!, algorithm))  \($0)\n" }.joined())
        }
    }

    /// Rewrites every tag manifest over the tag files (everything outside `data/` and `seals/` but the tag manifests).
    mutating func rewriteTagManifests() {
        let tags = filePaths.filter { !$0.hasPrefix("data/") && !$0.hasPrefix("seals/") && !$0.hasPrefix("tagmanifest-") }.sorted()
        for algorithm in algorithms("tagmanifest") {
            self["tagmanifest-\(algorithm.bagItName).txt"] = utf8(tags.map { "\(ForgedBag.hex(self[$0]!, algorithm))  \($0)\n" }.joined())
        }
    }

    // MARK: custody

    var events: [CustodyEvent] {
        guard let bytes = self[CustodyLog.path], let log = try? CustodyLog(bytes: bytes) else { return [] }
        return log.lines.map { try! CustodyEvent(line: $0) }
    }

    func key(for keyID: String) -> SecretKey? {
        [keys.signer, keys.other].first { $0.keyID.description == keyID }
    }

    /// Edits the custody log's events, then re-chains `prev` (unless `chain` is false) and re-signs every event
    /// whose actor key the generator holds, as a forger holding the keys would: except the events at the indices in
    /// `keep`, and with the key in `signers` where one is given.
    mutating func relog(chain: Bool = true, keep: Set<Int> = [], signers: [Int: SecretKey] = [:],
                        _ edit: (inout [CustodyEvent]) -> Void) {
        var events = self.events
        edit(&events)
        var lines = [[UInt8]]()
        for (index, var event) in events.enumerated() {
            if chain { event.prev = lines.last.map(CustodyLog.chainValue(after:)) ?? CustodyLog.genesis(bundleID: root) }
            if !keep.contains(index), let key = signers[index] ?? key(for: event.actor.keyID) { try! event.sign(with: key) }
            lines.append(event.line)
        }
        self[CustodyLog.path] = CustodyLog(lines: lines).bytes
    }

    /// Edits the log's raw lines, then re-chains and re-signs every later line that still parses as an event.
    mutating func relines(_ edit: (inout [[UInt8]]) -> Void) {
        var lines = (try! CustodyLog(bytes: self[CustodyLog.path]!)).lines
        edit(&lines)
        for index in lines.indices.dropFirst() {
            guard var event = try? CustodyEvent(line: lines[index]) else { continue }
            let prev = CustodyLog.chainValue(after: lines[index - 1])
            if event.prev != prev, let key = key(for: event.actor.keyID) {
                event.prev = prev
                try! event.sign(with: key)
                lines[index] = event.line
            }
        }
        self[CustodyLog.path] = lines.flatMap { $0 + [10] }
    }

    // MARK: seals

    var sealCount: Int { filePaths.filter { $0.hasPrefix("seals/") && $0.hasSuffix(".seal") }.count }

    static func sealPath(_ number: Int) -> String { "seals/" + String(format: "%04d", number) + ".seal" }

    func statement(_ number: Int) -> SealStatement { try! SealStatement(parsing: self[ForgedBag.sealPath(number)]!) }

    /// Remakes seal `number`: its commitments from the current manifests (and tag manifests, for the newest seal),
    /// its custody root from the current log, its link to the previous seal, then `edit`, then a signature by `key`
    /// (by default the key the statement names). `rawStatement` edits the serialised bytes before signing.
    mutating func reseal(_ number: Int, key explicitKey: SecretKey? = nil, edit: (inout SealStatement) -> Void = { _ in },
                         rawStatement: ((inout [UInt8]) -> Void)? = nil, trustedComment: String? = nil) {
        var statement = self.statement(number)
        statement.manifests = algorithms("manifest").filter { !$0.isBroken }.map {
            .init(algorithm: $0, hex: ForgedBag.hex(self["manifest-\($0.bagItName).txt"]!, $0))
        }
        if number == sealCount {
            statement.tagManifests = algorithms("tagmanifest").filter { !$0.isBroken }.map {
                .init(algorithm: $0, hex: ForgedBag.hex(self["tagmanifest-\($0.bagItName).txt"]!, $0))
            }
        }
        let log = CustodyLog(lines: (try? CustodyLog(bytes: self[CustodyLog.path] ?? []))?.lines ?? [])
        if statement.custodyLength <= log.count { statement.custodyRoot = Hex.encode(log.root(ofFirst: statement.custodyLength)) }
        if number > 1 { statement.previousSeal = ForgedBag.hex(self[ForgedBag.sealPath(number - 1)]!, .sha256) }
        edit(&statement)
        var bytes = statement.serialized()
        rawStatement?(&bytes)
        sign(number, bytes: bytes, key: explicitKey ?? key(for: statement.signerKeyID)!, trustedComment: trustedComment)
    }

    /// Writes a seal statement's bytes and its minisign signature.
    mutating func sign(_ number: Int, bytes: [UInt8], key: SecretKey, trustedComment: String? = nil) {
        let statement = try? SealStatement(parsing: bytes)
        let time = statement.flatMap { UTCTime.parse($0.claimedTime) }.map { Int($0.timeIntervalSince1970) } ?? 0
        let comment = trustedComment
            ?? "timestamp:\(time)\tfile:\(ForgedBag.sealPath(number).dropFirst(6))\tbundle:\(statement?.bundleID ?? root)\tseal:\(number)"
        self[ForgedBag.sealPath(number)] = bytes
        self[ForgedBag.sealPath(number) + ".minisig"] = utf8(try! key.sign(bytes, trustedComment: comment).minisignFile())
    }

    /// What a forger holding every key does after changing files: manifests, tag manifests, every seal again.
    mutating func forge(payload: Bool = true) {
        if payload { rewriteManifests() }
        rewriteTagManifests()
        for number in 1...max(1, sealCount) where sealCount > 0 { reseal(number) }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
