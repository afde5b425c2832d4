import AmanaKit
import Foundation

/// Seals (seal.md section 5): every seal.* code, each from a bundle whose other parts are honest.
enum SealVectors {
    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let sealed = try base.bag(), handedOff = try base.bag(handedOff: true)
        let keys = base.keys
        var cases = [VectorCase]()
        let sealedFolder = try base.bag().folder()
        func add(_ name: String, _ comment: String, _ verdict: String, _ codes: [String], from bag: ForgedBag? = nil,
                 _ change: (inout ForgedBag) -> Void) {
            var copy = bag ?? sealed
            change(&copy)
            var vector = VectorCase("seal", name, comment, copy, verdict, codes)
            if bag != nil { vector.trust = ["signer.pub", "other.pub"] }
            cases.append(vector)
        }
        let seal1 = ForgedBag.sealPath(1)
        add("seals-removed", "the seals/ folder removed", failed, ["seal.missing"]) {
            $0.entries.removeAll { $0.name.contains("/seals") }
        }
        add("seal-2-removed", "the middle seal of three removed", failed, ["seal.sequence.gap", "seal.chain.mismatch", claimedOnly], from: handedOff) {
            $0[ForgedBag.sealPath(2)] = nil
            $0[ForgedBag.sealPath(2) + ".minisig"] = nil
        }
        add("file-in-seals", "a file in seals/ that is not a seal, signature or token", failed, ["seal.file.unexpected", claimedOnly]) {
            $0["seals/notes.txt"] = utf8("hello\n")
        }
        add("statement-crlf", "the statement re-signed with CRLF line ends: not canonical", failed, ["seal.statement.malformed", claimedOnly]) {
            $0.reseal(1, rawStatement: { $0 = utf8(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n")) })
        }
        add("statement-unknown-field", "an extra field a version 1 verifier cannot vouch for, re-signed", failed, ["seal.statement.malformed", claimedOnly]) {
            $0.reseal(1, rawStatement: { $0 += utf8("Note: hello\n") })
        }
        add("statement-sha1", "a Manifest line with SHA-1, re-signed", failed, ["seal.statement.malformed", claimedOnly]) {
            $0.reseal(1, rawStatement: { bytes in
                var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
                let index = lines.firstIndex { $0.hasPrefix("Manifest: sha256 ") }!
                lines[index] = "Manifest: sha1 " + String(repeating: "ab", count: 20)
                bytes = utf8(lines.joined(separator: "\n") + "\n")
            })
        }
        add("statement-lowercase-z", "Claimed-Time ending in a lower-case z, re-signed", failed, ["seal.statement.malformed", claimedOnly]) {
            $0.reseal(1, rawStatement: { $0 = utf8(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "09:30:00Z", with: "09:30:00z")) })
        }
        add("number-differs", "seal 1's statement says Seal-Number: 2, re-signed", failed, ["seal.statement.number", claimedOnly]) {
            $0.reseal(1) { $0.number = 2; $0.previousSeal = String(repeating: "0", count: 64) }
        }
        add("bundle-id-differs", "the statement names another bundle, re-signed", failed, ["seal.bundle.mismatch", claimedOnly]) {
            $0.reseal(1) { $0.bundleID = "vector-bundle-2" }
        }
        add("signature-removed", "the statement without its .minisig", failed, ["seal.signature.missing"]) {
            $0[seal1 + ".minisig"] = nil
        }
        add("signature-garbage", "a .minisig that is not a minisign signature", failed, ["seal.signature.malformed", claimedOnly]) {
            $0[seal1 + ".minisig"] = utf8("untrusted comment: x\nnot base64\n")
        }
        add("statement-edited", "one digest digit changed after signing", failed, ["seal.signature.invalid", "seal.commitment.mismatch", claimedOnly]) {
            let bytes = $0[seal1]!
            var text = String(decoding: bytes, as: UTF8.self)
            let range = text.range(of: "Manifest: sha256 ")!
            let digit = text.index(range.upperBound, offsetBy: 0)
            text.replaceSubrange(digit...digit, with: text[digit] == "0" ? "1" : "0")
            $0[seal1] = utf8(text)
        }
        add("signed-by-other-key", "names the trusted signer but is signed by another key", failed,
            ["seal.signature.key-mismatch", claimedOnly]) {
            $0.reseal(1, key: keys.other)
        }
        add("trusted-comment-edited", "the trusted comment changed after signing", failed,
            ["seal.signature.comment-invalid", claimedOnly]) {
            var text = $0.text(seal1 + ".minisig")
            text = text.replacingOccurrences(of: "file:0001.seal", with: "file:0009.seal")
            $0[seal1 + ".minisig"] = utf8(text)
        }
        add("substituted-key", "a new key carrying the signer's key id and name re-signs the seal in the signer's name", failed,
            ["seal.key.substituted", claimedOnly]) {
            let twin = keys.signerTwin
            $0.reseal(1, key: twin) { $0.signerPublicKey = twin.publicKey.base64 }
        }
        add("previous-seal-wrong", "seal 3's Previous-Seal names other bytes, re-signed by its signer", failed,
            ["seal.chain.mismatch", claimedOnly], from: handedOff) {
            $0.reseal(3) { $0.previousSeal = String(repeating: "0", count: 64) }
        }
        add("manifest-commitment-wrong", "the seal commits to another payload manifest digest, re-signed", failed,
            ["seal.commitment.mismatch", claimedOnly]) {
            $0.reseal(1) { $0.manifests[0].hex = String(repeating: "0", count: 64) }
        }
        add("manifest-commitment-missing", "the seal commits to the SHA-256 manifest only, re-signed", failed,
            ["seal.commitment.missing", claimedOnly]) {
            $0.reseal(1) { $0.manifests.removeLast() }
        }
        add("tag-manifest-commitment-wrong", "the newest seal commits to another tag manifest digest, re-signed", failed,
            ["seal.commitment.mismatch", claimedOnly]) {
            $0.reseal(1) { $0.tagManifests[1].hex = String(repeating: "0", count: 128) }
        }
        add("signature-legacy", "the seal signed with legacy Ed (Ed25519 over the statement itself), valid under the signer's key", failed,
            ["seal.signature.legacy", claimedOnly]) {
            $0[seal1 + ".minisig"] = utf8(try! legacySignature($0[seal1]!, key: keys.signer,
                                                               trustedComment: $0.text(seal1 + ".minisig").trustedComment))
        }
        add("previous-seal-in-seal-1", "seal 1 carrying a Previous-Seal line, re-signed", failed,
            ["seal.statement.malformed", claimedOnly]) {
            $0.reseal(1) { $0.previousSeal = String(repeating: "0", count: 64) }
        }
        add("previous-seal-absent", "seal 2 of three without its Previous-Seal line, re-signed; seal 3 re-chained to it", failed,
            ["seal.statement.malformed", claimedOnly], from: handedOff) {
            $0.reseal(2) { $0.previousSeal = nil }
            $0.reseal(3)
        }
        // seal.md 3.2: Signer-Key-Id MUST be the key id of Signer-Public-Key. Section 5 then checks the signature with
        // Signer-Public-Key, so when that is the field that lies, the signature's key id is also the wrong one.
        add("key-id-disagrees", "Signer-Key-Id names the other key, Signer-Public-Key is the signer's, who signed", failed,
            ["seal.statement.malformed", claimedOnly]) {
            $0.reseal(1, key: keys.signer) { $0.signerKeyID = keys.other.keyID.description }
        }
        add("public-key-disagrees", "Signer-Key-Id is the signer's, Signer-Public-Key is the other key; signed by the signer", failed,
            ["seal.statement.malformed", "seal.signature.key-mismatch", claimedOnly]) {
            $0.reseal(1, key: keys.signer) { $0.signerPublicKey = keys.other.publicKey.base64 }
        }
        // Key validity from a keyring (keys.md section 10a). The claimed time is 2026-01-15T09:30:00Z.
        func keyringCase(_ name: String, _ comment: String, _ labels: [(String, String)], _ verdict: String, _ codes: [String],
                         at: String = VectorCase.defaultValidationTime) {
            cases.append(VectorCase("seal", name, comment, input: sealedFolder, verdict: verdict, codes: codes).with {
                $0.at = at
                $0.trust = ["team.keyring"]
                $0.files["trust/team.keyring"] = VectorKeys.keyring([(keys.signer, [("name", "Vector Signer")] + labels)])
            })
        }
        keyringCase("keyring-valid", "the signer's key from a keyring, valid from 2026-01-01", [("not-before", "2026-01-01T00:00:00Z")],
                    passed, [claimedOnly])
        keyringCase("keyring-not-yet-valid", "the keyring's not-before is after the seal's claimed time",
                    [("not-before", "2026-02-01T00:00:00Z")], failed, ["seal.key.validity", "custody.actor.validity", claimedOnly])
        keyringCase("keyring-expired", "the keyring's not-after is before the seal's claimed time",
                    [("not-after", "2026-01-01T00:00:00Z")], failed, ["seal.key.validity", "custody.actor.validity", claimedOnly])
        keyringCase("keyring-revoked-before", "revoked at 2026-01-10, before the claimed time", [("revoked-at", "2026-01-10T00:00:00Z")],
                    failed, ["seal.key.validity", "custody.actor.validity", claimedOnly])
        keyringCase("keyring-revoked-after", "revoked at 2026-03-01, after the claimed time but before --at: a backdated claim cannot be ruled out",
                    [("revoked-at", "2026-03-01T00:00:00Z")], indeterminate, ["seal.key.validity", "custody.actor.validity", claimedOnly])
        // keys.md section 10a: a revocation later than --at still applies; only the claimed time is compared with it.
        keyringCase("keyring-revoked-after-at-before-claim", "revoked at 2026-01-10, after --at (2026-01-05) and before the claimed time: failed",
                    [("revoked-at", "2026-01-10T00:00:00Z")], failed, ["seal.key.validity", "custody.actor.validity", claimedOnly],
                    at: "2026-01-05T00:00:00Z")
        keyringCase("keyring-revoked-after-at-after-claim", "revoked at 2026-03-01, after --at (2026-01-05) and after the claimed time: indeterminate",
                    [("revoked-at", "2026-03-01T00:00:00Z")], indeterminate, ["seal.key.validity", "custody.actor.validity", claimedOnly],
                    at: "2026-01-05T00:00:00Z")
        return cases
    }

    /// A minisign signature file in the legacy `Ed` form (keys.md section 7): Ed25519 over the message itself, then
    /// the global signature over that signature and the trusted comment. Amana writes only `ED`, so it is made here
    /// from the raw Ed25519 primitive.
    static func legacySignature(_ message: [UInt8], key: SecretKey, trustedComment: String) throws -> String {
        let signature = try key.signDetached(message)
        let global = try key.signDetached(signature + utf8(trustedComment))
        return "untrusted comment: signature from amana secret key\n"
            + Data(utf8("Ed") + key.keyID.bytes + signature).base64EncodedString() + "\n"
            + "trusted comment: \(trustedComment)\n" + Data(global).base64EncodedString() + "\n"
    }
}

private extension String {
    /// The trusted comment of a `.minisig` file's text.
    var trustedComment: String {
        let prefix = "trusted comment: "
        return split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } ?? ""
    }
}
