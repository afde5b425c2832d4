import Crypto
import X509

/// The `SignatureValidationObjects` of an ETSI report: the signers' public keys, the seals' RFC 3161 tokens and the
/// TSA certificates, each once, with the ids the signature reports refer to (spec/report.md).
///
/// Ids are XML `ID`s built only from hex digits and seal numbers, never from a bundle's strings: `K-` and the public
/// key in hex, `T-NNNN-I` for the I-th token of seal NNNN, `C-` and the certificate's SHA-256 in hex (DSS's form).
struct ETSIValidationObjects {
    /// One validation object, in the order first referred to.
    struct Object {
        enum Representation {
            case base64([UInt8])
            case sha256([UInt8])
        }

        var id: String
        var type: String
        var representation: Representation
        /// A token's own validation, written inside its object.
        var tokenReport: TokenReport?
    }

    /// What a token's nested `ValidationReport` states.
    struct TokenReport {
        var signerCertificate: String?
        var signer: String?
        var indication: ETSIMainIndication
        var subIndications: [ETSISubIndication]
        var trustAnchor: String?
        /// The validated chain's certificates between the TSA's and the anchor; present only with `trustAnchor`.
        var intermediates: [String]
        /// What the JSON report's token entry says of the TSA that ETSI's elements cannot: its policy and whether it
        /// claims to be EU-qualified (timestamps.md section 5.4), written in the report's `OtherInformation`.
        var token: ReportToken
    }

    static let publicKeyType = "urn:etsi:019102:validationObject:publicKey"
    static let timestampType = "urn:etsi:019102:validationObject:timestamp"
    static let certificateType = "urn:etsi:019102:validationObject:certificate"
    /// RFC 8410's SubjectPublicKeyInfo prefix for an Ed25519 key: the key in the form X.509 tools read.
    static let ed25519SPKIPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    private(set) var objects: [Object] = []
    private var ids: Set<String> = []

    /// The id of the signer key's object, added on first use.
    mutating func publicKey(_ rawKey: [UInt8]) -> String {
        let id = "K-" + Hex.encode(rawKey).uppercased()
        add(Object(id: id, type: Self.publicKeyType, representation: .base64(Self.ed25519SPKIPrefix + rawKey)))
        return id
    }

    /// The id of a certificate's object, from its DER; added on first use.
    mutating func certificate(der: [UInt8]) -> String {
        let id = Self.certificateID(sha256: Array(SHA256.hash(data: der)))
        add(Object(id: id, type: Self.certificateType, representation: .base64(der)))
        return id
    }

    /// The id of a certificate known only by its SHA-256 (a root or TSA certificate the token does not carry).
    mutating func certificate(sha256: [UInt8]) -> String {
        let id = Self.certificateID(sha256: sha256)
        add(Object(id: id, type: Self.certificateType, representation: .sha256(sha256)))
        return id
    }

    /// Adds token `index` of seal `number`, from the bytes of its file, with its own report; returns its id.
    /// `findings` are those about the token (others are ignored).
    mutating func token(seal number: Int, index: Int, entry: ReportToken, file: [UInt8]?,
                        findings: [Finding]) -> String {
        let id = "T-\(BundleLayout.sealStem(number))-\(index)"
        var embedded: [CMSSignedData.EmbeddedCertificate] = []
        var representation = Object.Representation.base64(file ?? [])
        if let file, case .success(let parsed) = TimestampToken.parse(file) {
            // The token itself (the CMS ContentInfo), as DSS gives it, also when the file holds a whole TimeStampResp.
            representation = .base64(parsed.tokenBytes)
            embedded = parsed.signedData.certificates
        }
        var report = TokenReport(indication: ETSIMainIndication(object: entry.status), subIndications: [], intermediates: [],
                                 token: entry)
        for finding in findings where finding.subject == entry.file {
            if let sub = ETSIFindingMapping.subIndication(for: finding), sub.status == entry.status,
               !report.subIndications.contains(sub) {
                report.subIndications.append(sub)
            }
        }
        let certificates = embedded.map { (der: $0.der, sha256: Hex.encode(Array(SHA256.hash(data: $0.der))),
                                           subject: $0.certificate?.subject.description) }
        if let tsa = entry.tsaCertificateSHA256 {
            if let known = certificates.first(where: { $0.sha256 == tsa }) {
                report.signerCertificate = certificate(der: known.der)
            } else if let digest = Hex.decode(tsa) {
                report.signerCertificate = certificate(sha256: digest)
            }
            report.signer = entry.tsaName
        }
        if entry.trusted, let root = entry.root, report.signerCertificate != nil {
            if let carried = certificates.first(where: { $0.sha256 == root.sha256 }) {
                report.trustAnchor = certificate(der: carried.der)
            } else if let digest = Hex.decode(root.sha256) {
                report.trustAnchor = certificate(sha256: digest)
            }
            // The chain between leaf and anchor, by subject; a subject two carried certificates share is left out
            // rather than guessed (a planted lookalike must never be named as part of the validated chain).
            for subject in (entry.chain ?? []).dropFirst().dropLast() {
                let matches = certificates.filter { $0.subject == subject }
                if matches.count == 1 { report.intermediates.append(certificate(der: matches[0].der)) }
            }
        }
        add(Object(id: id, type: Self.timestampType, representation: representation, tokenReport: report))
        return id
    }

    private static func certificateID(sha256: [UInt8]) -> String { "C-" + Hex.encode(sha256).uppercased() }

    private mutating func add(_ object: Object) {
        guard ids.insert(object.id).inserted else { return }
        objects.append(object)
    }
}
