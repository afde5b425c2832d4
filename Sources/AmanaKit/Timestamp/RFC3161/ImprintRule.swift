/// RFC 3161 section 2.4.2: the TSTInfo's messageImprint must be the hash of the data. MD5 and SHA-1 imprints are
/// refused outright: a collision under them lets one token vouch for two different files.
struct ImprintRule {
    let imprint: MessageImprint
    let data: TimestampedData

    func check(_ findings: inout TimestampFindings) {
        let oid = imprint.hashAlgorithm.algorithm
        guard let algorithm = imprint.hashAlgorithm.digestAlgorithm else {
            findings.indeterminate(.imprintUnsupported, "the imprint uses an algorithm Amana does not know (\(oid))")
            return
        }
        guard imprint.hashedMessage.count == algorithm.byteCount else {
            findings.failed(.encodingInvalid, "the \(algorithm.rawValue) imprint is \(imprint.hashedMessage.count) bytes long")
            return
        }
        if algorithm.isBroken {
            findings.failed(.imprintWeak, "the imprint uses \(algorithm.rawValue), which has practical collisions; "
                            + "such a token could vouch for other data too")
            return
        }
        guard let digest = data.digest(algorithm) else {
            findings.indeterminate(.imprintUnsupported, "no \(algorithm.rawValue) digest of the data was available")
            return
        }
        if digest != imprint.hashedMessage {
            findings.failed(.imprintMismatch, "the token stamps other data: its \(algorithm.rawValue) imprint differs "
                            + "from the data's digest", expected: Hex.encode(imprint.hashedMessage), found: Hex.encode(digest))
        }
    }
}
