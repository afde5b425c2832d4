/// RFC 8493 rules (bagit, manifest, payload, tagmanifest, fetch), mostly on plain bags, where `bundle.unsealed` is
/// the only profile finding, so each case isolates one BagIt rule.
enum BagItVectors {
    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let plain = try base.bag().plain()
        let unsealed = "bundle.unsealed"
        var cases = [VectorCase]()
        func add(_ name: String, _ comment: String, _ verdict: String, _ codes: [String], _ change: (inout ForgedBag) -> Void) {
            var bag = plain
            change(&bag)
            cases.append(VectorCase("bagit", name, comment, bag, verdict, codes + [unsealed]))
        }
        add("plain-bag", "a valid plain BagIt bag: the profile is not applied, so it cannot pass", indeterminate, []) { _ in }
        add("declaration-missing", "no bagit.txt", failed, ["bagit.declaration.missing"]) {
            $0["bagit.txt"] = nil
            $0.rewriteTagManifests()
        }
        add("declaration-version", "bagit.txt names BagIt 2.0, a version that does not exist", failed, ["bagit.declaration.invalid"]) {
            $0.replace("bagit.txt", "BagIt-Version: 1.0", "BagIt-Version: 2.0")
            $0.rewriteTagManifests()
        }
        add("declaration-extra-line", "bagit.txt with a third line", failed, ["bagit.declaration.invalid"]) {
            $0["bagit.txt"] = $0["bagit.txt"]! + utf8("Note: x\n")
            $0.rewriteTagManifests()
        }
        add("encoding-shift-jis", "tag files declared Shift_JIS, which Amana does not decode", indeterminate, ["bagit.encoding.unsupported"]) {
            $0.replace("bagit.txt", "UTF-8", "Shift_JIS")
            $0.rewriteTagManifests()
        }
        add("bag-info-bom", "bag-info.txt starts with a UTF-8 byte-order mark", indeterminate, ["bagit.tagfile.bom"]) {
            $0["bag-info.txt"] = [0xEF, 0xBB, 0xBF] + $0["bag-info.txt"]!
            $0.rewriteTagManifests()
        }
        add("payload-folder-missing", "no data/ folder and empty payload manifests", failed, ["bagit.payload.missing", "bagit.info.oxum.mismatch"]) {
            $0.entries.removeAll { $0.name.contains("/data/") || $0.name.hasSuffix("/data") }
            $0.rewriteManifests()
            $0.rewriteTagManifests()
        }
        add("bag-info-no-colon", "a bag-info.txt line without a label", failed, ["bagit.info.invalid"]) {
            $0["bag-info.txt"] = $0["bag-info.txt"]! + utf8("no label here\n")
            $0.rewriteTagManifests()
        }
        add("oxum-mismatch", "Payload-Oxum claims three files", failed, ["bagit.info.oxum.mismatch"]) {
            $0.setOxum("139.3")
            $0.rewriteTagManifests()
        }
        add("manifest-missing", "no payload manifest at all", failed, ["manifest.missing"]) {
            $0["manifest-sha256.txt"] = nil
            $0["manifest-sha512.txt"] = nil
            $0.rewriteTagManifests()
        }
        add("manifest-malformed", "a manifest line with a digest of the wrong length", failed, ["manifest.malformed"]) {
            $0["manifest-sha256.txt"] = $0["manifest-sha256.txt"]! + utf8("abcd  data/interview-notes.txt\n")
            $0.rewriteTagManifests()
        }
        add("manifest-path-dotdot", "a manifest path that climbs out of the bag", failed, ["manifest.path.invalid"]) {
            $0["manifest-sha256.txt"] = $0["manifest-sha256.txt"]! + utf8(String(repeating: "0", count: 64) + "  data/../../etc/passwd\n")
            $0.rewriteTagManifests()
        }
        add("manifest-duplicate", "a manifest lists one path twice", failed, ["manifest.entry.duplicate"]) {
            let first = $0.text("manifest-sha256.txt").split(separator: "\n")[0]
            $0["manifest-sha256.txt"] = $0["manifest-sha256.txt"]! + utf8(first + "\n")
            $0.rewriteTagManifests()
        }
        add("manifest-dot-slash", "manifest paths written ./data/...: read as data/..., with a warning", indeterminate, ["manifest.path.relative"]) {
            $0.replace("manifest-sha256.txt", "  data/", "  ./data/")
            $0.rewriteTagManifests()
        }
        add("manifest-star-marker", "manifest paths with md5sum's binary marker *", indeterminate, ["manifest.path.marker"]) {
            $0.replace("manifest-sha256.txt", "  data/", " *data/")
            $0.rewriteTagManifests()
        }
        add("manifest-case-variant", "a manifest names data/Photo-log.csv for data/photo-log.csv: matched, with a warning",
            indeterminate, ["manifest.path.variant"]) {
            $0.replace("manifest-sha256.txt", "data/photo-log.csv", "data/Photo-log.csv")
            $0.rewriteTagManifests()
        }
        add("manifest-unknown-algorithm", "an extra manifest-sha3-256.txt, an algorithm Amana does not implement", indeterminate,
            ["manifest.algorithm.unsupported"]) {
            $0["manifest-sha3-256.txt"] = $0["manifest-sha256.txt"]
            $0.rewriteTagManifests()
        }
        add("manifest-md5-only", "the only payload manifest is MD5", indeterminate, ["manifest.algorithm.weak"]) {
            $0["manifest-sha256.txt"] = nil
            $0["manifest-sha512.txt"] = nil
            $0["manifest-md5.txt"] = []
            $0.rewriteManifests()
            $0.rewriteTagManifests()
        }
        add("payload-flipped-byte", "one byte of a payload file changed", failed, ["payload.digest.mismatch"]) {
            var bytes = $0["data/interview-notes.txt"]!
            bytes[0] ^= 0x20
            $0["data/interview-notes.txt"] = bytes
        }
        add("payload-file-missing", "a payload file removed (Payload-Oxum updated)", failed, ["payload.file.missing"]) {
            $0["data/photo-log.csv"] = nil
            $0.setOxum()
            $0.rewriteTagManifests()
        }
        add("payload-file-unlisted", "a payload file no manifest lists (Payload-Oxum updated)", failed, ["payload.file.unlisted"]) {
            $0["data/extra.txt"] = utf8("added later\n")
            $0.setOxum()
            $0.rewriteTagManifests()
        }
        add("payload-ds-store", "a .DS_Store in the payload, listed in the manifests", indeterminate, ["payload.file.system"]) {
            $0["data/.DS_Store"] = utf8("Bud1")
            $0.setOxum()
            $0.rewriteManifests()
            $0.rewriteTagManifests()
        }
        add("tag-file-edited", "bag-info.txt edited after the tag manifests were made", failed, ["tagmanifest.digest.mismatch"]) {
            $0.replace("bag-info.txt", "Contact-Name: Vector Signer", "Contact-Name: Someone Else")
        }
        add("tag-file-missing", "a tag manifest lists a tag file that is absent", failed, ["tagmanifest.file.missing"]) {
            $0.rewriteTagManifests()
            $0["bag-info.txt"] = nil
        }
        let fetchDigest = String(repeating: "0", count: 64)
        add("fetch-present", "a fetch.txt naming a file that is present and listed: Amana never fetches", indeterminate, ["fetch.ignored"]) {
            $0["fetch.txt"] = utf8("https://example.org/interview-notes.txt 76 data/interview-notes.txt\n")
            $0.rewriteTagManifests()
        }
        add("fetch-malformed", "a fetch.txt line with two fields", failed, ["fetch.ignored", "fetch.malformed"]) {
            $0["fetch.txt"] = utf8("https://example.org/a data/interview-notes.txt\n")
            $0.rewriteTagManifests()
        }
        add("fetch-outside-data", "a fetch.txt path outside data/", failed, ["fetch.ignored", "fetch.path.invalid"]) {
            $0["fetch.txt"] = utf8("https://example.org/a 10 bag-info.txt\n")
            $0.rewriteTagManifests()
        }
        add("fetch-unlisted", "a fetch.txt path no payload manifest lists, and that is absent", failed,
            ["fetch.ignored", "fetch.entry.unlisted"]) {
            _ = fetchDigest
            $0["fetch.txt"] = utf8("https://example.org/b 10 data/remote.bin\n")
            $0.rewriteTagManifests()
        }
        return cases
    }
}
