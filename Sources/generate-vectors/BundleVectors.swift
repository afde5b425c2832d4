import RawTar

/// Whole bundles: the honest ones, trust variations, and Amana's profile rules (bundle.md sections 3 to 5).
enum BundleVectors {
    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let sealed = try base.bag()
        var cases = [VectorCase]()
        func add(_ name: String, _ comment: String, _ verdict: String, _ codes: [String], forge: Bool = true, xfail: String? = nil,
                 _ change: (inout ForgedBag) -> Void) {
            var bag = sealed
            change(&bag)
            if forge { bag.forge() }
            cases.append(VectorCase("bundle", name, comment, bag, verdict, codes).with { $0.xfail = xfail })
        }
        let untrustedCodes = ["seal.key.untrusted", "custody.actor.untrusted", claimedOnly]
        cases.append(VectorCase("bundle", "valid", "two text files sealed by the trusted signer; no timestamp token",
                                input: .tar(base.sealed), verdict: passed, codes: [claimedOnly]))
        cases.append(VectorCase("bundle", "valid-folder", "the valid bundle as an extracted folder",
                                input: sealed.folder(), verdict: passed, codes: [claimedOnly]))
        cases.append(VectorCase("bundle", "untrusted", "the valid bundle, trusting only another key",
                                input: .tar(base.sealed), verdict: indeterminate, codes: untrustedCodes).with { $0.trust = ["other.pub"] })
        cases.append(VectorCase("bundle", "no-trust", "the valid bundle with no trust input at all",
                                input: .tar(base.sealed), verdict: indeterminate, codes: untrustedCodes).with { $0.trust = [] })
        cases.append(VectorCase("bundle", "handed-off", "sealed by signer, transferred to other, received by other: three seals, seven events",
                                input: .tar(base.handedOff), verdict: passed, codes: [claimedOnly])
            .with { $0.trust = ["signer.pub", "other.pub"] })
        cases.append(VectorCase("bundle", "handed-off-receiver-untrusted", "the hand-off, trusting only the original signer",
                                input: .tar(base.handedOff), verdict: indeterminate,
                                codes: ["seal.key.untrusted", "custody.actor.untrusted", claimedOnly]))
        cases.append(VectorCase("bundle", "sha256-blake2b512", "sealed with --digests sha256,blake2b512 (bundle.md section 5.1)",
                                input: .tar(base.blake2), verdict: passed, codes: [claimedOnly]))
        cases.append(VectorCase("bundle", "input-missing", "the input file does not exist: exit 66, no report",
                                input: .tar([], name: "absent.tar"), verdict: nil, codes: []).with {
            $0.exitOverride = 66
            $0.omitInput = true
        })
        var backslash = sealed
        backslash["data/evil\\name.txt"] = utf8("x\n")
        cases.append(VectorCase("bundle", "folder-backslash-name",
                                "the valid bundle as a folder, plus a file whose name holds a backslash: the same archive.entry.path as in a tar (archive/backslash)",
                                input: backslash.folder(), verdict: failed, codes: ["archive.entry.path", claimedOnly]))
        var c1 = sealed
        c1["data/x\u{85}y.txt"] = utf8("x\n")
        cases.append(VectorCase("bundle", "folder-c1-name",
                                "the valid bundle as a folder, plus a file whose name holds U+0085, a C1 control character (archive/c1-control-name)",
                                input: c1.folder(), verdict: failed, codes: ["archive.entry.path", claimedOnly]))
        add("payload-byte-flipped", "one byte of a payload file changed inside the tar, nothing re-sealed", failed,
            ["payload.digest.mismatch", "items.digest.mismatch", "custody.item.mismatch", claimedOnly], forge: false) {
            var bytes = $0["data/interview-notes.txt"]!
            bytes[0] ^= 0x20
            $0["data/interview-notes.txt"] = bytes
        }
        add("root-renamed", "the root folder renamed: it no longer equals External-Identifier nor the seal's Bundle-Id", failed,
            ["bundle.id.mismatch", "seal.bundle.mismatch", "custody.chain.broken", "items.bundle.mismatch", claimedOnly], forge: false) {
            $0.renameRoot("vector-bundle-2")
        }
        add("external-identifier-differs", "bag-info.txt's External-Identifier differs from the root folder, re-sealed", failed,
            ["bundle.id.mismatch", "seal.bundle.mismatch", claimedOnly]) {
            $0.replace("bag-info.txt", "External-Identifier: vector-bundle-1", "External-Identifier: vector-bundle-2")
        }
        add("external-identifier-missing", "bag-info.txt without External-Identifier, re-sealed (bundle.md 4: required in an Amana bundle)",
            failed, ["bundle.id.missing", claimedOnly]) {
            $0.replace("bag-info.txt", "External-Identifier: vector-bundle-1\n", "")
        }
        add("bag-info-removed", "bag-info.txt removed, re-sealed: no External-Identifier (bundle.md 4: bag-info.txt is required)",
            failed, ["bundle.id.missing", claimedOnly]) {
            $0["bag-info.txt"] = nil
        }
        var unnamed = sealed
        unnamed.replace("bag-info.txt", "External-Identifier: vector-bundle-1\n", "")
        unnamed.forge()
        cases.append(VectorCase("bundle", "external-identifier-missing-folder",
                                "the same as a folder, where External-Identifier is the only bundle id there is: nothing else objects",
                                input: unnamed.folder(), verdict: failed, codes: ["bundle.id.missing", claimedOnly]))
        add("tag-file-unlisted", "a tag file the tag manifests do not list", failed, ["bundle.file.unsealed", claimedOnly], forge: false) {
            $0["amana/notes.txt"] = utf8("added after sealing\n")
        }
        add("items-removed", "amana/items.json removed, then re-sealed", failed, ["bundle.items.missing", claimedOnly]) {
            $0["amana/items.json"] = nil
        }
        add("tag-manifests-removed", "every tag manifest removed after sealing", failed,
            ["bundle.tagmanifest.missing", "seal.commitment.mismatch", claimedOnly], forge: false) {
            $0["tagmanifest-sha256.txt"] = nil
            $0["tagmanifest-sha512.txt"] = nil
        }
        add("name-not-nfc", "a payload file named in NFD (e + combining acute), re-sealed", failed, ["bundle.name.not-nfc", claimedOnly]) {
            $0.renamePayload("data/photo-log.csv", "data/photo-log-cafe\u{0301}.csv")
        }
        add("empty-folder", "a folder with no file under data/", failed, ["bundle.folder.empty", claimedOnly], forge: false) {
            $0.entries.append(RawTar.Entry("\($0.root)/data/empty/", .directory))
        }
        return cases
    }
}
