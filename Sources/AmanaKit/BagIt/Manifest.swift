/// A payload manifest (`manifest-<algorithm>.txt`, RFC 8493 section 2.1.3) or tag manifest
/// (`tagmanifest-<algorithm>.txt`, section 2.2.1): one digest per file.
///
/// A parsed manifest holds only entries whose paths are safe (see ``ManifestPath/problem(with:scope:)``), whose
/// digests have the algorithm's length, and each path once, exactly as decoded. Written manifests are
/// `<lowercase hex>  <path>\n` in byte order of the paths, with two spaces so that `sha256sum -c manifest-sha256.txt`
/// reads them from the bag root.
package struct Manifest: Equatable, Sendable {
    package enum Kind: Hashable, Sendable {
        case payload
        case tag

        package var fileNamePrefix: String {
            self == .payload ? BagItNames.payloadManifestPrefix : BagItNames.tagManifestPrefix
        }

        var scope: ManifestPath.Scope { self == .payload ? .payload : .tag }
    }

    package struct Entry: Equatable, Sendable {
        package let path: String
        package let digest: Digest
    }

    package let kind: Kind
    package let algorithm: DigestAlgorithm
    package private(set) var entries: [Entry] = []
    private var positions: [ExactPath: Int] = [:]

    package init(kind: Kind, algorithm: DigestAlgorithm) {
        self.kind = kind
        self.algorithm = algorithm
    }

    package var fileName: String { Manifest.fileName(kind: kind, algorithmName: algorithm.bagItName) }

    package static func fileName(kind: Kind, algorithmName: String) -> String {
        kind.fileNamePrefix + algorithmName + BagItNames.manifestSuffix
    }

    /// Recognises a manifest's file name at the bag root: `manifest-sha256.txt` gives `(.payload, "sha256")`.
    package static func identify(fileName: String) -> (kind: Kind, algorithmName: String)? {
        for kind in [Kind.tag, .payload] where ExactPath.hasPrefix(fileName, kind.fileNamePrefix) {
            let name = Array(fileName.utf8.dropFirst(kind.fileNamePrefix.utf8.count))
            let suffix = Array(BagItNames.manifestSuffix.utf8)
            guard name.count > suffix.count, name.suffix(suffix.count).elementsEqual(suffix) else { return nil }
            let algorithm = name.dropLast(suffix.count)
            guard !algorithm.contains(UInt8(ascii: "/")) else { return nil }
            return (kind, String(decoding: algorithm, as: UTF8.self))
        }
        return nil
    }

    /// The digest listed for exactly this path (byte-for-byte), if any.
    package func digest(for path: String) -> Digest? {
        positions[ExactPath(path)].map { entries[$0].digest }
    }

    /// Adds an entry for a real (unencoded) path. Throws `AmanaError(.inputInvalid)` for an unsafe path, a digest of
    /// another algorithm, or a path already listed.
    package mutating func add(path: String, digest: Digest) throws {
        guard digest.algorithm == algorithm else {
            throw AmanaError(.inputInvalid, "a \(digest.algorithm.bagItName) digest cannot go into \(fileName)")
        }
        if let problem = ManifestPath.problem(with: path, scope: kind.scope) {
            throw AmanaError(.inputInvalid, "\(path) cannot be listed in \(fileName): \(problem)")
        }
        guard positions[ExactPath(path)] == nil else {
            throw AmanaError(.inputInvalid, "\(path) is already listed in \(fileName)")
        }
        append(path, digest)
    }

    private mutating func append(_ path: String, _ digest: Digest) {
        positions[ExactPath(path)] = entries.count
        entries.append(Entry(path: path, digest: digest))
    }

    /// `<lowercase hex>  <percent-encoded path>\n` for every entry, in byte order of the paths, encoded as `version`
    /// encodes paths (Amana writes 1.0; an adopted bag keeps its own version).
    package func serialized(version: BagItVersion = .v1_0) -> [UInt8] {
        var out = ""
        for entry in entries.sorted(by: { ExactPath.precedes($0.path, $1.path) }) {
            out += entry.digest.hex + "  " + ManifestPath.encode(entry.path, version: version) + "\n"
        }
        return Array(out.utf8)
    }

    /// Parses decoded manifest text. Every line is judged and every problem becomes a finding (subject: the path
    /// as written, or the manifest's name when no path could be read); the good entries are kept, the first of
    /// duplicates included.
    package static func parse(
        _ text: String, kind: Kind, algorithm: DigestAlgorithm, version: BagItVersion
    ) -> (manifest: Manifest, findings: [Finding]) {
        var manifest = Manifest(kind: kind, algorithm: algorithm)
        var findings = [Finding]()
        let name = manifest.fileName
        for (offset, line) in TextLines.split(text).enumerated() where !TextLines.isBlank(line) {
            let at = "line \(offset + 1) of \(name)"
            let scalars = line.unicodeScalars
            guard let separator = scalars.firstIndex(where: TextLines.isLinearWhitespace) else {
                findings.append(.failed(ManifestCode.malformed, subject: name, "\(at) has no whitespace between a digest and a path"))
                continue
            }
            let hex = String(scalars[..<separator])
            guard !hex.isEmpty else {
                findings.append(.failed(ManifestCode.malformed, subject: name, "\(at) starts with whitespace instead of a digest"))
                continue
            }
            guard let bytes = Hex.decode(hex) else {
                findings.append(.failed(ManifestCode.malformed, subject: name, "\(at) has a digest that is not hexadecimal"))
                continue
            }
            guard bytes.count == algorithm.byteCount else {
                findings.append(.failed(
                    ManifestCode.malformed, subject: name, expected: "\(algorithm.byteCount * 2) hex digits",
                    found: "\(hex.utf8.count) hex digits", "\(at) has a digest of the wrong length for \(algorithm.bagItName)"))
                continue
            }
            let pathStart = scalars[separator...].firstIndex { !TextLines.isLinearWhitespace($0) } ?? scalars.endIndex
            var written = String(scalars[pathStart...])
            if ExactPath.hasPrefix(written, "*") {
                written = ExactPath.dropPrefix(written, "*")
                findings.append(.warning(ManifestCode.pathMarker, subject: written, "\(at) marks the path with md5sum's binary-mode \"*\", which was ignored"))
            }
            var path = ManifestPath.decode(written, version: version)
            if ExactPath.hasPrefix(path, "./") {
                path = ExactPath.dropPrefix(path, "./")
                findings.append(.warning(ManifestCode.pathRelative, subject: written, "\(at) starts the path with \"./\", which was ignored"))
            }
            if let problem = ManifestPath.problem(with: path, scope: kind.scope) {
                findings.append(.failed(ManifestCode.pathInvalid, subject: written, "\(at): \(problem)"))
                continue
            }
            let digest = Digest(algorithm: algorithm, bytes: bytes)
            if let earlier = manifest.digest(for: path) {
                findings.append(duplicate(path, earlier: earlier, later: digest, at: at, version: version))
                continue
            }
            manifest.append(path, digest)
        }
        return (manifest, findings)
    }

    /// RFC 8493 (1.0) lets a file be listed once per manifest; BagIt 0.97 readers such as bagit-python only warned
    /// when a repeat agreed with the first entry. A repeat that disagrees is a failure in every version, because
    /// which digest is meant cannot be known.
    private static func duplicate(
        _ path: String, earlier: Digest, later: Digest, at: String, version: BagItVersion
    ) -> Finding {
        if earlier == later {
            let message = "\(at) lists \(path) a second time, with the same digest"
            return version < .v1_0
                ? .warning(ManifestCode.entryDuplicate, subject: path, message)
                : .failed(ManifestCode.entryDuplicate, subject: path, expected: earlier.hex, found: later.hex, message)
        }
        return .failed(
            ManifestCode.entryDuplicate, subject: path, expected: earlier.hex, found: later.hex,
            "\(at) lists \(path) a second time, with a different digest")
    }
}
