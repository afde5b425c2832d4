import SwiftASN1

/// RFC 5652 section 5.3 and 11: the content-type attribute must name the encapsulated content type
/// (id-ct-TSTInfo), and the message-digest attribute must be the digest of the TSTInfo's bytes. Each must occur once,
/// with one value. The signature covers these attributes, so they are what binds the TSTInfo to the signature.
struct SignedAttributesRule {
    let signedData: CMSSignedData
    let digest: DigestAlgorithm?

    func check(_ findings: inout TimestampFindings) {
        let attributes = signedData.signerInfo.signedAttributes
        let types = attributes.attributes.map(\.type)
        if Set(types).count != types.count {
            findings.failed(.encodingInvalid, "a signed attribute type occurs more than once")
        }
        let contentTypes = attributes.all(TimestampOID.contentType)
        if contentTypes.count != 1 || contentTypes[0].values.count != 1 {
            findings.failed(.contentTypeInvalid, "the signed attributes must hold one content-type attribute")
        } else if (try? ASN1ObjectIdentifier(derEncoded: contentTypes[0].values[0])) != TimestampOID.tstInfo {
            findings.failed(.contentTypeInvalid, "the signed content-type attribute is not id-ct-TSTInfo")
        }
        let digests = attributes.all(TimestampOID.messageDigest)
        guard digests.count == 1, digests[0].values.count == 1,
              let claimed = try? Array(ASN1OctetString(derEncoded: digests[0].values[0]).bytes)
        else {
            findings.failed(.messageDigestMismatch, "the signed attributes must hold one message-digest attribute")
            return
        }
        guard let digest, !digest.isBroken else { return }  // reported by SignatureRule
        let actual = MultiDigest.digests(of: signedData.eContent, [digest])[digest]!.bytes
        if actual != claimed {
            findings.failed(.messageDigestMismatch, "the signed message-digest does not match the TSTInfo: the "
                            + "time-stamp content was altered after signing", expected: Hex.encode(claimed),
                            found: Hex.encode(actual))
        }
    }
}

