import X509

/// RFC 5652 section 5.4: the signature is over the DER of the signed attributes, checked on their original bytes
/// (see ``SignedAttributes``), with the signer certificate's key. PKCS #1 v1.5, RSASSA-PSS and ECDSA (P-256, P-384,
/// P-521) are accepted; anything over MD5 or SHA-1 is refused.
///
/// Signed attributes not in DER's SET OF order are verified as they are, and a good signature over them is only a
/// warning (`timestamp.encoding.non-der-attributes`): the TSA signed exactly those bytes, and no one can reorder them
/// without breaking the signature.
struct SignatureRule {
    let signerInfo: CMSSignerInfo

    /// The SignerInfo's digest algorithm when it is one Amana computes, for the message-digest check.
    var digestAlgorithm: DigestAlgorithm? { signerInfo.digestAlgorithm.digestAlgorithm }

    /// Returns true when the signature verifies.
    func check(signer: Certificate?, _ findings: inout TimestampFindings) -> Bool {
        if let digest = digestAlgorithm, digest.isBroken {
            findings.failed(.algorithmWeak, "the token's digest algorithm is \(digest.rawValue), which has practical "
                            + "collisions")
            return false
        }
        if digestAlgorithm == nil {
            findings.indeterminate(.algorithmUnsupported, "the token's digest algorithm \(signerInfo.digestAlgorithm.algorithm) "
                                   + "is not supported")
            return false
        }
        let scheme: CMSSignatureAlgorithm
        do {
            scheme = try CMSSignatureAlgorithm.resolve(digest: signerInfo.digestAlgorithm,
                                                       signature: signerInfo.signatureAlgorithm)
        } catch CMSSignatureAlgorithm.Problem.weak(let what) {
            findings.failed(.algorithmWeak, "the token is signed with \(what), which is not collision resistant")
            return false
        } catch {
            let what = (error as? CMSSignatureAlgorithm.Problem).map { problem -> String in
                if case .unsupported(let text) = problem { return text }
                return "\(problem)"
            } ?? "\(error)"
            findings.indeterminate(.algorithmUnsupported, "the token's signature uses \(what), which Amana does not check")
            return false
        }
        guard let signer else { return false }  // reported by SignerSelection
        let attributes = signerInfo.signedAttributes
        let valid = scheme.isValid(signature: signerInfo.signature, message: attributes.signedBytes,
                                   certificate: signer)
        if !valid {
            // A tool that "repaired" the order would have broken the signature; say so, as a likely cause.
            let order = attributes.isInDEROrder ? "" : " (its signed attributes are not in DER order)"
            findings.failed(.signatureInvalid, "the \(scheme.name) signature does not verify with the key of "
                            + "\(signer.subject): the token was altered\(order) or was not signed by this TSA")
        } else if !attributes.isInDEROrder {
            findings.warning(.encodingNonDERAttributes, "the signed attributes are a SET OF not in DER order, as some "
                             + "TSAs wrote them; the signature verifies over them exactly as received (RFC 5652 "
                             + "section 5.4)")
        }
        return valid
    }
}
