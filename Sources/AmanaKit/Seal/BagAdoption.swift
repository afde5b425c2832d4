import Foundation

/// An existing BagIt bag, checked and ready to be sealed as it is (`amana seal --bag`, spec/bundle.md section 8.2).
///
/// Adoption keeps everything the bag's maker wrote about the payload: the payload bytes, `bagit.txt`, every payload
/// manifest and every other tag file go into the bundle byte for byte. Only `bag-info.txt` (which must name the new
/// bundle) and the tag manifests (which must list Amana's files) are rewritten, and their originals are kept under
/// `amana/adopted/`, so the bag as it was received can be rebuilt and checked with the tools that made it.
///
/// A bag is adopted only when it is valid and complete with nothing left undetermined: a bundle must not seal
/// what nobody could check.
struct BagAdoption {
    /// Where the rewritten tag files' originals go.
    static let adoptedFolder = "amana/adopted"

    let folder: String
    /// What the check read; the copy pass must see the same bytes (``Sealer``).
    let inventory: BagInventory
    /// `bagit.txt`, byte for byte.
    let declaration: [UInt8]
    /// The bag's payload manifests, byte for byte, by algorithm.
    let payloadManifests: [DigestAlgorithm: [UInt8]]
    /// Tag files other than the declaration, bag-info and the manifests (`fetch.txt`, a maker's own tag files), byte
    /// for byte.
    let otherTagFiles: [(path: String, bytes: [UInt8])]
    /// The original `bag-info.txt` and tag manifests, to be stored under ``adoptedFolder``.
    let originals: [(path: String, bytes: [UInt8])]
    let bagInfo: BagInfo
    /// The bag's BagIt version, which the manifests Amana adds follow (it decides whether `%` is written `%25`).
    let version: BagItVersion

    init(folder: String) throws {
        self.folder = folder
        inventory = try FolderReader.read(folder)
        if inventory.hasAmanaProfile {
            throw AmanaError(.inputInvalid, "\(folder) already holds an amana/ or seals/ folder, so it is not a plain BagIt bag",
                             hint: "verify it with 'amana verify \(folder)'; a sealed bundle takes new seals through 'amana custody'")
        }
        let check = BagChecker.check(inventory)
        let problems = (inventory.findings + check.findings).filter { $0.status == .failed || $0.status == .indeterminate }
        if let first = problems.first {
            let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
            throw AmanaError(.inputInvalid, "\(folder) is not a valid BagIt bag: \(first.code)\(first.subject.map { " \($0)" } ?? ""): \(first.message)\(more)",
                             hint: "'amana verify \(folder)' lists every finding; only a valid bag can be adopted")
        }
        guard let declared = check.declaration, [BagItVersion.v0_97, .v1_0].contains(where: { $0.text == declared.version.text }) else {
            throw AmanaError(.inputInvalid, "\(folder) is a BagIt \(check.declaration?.version.text ?? "?") bag; amana adopts BagIt 0.97 and 1.0 bags only",
                             hint: "bagit.py can rewrite it as a BagIt 1.0 bag first")
        }
        guard declared.encoding == .utf8 else {
            throw AmanaError(.inputInvalid, "\(folder) declares its tag files in \(declared.encodingName); amana adopts UTF-8 bags only, because it must add to bag-info.txt without re-encoding the manifests",
                             hint: "bagit.py can rewrite it as a UTF-8 bag first")
        }
        for path in inventory.files.keys.sorted() where !path.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(path.unicodeScalars) {
            throw AmanaError(.inputInvalid, "\(folder) holds \(DirectoryWalker.escape(Array(path.utf8))), whose name is not in Unicode NFC (bundle.name.not-nfc)",
                             hint: "a bundle stores names in NFC; renaming would change the bag's manifests, so it cannot be adopted as it is")
        }

        var declaration = [UInt8]()
        var payloadManifests = [DigestAlgorithm: [UInt8]]()
        var otherTagFiles = [(path: String, bytes: [UInt8])]()
        var originals = [(path: String, bytes: [UInt8])]()
        var bagInfoBytes = [UInt8]()
        for path in inventory.files.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !BagInventory.isPayload(path) {
            let bytes = try BagAdoption.tagBytes(path, in: folder, inventory: inventory)
            if path == BagItNames.declaration {
                declaration = bytes
            } else if path == BagItNames.bagInfo {
                bagInfoBytes = bytes
                originals.append((path, bytes))
            } else if let named = Manifest.identify(fileName: path), !path.contains("/") {
                switch named.kind {
                case .payload:
                    // A seal names manifests by their canonical names (seal.md section 3), so `manifest-SHA256.txt`
                    // could only be kept by renaming it, which adoption never does.
                    guard let algorithm = DigestAlgorithm(bagItName: named.algorithmName), BagItNames.manifest(algorithm) == path else {
                        throw AmanaError(.inputInvalid, "\(folder) has \(path), which is not a manifest name amana can seal (lowercase sha256, sha512, ...)")
                    }
                    payloadManifests[algorithm] = bytes
                case .tag:
                    originals.append((path, bytes))
                }
            } else {
                otherTagFiles.append((path, bytes))
            }
        }
        var bagInfo = BagInfo()
        if !bagInfoBytes.isEmpty {
            let parsed = BagInfo.parse(String(decoding: bagInfoBytes, as: UTF8.self), version: declared.version)
            bagInfo = parsed.bagInfo
        }
        self.declaration = declaration
        self.payloadManifests = payloadManifests
        self.otherTagFiles = otherTagFiles
        self.originals = originals.map { ("\(BagAdoption.adoptedFolder)/\($0.path)", $0.bytes) }
        self.bagInfo = bagInfo
        self.version = declared.version
    }

    /// The new `bag-info.txt`: the maker's fields in their order, with `External-Identifier` set to the bundle id (in
    /// the place of the first one, if any), `--title` and `--case` set like a new seal's, and Amana added as a
    /// `Bag-Software-Agent` after the maker's own. `Payload-Oxum` and `Bagging-Date` stay the maker's: the payload did
    /// not change, and the bag was made when its maker made it.
    func sealedBagInfo(_ options: SealOptions, payloadBytes: UInt64, fileCount: Int) -> BagInfo {
        var info = bagInfo
        info.set("External-Identifier", options.bundleID)
        if let title = options.title { info.set("External-Description", title) }
        if let caseID = options.caseID { info.set("Internal-Sender-Identifier", caseID) }
        if info.payloadOxumValues.isEmpty { info.fields.append(.init("Payload-Oxum", "\(payloadBytes).\(fileCount)")) }
        info.fields.append(.init("Bag-Software-Agent", AmanaVersion.agent))
        return info
    }

    /// A tag file's bytes, read again and held to the digest the check computed, so that what is stored is what was
    /// checked.
    private static func tagBytes(_ path: String, in folder: String, inventory: BagInventory) throws -> [UInt8] {
        guard let file = inventory.files[path] else { return [] }
        if let contents = file.contents { return contents }
        let changed = AmanaError(.sourceChanged, "\(folder)/\(path) changed while it was being adopted",
                                 hint: "adopt the bag again once nothing is writing to it")
        guard file.size <= UInt64(BagInventory.tagFileLimit),
              let data = FileManager.default.contents(atPath: "\(folder)/\(path)") else { throw changed }
        let bytes = [UInt8](data)
        guard let expected = file.digests[.sha256], MultiDigest.digests(of: bytes, [.sha256])[.sha256] == expected else { throw changed }
        return bytes
    }
}
