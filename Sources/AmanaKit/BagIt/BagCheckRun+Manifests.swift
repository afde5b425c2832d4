/// The manifest rules: RFC 8493 sections 2.1.3, 2.2.1 and 3.
extension BagCheckRun {
    /// Reads every `manifest-*.txt` and `tagmanifest-*.txt` at the bag root.
    mutating func loadManifests() {
        var sawPayloadManifest = false
        for name in tags.paths where !name.utf8.contains(UInt8(ascii: "/")) {
            guard let (kind, algorithmName) = Manifest.identify(fileName: name) else { continue }
            if kind == .payload { sawPayloadManifest = true }
            guard let algorithm = DigestAlgorithm(rawValue: algorithmName) else {
                findings.append(.indeterminate(ManifestCode.algorithmUnsupported, subject: name, "Amana does not implement the \(algorithmName) algorithm, so \(name) was not checked"))
                continue
            }
            let before = findings.count
            defer {
                if findings[before...].contains(where: { $0.status == .failed }) {
                    if kind == .payload { payloadManifestFailed = true } else { tagManifestFailed = true }
                }
            }
            guard let text = text(of: name, failing: ManifestCode.malformed) else { continue }
            let (manifest, problems) = Manifest.parse(text, kind: kind, algorithm: algorithm, version: version)
            findings += problems
            if kind == .payload {
                payloadManifests[algorithm] = manifest
            } else {
                tagManifests[algorithm] = manifest
            }
        }
        if !sawPayloadManifest {
            findings.append(.failed(ManifestCode.missing, "the bag has no payload manifest (manifest-<algorithm>.txt)"))
        }
    }

    /// Every payload file in every payload manifest, every listed file present, every digest matching; then the
    /// summary and the broken-algorithm warning.
    mutating func checkPayload() {
        let manifests = payloadManifests.keys.sorted().map { payloadManifests[$0]! }
        guard !manifests.isEmpty else { return }
        let before = findings.count
        let covered = verify(manifests, against: payload, missingCode: PayloadCode.fileMissing, mismatchCode: PayloadCode.digestMismatch)
        // RFC 8493 section 2.1.3: "Every payload file MUST be listed in every payload manifest. Note that older
        // versions of this specification allowed payload files to be listed in just one of the manifests."
        for path in payload.paths {
            let missingFrom = manifests.filter { !(covered[ExactPath(path)]?.contains($0.algorithm) ?? false) }
            guard !missingFrom.isEmpty else { continue }
            let message = "\(path) is not listed in \(BagCheckRun.list(missingFrom.map(\.fileName)))"
            if missingFrom.count < manifests.count && version < .v1_0 {
                findings.append(.warning(PayloadCode.fileUnlisted, subject: path, message + " (allowed before BagIt 1.0, but fewer digests cover it)"))
            } else {
                findings.append(.failed(PayloadCode.fileUnlisted, subject: path, message))
            }
        }
        let names = BagCheckRun.list(manifests.map(\.fileName))
        let problems = findings[before...].contains { $0.status == .failed || $0.status == .indeterminate }
        if !problems && !payloadManifestFailed {
            let count = payload.paths.count
            findings.append(.passed(PayloadCode.digests, "\(BagCheckRun.count(count, "file")) match\(count == 1 ? "es" : "") in \(names)"))
        }
        if manifests.allSatisfy({ $0.algorithm.isBroken }) {
            findings.append(.warning(ManifestCode.algorithmWeak, subject: manifests.map(\.fileName).joined(separator: ", "), "the payload is only covered by \(manifests.map { $0.algorithm.bagItName.uppercased() }.joined(separator: " and ")), which has practical collisions: a match shows accidental damage, not deliberate tampering"))
        }
    }

    /// Every tag-manifest entry present and matching. Tag manifests need not list every tag file.
    mutating func checkTagManifests() {
        let manifests = tagManifests.keys.sorted().map { tagManifests[$0]! }
        guard !manifests.isEmpty else { return }
        let before = findings.count
        let covered = verify(manifests, against: tags, missingCode: TagManifestCode.fileMissing, mismatchCode: TagManifestCode.digestMismatch)
        let problems = findings[before...].contains { $0.status == .failed || $0.status == .indeterminate }
        if !problems && !tagManifestFailed {
            let count = covered.count
            findings.append(.passed(TagManifestCode.digests, "\(BagCheckRun.count(count, "tag file")) match\(count == 1 ? "es" : "") in \(BagCheckRun.list(manifests.map(\.fileName)))"))
        }
    }

    /// Checks each entry of `manifests` against `files` and returns, for each present file, the algorithms of the
    /// manifests that listed it. Missing files are reported once per path, naming every manifest that lists them.
    private mutating func verify(
        _ manifests: [Manifest], against files: BagFileIndex, missingCode: some FindingCode, mismatchCode: some FindingCode
    ) -> [ExactPath: Set<DigestAlgorithm>] {
        var covered = [ExactPath: Set<DigestAlgorithm>]()
        var missing = [ExactPath: [String]]()
        var missingOrder = [String]()
        var variantsReported = Set<ExactPath>()
        for manifest in manifests {
            var unavailableReported = false
            for entry in manifest.entries.sorted(by: { ExactPath.precedes($0.path, $1.path) }) {
                let actualPath: String
                let file: BagInventory.File
                switch files.resolve(entry.path) {
                case .exact(let found):
                    (actualPath, file) = (entry.path, found)
                case .variant(let path, let found):
                    (actualPath, file) = (path, found)
                    if variantsReported.insert(ExactPath(entry.path)).inserted {
                        findings.append(Finding(ManifestCode.pathVariant, .warning, subject: entry.path, expected: entry.path, found: path, message: "\(manifest.fileName) lists \(entry.path), which is present only as \(path) (the names differ in letter case or Unicode normalisation)"))
                    }
                case .missing:
                    if missing[ExactPath(entry.path)] == nil { missingOrder.append(entry.path) }
                    missing[ExactPath(entry.path), default: []].append(manifest.fileName)
                    continue
                }
                covered[ExactPath(actualPath), default: []].insert(manifest.algorithm)
                guard let computed = file.digests[manifest.algorithm] else {
                    if !unavailableReported {
                        unavailableReported = true
                        findings.append(.indeterminate(PayloadCode.digestUnavailable, subject: manifest.fileName, "the container reader did not compute \(manifest.algorithm.bagItName) digests, so \(manifest.fileName) could not be compared"))
                    }
                    continue
                }
                if computed.bytes != entry.digest.bytes {
                    findings.append(.failed(mismatchCode, subject: actualPath, expected: entry.digest.hex, found: computed.hex, "the \(manifest.algorithm.bagItName) digest of \(actualPath) differs from \(manifest.fileName)"))
                }
            }
        }
        for path in missingOrder.sorted(by: ExactPath.precedes) {
            findings.append(.failed(missingCode, subject: path, "\(path) is listed in \(BagCheckRun.list(missing[ExactPath(path)]!)) but is not present"))
        }
        return covered
    }
}
