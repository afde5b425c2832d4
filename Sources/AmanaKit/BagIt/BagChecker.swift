/// The BagIt rules (RFC 8493 section 3, "valid" and "complete"), applied to what a container reader found.
///
/// The checker reads nothing from disk: it judges a ``BagInventory``, so a tar bundle and its extracted folder get the
/// same findings. Every problem is a finding and checking goes on after one, so a report lists everything wrong
/// with a bag; a group that has no problem gets one `passed` finding that says what was shown. Versions 0.93 to
/// 1.0 are judged by their own rules where those differ (separators in bag-info, `%25`, duplicate entries, and
/// whether a payload file must be in every payload manifest).
package enum BagChecker {
    package static func check(_ inventory: BagInventory) -> BagCheck {
        var run = BagCheckRun(inventory)
        run.checkDeclaration()
        if run.encoding != nil {
            run.checkPayloadFolder()
            run.checkBagInfo()
            run.loadManifests()
            run.checkPayload()
            run.checkTagManifests()
            run.checkFetch()
            run.checkSystemFiles()
        }
        return run.result
    }
}

/// The state of one check. The steps run in order; each appends its findings.
struct BagCheckRun {
    let inventory: BagInventory
    let payload: BagFileIndex
    let tags: BagFileIndex
    var findings: [Finding] = []
    var declaration: BagDeclaration?
    /// The version the rules follow: the declared one, or 1.0 (the strictest) when `bagit.txt` is unusable.
    var version = BagItVersion.v1_0
    /// Nil when the declared encoding cannot be decoded: then no other tag file can be read.
    var encoding: TagFileEncoding? = .utf8
    var bagInfo: BagInfo?
    var payloadManifests: [DigestAlgorithm: Manifest] = [:]
    var tagManifests: [DigestAlgorithm: Manifest] = [:]
    /// Whether reading a payload (tag) manifest file gave a failed finding, which withholds that group's summary.
    var payloadManifestFailed = false
    var tagManifestFailed = false
    var fetch: FetchFile?

    init(_ inventory: BagInventory) {
        self.inventory = inventory
        self.payload = BagFileIndex(inventory.files, where: ExactPath.isPayload)
        self.tags = BagFileIndex(inventory.files, where: { !ExactPath.isPayload($0) })
    }

    var result: BagCheck {
        BagCheck(
            findings: findings, declaration: declaration, bagInfo: bagInfo, payloadManifests: payloadManifests,
            tagManifests: tagManifests, fetch: fetch)
    }

    // MARK: bagit.txt

    mutating func checkDeclaration() {
        let name = BagItNames.declaration
        guard let file = tags[name] else {
            findings.append(.failed(BagItCode.declarationMissing, subject: name, "the bag has no \(name); the rest was read as BagIt 1.0 in UTF-8"))
            return
        }
        guard let bytes = file.contents else {
            findings.append(.failed(BagItCode.declarationInvalid, subject: name, "\(name) is too large to be a bag declaration"))
            return
        }
        var usable: BagDeclaration?
        do {
            let parsed = try BagDeclaration.parse(bytes)
            declaration = parsed
            usable = parsed
            findings.append(.passed(BagItCode.declaration, subject: name, "\(name) declares BagIt \(parsed.version) with \(parsed.encodingName) tag files"))
        } catch {
            findings.append(.failed(BagItCode.declarationInvalid, subject: name, (error as? AmanaError)?.reason ?? "\(error)"))
            usable = BagDeclaration.salvage(bytes)
        }
        guard let usable else { return }
        version = usable.version.isKnown ? usable.version : .v1_0
        encoding = usable.encoding
        if encoding == nil {
            findings.append(.indeterminate(BagItCode.encodingUnsupported, subject: name, "tag files are declared to be \(usable.encodingName), which Amana cannot decode, so no manifest was checked"))
        }
    }

    // MARK: data/

    mutating func checkPayloadFolder() {
        if !inventory.directories.contains(BagItNames.payloadDirectory) && payload.paths.isEmpty {
            findings.append(.failed(BagItCode.payloadMissing, subject: BagItNames.payloadPrefix, "the bag has no payload folder \(BagItNames.payloadPrefix)"))
        }
    }

    // MARK: bag-info.txt

    mutating func checkBagInfo() {
        let name = BagItNames.bagInfoName(for: version)
        guard tags[name] != nil, let text = text(of: name, failing: BagItCode.infoInvalid) else { return }
        let (info, problems) = BagInfo.parse(text, version: version)
        bagInfo = info
        for problem in problems {
            findings.append(.failed(BagItCode.infoInvalid, subject: name, "\(name) \(problem)"))
        }
        let values = info.payloadOxumValues
        guard !values.isEmpty else { return }
        let present = PayloadOxum(octetCount: payload.totalSize, streamCount: UInt64(payload.paths.count))
        var clean = true
        for value in values {
            guard let declared = PayloadOxum(value) else {
                findings.append(.failed(BagItCode.infoInvalid, subject: name, expected: "<octets>.<files>", found: value, "Payload-Oxum in \(name) is not two whole numbers joined by a dot"))
                clean = false
                continue
            }
            if declared != present {
                findings.append(.failed(BagItCode.infoOxumMismatch, subject: name, expected: declared.description, found: present.description, "Payload-Oxum says \(BagCheckRun.count(declared.octetCount, "byte")) in \(BagCheckRun.count(declared.streamCount, "file")); the payload has \(BagCheckRun.count(present.octetCount, "byte")) in \(BagCheckRun.count(present.streamCount, "file"))"))
                clean = false
            }
        }
        if clean {
            findings.append(.passed(BagItCode.infoOxum, subject: name, "Payload-Oxum \(present) matches the payload: \(BagCheckRun.count(present.octetCount, "byte")) in \(BagCheckRun.count(present.streamCount, "file"))"))
        }
    }

    // MARK: helpers

    /// The decoded text of a tag file, or nil after a `failing` finding saying why it cannot be read.
    mutating func text(of name: String, failing code: some FindingCode) -> String? {
        guard let file = tags[name], let encoding else { return nil }
        guard let bytes = file.contents else {
            findings.append(.failed(code, subject: name, "\(name) is larger than \(BagInventory.tagFileLimit) bytes, too large to read"))
            return nil
        }
        guard let decoded = encoding.decode(bytes) else {
            findings.append(.failed(code, subject: name, "\(name) is not valid \(encoding.rawValue), the declared tag-file encoding"))
            return nil
        }
        if decoded.hadByteOrderMark && encoding == .utf8 {
            findings.append(.warning(BagItCode.tagfileBOM, subject: name, "\(name) starts with a UTF-8 byte-order mark, which was ignored"))
        }
        return decoded.text
    }

    /// `1 file`, `2 files`.
    static func count<N: BinaryInteger>(_ number: N, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
