import Crypto

/// The bytes behind one seal entry of the report, for renderings that must carry the evidence itself rather than a
/// description of it: the ETSI TS 119 102-2 report (spec/report.md) gives the signature value, the signer's public key
/// and each token's DER.
///
/// It is package data on ``VerificationReport`` and never part of the JSON report: the JSON already states every fact
/// these bytes support (verification-report.md section 3.2), and adding kilobytes of base64 per token to it would
/// change nothing a reader decides. Every value is as read from the bundle, and is trusted only as far as the seal's
/// and tokens' statuses say.
package struct SealEvidence: Sendable, Equatable {
    /// SHA-256 of `seals/NNNN.seal`, the bytes the signature covers; nil when the file was not read.
    package var statementSHA256: [UInt8]?
    /// The signer's Ed25519 public key (32 bytes) as the statement carries it.
    package var publicKey: [UInt8]?
    /// The Ed25519 signature value (64 bytes) from the `.minisig` file; nil when it is absent or malformed.
    package var signature: [UInt8]?
    /// Each token file's bytes as stored (a TimeStampResp or a bare token), by its path in the bag.
    package var tokens: [String: [UInt8]] = [:]

    package init(statementSHA256: [UInt8]? = nil, publicKey: [UInt8]? = nil, signature: [UInt8]? = nil,
                 tokens: [String: [UInt8]] = [:]) {
        self.statementSHA256 = statementSHA256
        self.publicKey = publicKey
        self.signature = signature
        self.tokens = tokens
    }
}

extension SealEvidence {
    /// What the inventory holds for seal `number`, given the token files its report entry lists.
    init(number: Int, tokenFiles: [String], inventory: BagInventory) {
        self.init()
        if let bytes = inventory.files[BundleLayout.sealFile(number)]?.contents {
            statementSHA256 = Array(SHA256.hash(data: bytes))
            if let statement = try? SealStatement(parsing: bytes),
               let key = try? PublicKey(base64: statement.signerPublicKey) {
                publicKey = key.rawKey
            }
        }
        if let bytes = inventory.files[BundleLayout.sealSignature(number)]?.contents {
            signature = (try? MinisignSignature(minisignFile: bytes))?.signature
        }
        for file in tokenFiles {
            if let bytes = inventory.files[file]?.contents { tokens[file] = bytes }
        }
    }
}
