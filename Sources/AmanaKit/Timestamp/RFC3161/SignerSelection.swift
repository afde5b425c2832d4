import SwiftASN1
import X509

/// Finds the TSA's certificate: by the SignerInfo's issuer and serial number (or subject key identifier), never by
/// name, and then only a certificate whose hash the signed ESSCertID(v2) attribute carries (RFC 5035 section 5.4,
/// RFC 5816). A certificate planted in the token with the TSA's name, or even with its issuer and serial but another
/// key, therefore cannot be chosen.
struct SignerSelection {
    struct Candidate {
        let certificate: Certificate
        let der: [UInt8]
    }

    let signerInfo: CMSSignerInfo
    let candidates: [Candidate]

    /// The token's certificates first, then the given ones; duplicates (same DER) once.
    init(signedData: CMSSignedData, roots: TSARoots) {
        var candidates = [Candidate]()
        var seen = Set<[UInt8]>()
        for embedded in signedData.certificates {
            guard let certificate = embedded.certificate, seen.insert(embedded.der).inserted else { continue }
            candidates.append(Candidate(certificate: certificate, der: embedded.der))
        }
        for certificate in roots.certificates {
            guard let der = try? TSARoots.der(certificate), seen.insert(der).inserted else { continue }
            candidates.append(Candidate(certificate: certificate, der: der))
        }
        self.signerInfo = signedData.signerInfo
        self.candidates = candidates
    }

    /// The signer, or nil (with a finding saying why). A certificate is returned even when the ESSCertID does not
    /// bind it, so that the signature can still be checked and reported; the mismatch is a failure of its own.
    func select(_ findings: inout TimestampFindings) -> Candidate? {
        let matches = candidates.filter { matchesSignerIdentifier($0.certificate) }
        guard let first = matches.first else {
            findings.indeterminate(.signerMissing, "the TSA's certificate (\(identifierDescription)) is neither in the "
                                   + "token nor among the given certificates, so the signature cannot be checked")
            return nil
        }
        let attributes = signerInfo.signedAttributes
        let v1 = attributes.all(TimestampOID.signingCertificate)
        let v2 = attributes.all(TimestampOID.signingCertificateV2)
        guard !v1.isEmpty || !v2.isEmpty else {
            findings.failed(.essCertIDMissing, "the token has no signingCertificate(V2) attribute binding the TSA's "
                            + "certificate into the signature")
            return first
        }
        var identifiers = [ESSCertID]()
        for (attribute, version) in v1.map({ ($0, ESSCertID.Version.v1) }) + v2.map({ ($0, ESSCertID.Version.v2) }) {
            guard attribute.values.count == 1, let id = try? ESSCertID.first(of: attribute.values[0], version: version)
            else {
                findings.failed(.essCertIDMismatch, "the signing-certificate attribute is malformed")
                return first
            }
            identifiers.append(id)
        }
        if v1.count > 1 || v2.count > 1 {
            findings.failed(.essCertIDMismatch, "the signing-certificate attribute occurs more than once")
            return first
        }
        if let bound = matches.first(where: { candidate in identifiers.allSatisfy { bind($0, candidate) } }) {
            return bound
        }
        let names = identifiers.map(\.version.rawValue).joined(separator: " and ")
        findings.failed(.essCertIDMismatch, "the \(names) in the signed attributes does not identify the certificate "
                        + "\(first.certificate.subject) with the SignerInfo's \(identifierDescription)",
                        expected: identifiers.first.map { Hex.encode($0.certHash) },
                        found: identifiers.first?.hashAlgorithm.map { hash(first.der, $0) })
        return first
    }

    private func matchesSignerIdentifier(_ certificate: Certificate) -> Bool {
        switch signerInfo.signerIdentifier {
        case .issuerAndSerialNumber(let issuer, let serial):
            return certificate.issuer == issuer
                && SignerSelection.magnitude(Array(certificate.serialNumber.bytes)) == SignerSelection.magnitude(serial)
        case .subjectKeyIdentifier(let keyID):
            guard let ski = try? certificate.extensions.subjectKeyIdentifier else { return false }
            return Array(ski.keyIdentifier) == keyID
        }
    }

    private func bind(_ id: ESSCertID, _ candidate: Candidate) -> Bool {
        guard let algorithm = id.hashAlgorithm, !(id.version == .v2 && algorithm.isBroken),
              hash(candidate.der, algorithm) == Hex.encode(id.certHash)
        else { return false }
        if let issuer = id.issuer, let serial = id.serialNumber {
            let named = issuer.contains { name in
                if case .directoryName(let dn) = name { return dn == candidate.certificate.issuer }
                return false
            }
            let sameSerial = SignerSelection.magnitude(Array(candidate.certificate.serialNumber.bytes))
                == SignerSelection.magnitude(serial)
            return named && sameSerial
        }
        return true
    }

    private func hash(_ bytes: [UInt8], _ algorithm: DigestAlgorithm) -> String {
        MultiDigest.digests(of: bytes, [algorithm])[algorithm]!.hex
    }

    private var identifierDescription: String {
        switch signerInfo.signerIdentifier {
        case .issuerAndSerialNumber(let issuer, let serial):
            return "issuer \(issuer), serial \(Hex.encode(SignerSelection.magnitude(serial)))"
        case .subjectKeyIdentifier(let keyID):
            return "subject key identifier \(Hex.encode(keyID))"
        }
    }

    /// A positive INTEGER's octets without the sign octet, so `00 8F..` and `8F..` compare equal.
    static func magnitude(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes[...]
        while bytes.count > 1, bytes.first == 0 { bytes = bytes.dropFirst() }
        return Array(bytes)
    }
}
