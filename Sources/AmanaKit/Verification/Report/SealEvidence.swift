/// The bytes behind one seal entry of the report, for renderings that must carry the evidence itself rather than a
/// description of it: the ETSI TS 119 102-2 report (spec/report.md) gives the signature value, the signer's public key
/// and each token's DER.
///
/// It is package data on ``VerificationReport`` and never part of the JSON report: the JSON already states every fact
/// these bytes support (verification-report.md section 3.2), and kilobytes of base64 per token would change nothing a
/// reader decides. It keeps the files as the inventory read them (shared, not copied) and parses them only when asked,
/// so a verification that renders no ETSI report pays nothing for it, even with thousands of seals. Every value is as
/// read from the bundle, and is trusted only as far as the seal's and tokens' statuses say.
package struct SealEvidence: Sendable, Equatable {
    /// SHA-256 of `seals/NNNN.seal`, the bytes the signature covers; nil when the file was not read.
    package var statementSHA256: [UInt8]?
    /// `seals/NNNN.seal` as read.
    package var statement: [UInt8]?
    /// `seals/NNNN.seal.minisig` as read.
    package var signatureFile: [UInt8]?
    /// Each token file's bytes as stored (a TimeStampResp or a bare token), by its path in the bag.
    package var tokens: [String: [UInt8]] = [:]

    package init(statementSHA256: [UInt8]? = nil, statement: [UInt8]? = nil, signatureFile: [UInt8]? = nil,
                 tokens: [String: [UInt8]] = [:]) {
        self.statementSHA256 = statementSHA256
        self.statement = statement
        self.signatureFile = signatureFile
        self.tokens = tokens
    }

    /// The signer's Ed25519 public key (32 bytes) as the statement carries it; nil when it does not parse.
    package var publicKey: [UInt8]? {
        guard let statement, let parsed = try? SealStatement(parsing: statement) else { return nil }
        return (try? PublicKey(base64: parsed.signerPublicKey))?.rawKey
    }

    /// The Ed25519 signature value (64 bytes) of the `.minisig` file; nil when it is absent or malformed.
    package var signature: [UInt8]? {
        signatureFile.flatMap { try? MinisignSignature(minisignFile: $0) }?.signature
    }
}

extension SealEvidence {
    /// What the inventory holds for seal `number`, given the token files its report entry lists.
    init(number: Int, tokenFiles: [String], inventory: BagInventory) {
        let statement = inventory.files[BundleLayout.sealFile(number)]
        self.init(statementSHA256: statement?.digests[.sha256]?.bytes, statement: statement?.contents,
                  signatureFile: inventory.files[BundleLayout.sealSignature(number)]?.contents)
        for file in tokenFiles {
            if let bytes = inventory.files[file]?.contents { tokens[file] = bytes }
        }
    }
}
