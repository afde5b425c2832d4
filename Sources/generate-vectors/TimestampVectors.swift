import Foundation

/// RFC 3161 tokens in `seals/` (timestamps.md): a local TSA stamps seal 1's signature file, and each case alters the
/// token, the trust roots or the times one way. Every case trusts the signer and gives `--tsa-root`, and validates
/// at 2090-01-01 (the TSA certificates are valid for 100 years), except where the time is the point.
enum TimestampVectors {
    static let validationTime = "2090-01-01T00:00:00Z"
    static let tokenPath = "seals/0001.seal.minisig.tsr"
    /// The policy OID make-tsa.sh gives its TSA, 1.3.6.1.4.1.55555.3161.1, as DER.
    static let policyOID: [UInt8] = [0x06, 0x0B, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0xB2, 0x03, 0x98, 0x59, 0x01]

    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let keys = base.keys.folder
        let packageRoot = keys.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let tsa = try LocalTSA("main", keys: keys, packageRoot: packageRoot)
        let unrelated = try LocalTSA("unrelated", keys: keys, options: ["--name", "Unrelated TSA"], packageRoot: packageRoot)
        let lookalike = try LocalTSA("lookalike", keys: keys, packageRoot: packageRoot)
        let looseEKU = try LocalTSA("eku-noncritical", keys: keys, options: ["--eku", "noncritical"], packageRoot: packageRoot)
        let sealed = try base.bag()
        let minisig = sealed[ForgedBag.sealPath(1) + ".minisig"]!
        let response = try tsa.stamp(minisig)
        let tstInfo = try tsa.tstInfo(ofResponse: response)
        let digest = ForgedBag.hex(minisig, .sha256).prefix(16)

        var cases = [VectorCase]()
        func add(_ name: String, _ comment: String, _ verdict: String, _ codes: [String], token: [UInt8],
                 bag: ForgedBag? = nil, root: [UInt8]? = nil, at: String = validationTime, xfail: String? = nil) {
            var copy = bag ?? sealed
            copy[tokenPath] = token
            var vector = VectorCase("timestamp", name, comment, copy, verdict, codes)
            vector.tsaRoots = ["tsa-root.pem"]
            vector.files["trust/tsa-root.pem"] = root ?? tsa.rootPEM
            vector.at = at
            vector.xfail = xfail
            cases.append(vector)
        }
        add("valid", "a token from the trusted TSA over seal 1's signature file", passed, [], token: response)
        add("bare-token", "the same token as a bare TimeStampToken (CMS ContentInfo), not a TimeStampResp", passed, [],
            token: try tsa.sign(tstInfo: tstInfo, key: "bare-\(digest)",
                                options: ["-econtent_type", "1.2.840.113549.1.9.16.1.4", "-cades", "-md", "sha256"]))
        add("root-unrelated", "the token checked against another TSA's root", indeterminate, ["timestamp.chain.untrusted"],
            token: response, root: unrelated.rootPEM)
        add("root-lookalike", "a root with the TSA root's very name but another key", failed, ["timestamp.chain.invalid"],
            token: response, root: lookalike.rootPEM)
        add("other-data", "a token over the seal statement instead of its signature file", failed, ["timestamp.imprint.mismatch"],
            token: try tsa.stamp(sealed[ForgedBag.sealPath(1)]!))
        add("imprint-sha1", "a token whose message imprint is SHA-1", failed, ["timestamp.imprint.weak"],
            token: try tsa.stamp(minisig, hash: "sha1"))
        add("imprint-sha3", "a token whose message imprint is SHA3-256, which Amana does not implement", indeterminate,
            ["timestamp.imprint.unsupported"], token: try tsa.stamp(minisig, hash: "sha3-256"))
        // TimeStampResp { PKIStatusInfo { rejection, "no", failInfo badAlg } }
        add("rejected", "a TimeStampResp whose status is rejection", failed, ["timestamp.status.rejected"],
            token: [0x30, 0x0F, 0x30, 0x0D, 0x02, 0x01, 0x02, 0x30, 0x04, 0x0C, 0x02, 0x6E, 0x6F, 0x03, 0x02, 0x07, 0x80])
        add("not-der", "a .tsr that is not DER", failed, ["timestamp.encoding.invalid"], token: utf8("not a token"))
        add("trailing-byte", "a valid token with one byte after it", failed, ["timestamp.encoding.invalid"], token: response + [0])
        add("from-the-future", "validated at 2026-06-01, before the token's genTime", failed, ["timestamp.time.future"],
            token: response, at: VectorCase.defaultValidationTime)
        var late = sealed
        late.reseal(1) { $0.claimedTime = "2089-01-01T00:00:00Z" }
        add("before-claim", "the seal claims 2089, but the token proves it existed earlier", failed, ["timestamp.time.before-claim"],
            token: try tsa.stamp(late[ForgedBag.sealPath(1) + ".minisig"]!), bag: late)
        var flipped = response
        flipped[flipped.count - 1] ^= 0x01
        add("signature-flipped", "the last byte of the TSA's ECDSA signature changed", failed, ["timestamp.signature.invalid"], token: flipped)
        var edited = response
        if let at = DER.find(policyOID, in: edited) { edited[at + policyOID.count - 1] ^= 0x01 }
        add("tstinfo-edited", "the policy OID inside the signed TSTInfo changed", failed, ["timestamp.message-digest.mismatch"], token: edited)
        add("no-certificate", "a token without the TSA certificate, checked against the root alone", indeterminate,
            ["timestamp.signer.missing"], token: try tsa.stamp(minisig, certificate: false))
        let tstType = ["-econtent_type", "1.2.840.113549.1.9.16.1.4"]
        add("no-ess-certid", "a token signed without the ESS signing-certificate attribute", failed, ["timestamp.esscertid.missing"],
            token: try tsa.sign(tstInfo: tstInfo, key: "noess-\(digest)", options: tstType + ["-md", "sha256"]))
        // The content-type signed attribute changed to id-ct-receipt (…9.16.1.1): the eContentType is still right,
        // so the token parses, but the attribute and therefore the signature over the attributes are wrong.
        let tstInfoType: [UInt8] = [0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x04]
        var wrongType = response
        if let first = DER.find(tstInfoType, in: wrongType),
           let second = DER.find(tstInfoType, in: Array(wrongType[(first + 1)...])) {
            wrongType[first + 1 + second + tstInfoType.count - 1] = 0x01
        }
        add("content-type-attribute", "the signed content-type attribute is not id-ct-TSTInfo", failed,
            ["timestamp.content-type.invalid", "timestamp.signature.invalid"], token: wrongType)
        add("signed-with-sha1", "a token whose signature digest is SHA-1", failed, ["timestamp.algorithm.weak"],
            token: try tsa.sign(tstInfo: tstInfo, key: "sha1sig-\(digest)", options: tstType + ["-cades", "-md", "sha1"]))
        add("eku-not-critical", "a TSA certificate whose extended key usage is not critical", failed, ["timestamp.eku.invalid"],
            token: try looseEKU.sign(tstInfo: tstInfo, key: "eku-\(digest)", options: tstType + ["-cades", "-md", "sha256"]),
            root: looseEKU.rootPEM)
        var renamed = tstInfo
        if let at = DER.find(utf8("Amana Test TSA"), in: renamed) { renamed[at + 13] = UInt8(ascii: "B") }
        add("tsa-name-other", "a TSTInfo whose tsa field names another TSA than the signer", failed, ["timestamp.tsa-name.mismatch"],
            token: try tsa.sign(tstInfo: renamed, key: "tsaname-\(digest)", options: tstType + ["-cades", "-md", "sha256"]))
        // extensions [1] IMPLICIT SEQUENCE OF Extension { 1.3.6.1.4.1.55555.9, critical, OCTET STRING { NULL } }
        let unknownExtension = DER.tlv(0x30, DER.tlv(0x06, [0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0xB2, 0x03, 0x09])
            + [0x01, 0x01, 0xFF] + DER.tlv(0x04, [0x05, 0x00]))
        let extended = DER.tlv(0x30, DER.content(tstInfo) + DER.tlv(0xA1, unknownExtension))
        add("critical-extension", "a TSTInfo with a critical extension Amana does not know", indeterminate,
            ["timestamp.extension.unsupported"],
            token: try tsa.sign(tstInfo: extended, key: "extension-\(digest)", options: tstType + ["-cades", "-md", "sha256"]))
        add("signed-with-sha224", "an ECDSA signature with SHA-224, which timestamps.md 4.3 does not accept", indeterminate,
            ["timestamp.algorithm.unsupported"],
            token: try tsa.sign(tstInfo: tstInfo, key: "sha224sig-\(digest)", options: tstType + ["-cades", "-md", "sha224"]))
        var twoTokens = sealed
        twoTokens["seals/0001.seal.minisig.2.tsr"] = try unrelated.stamp(minisig)
        add("second-token-untrusted", "two tokens over the seal (.tsr and .2.tsr), the second from a TSA whose root is not given",
            indeterminate, ["timestamp.chain.untrusted"], token: response, bag: twoTokens)
        var oneToken = sealed
        oneToken["seals/0001.seal.minisig.1.tsr"] = response
        add("token-numbered-1", "a valid token, and a copy named .1.tsr: further tokens are numbered from 2 (timestamps.md), so it is an unexpected file",
            failed, ["seal.file.unexpected"], token: response, bag: oneToken)
        add("planted-certificate", "a token without certificates, and as TSA certificates the root and a certificate with the TSA's issuer and serial but another key",
            failed, ["timestamp.esscertid.mismatch", "timestamp.signature.invalid"],
            token: try tsa.stamp(minisig, certificate: false), root: tsa.rootPEM + (try tsa.twinCertificate()))
        add("attributes-not-der-order", "signed attributes out of DER order, correctly signed over those bytes: accepted with a warning",
            passed, ["timestamp.encoding.non-der-attributes"], token: try tsa.reorderedAttributes(response, key: "reordered-\(digest)"))
        add("unreadable-certificate", "an extra entry in the token's certificates that is no certificate: ignored with a warning",
            passed, ["timestamp.certificate.unreadable"], token: tsa.withUnreadableCertificate(response))
        return cases
    }
}
