import X509

/// RFC 5652 section 5.4: the signature is over the DER of the signed attributes, checked on their original bytes
/// (see ``SignedAttributes``), with the signer certificate's key. PKCS #1 v1.5, RSASSA-PSS and ECDSA (P-256, P-384,
/// P-521) are accepted; anything over MD5 or SHA-1 is refused.
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
        let valid = scheme.isValid(signature: signerInfo.signature, message: signerInfo.signedAttributes.signedBytes,
                                   certificate: signer)
        if !valid {
            findings.failed(.signatureInvalid, "the \(scheme.name) signature does not verify with the key of "
                            + "\(signer.subject): the token was altered or was not signed by this TSA")
        }
        return valid
    }
}
