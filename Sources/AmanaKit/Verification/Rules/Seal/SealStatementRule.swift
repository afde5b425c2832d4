/// A seal statement parses, names a signer whose key id matches its key, carries its file's number and names this
/// bundle (seal.md section 3).
struct SealStatementRule: VerificationRule {
    let seal: SealUnderCheck

    /// The statement of seal `number` with its signer, or the one finding that says why it cannot be judged further.
    /// `prepared` is the statement parsed in the parallel pass, when there was one.
    static func read(_ number: Int, isNewest: Bool, hasSignature: Bool, prepared: SealStatement?,
                     inventory: BagInventory) -> (seal: SealUnderCheck?, finding: Finding?) {
        let path = BundleLayout.sealFile(number)
        guard let bytes = inventory.files[path]?.contents else {
            return (nil, .failed(SealCode.statementMalformed, subject: path, "the seal statement is too large to be one"))
        }
        do {
            let statement = try prepared ?? SealStatement(parsing: bytes)
            let signer = try PublicKey(base64: statement.signerPublicKey)
            return (SealUnderCheck(number: number, isNewest: isNewest, hasSignature: hasSignature, bytes: bytes,
                                   statement: statement, signer: signer), nil)
        } catch let error as AmanaError {
            return (nil, .failed(SealCode.statementMalformed, subject: path, error.reason))
        } catch {
            return (nil, .failed(SealCode.statementMalformed, subject: path, "\(error)"))
        }
    }

    func check(_ context: inout VerificationContext) -> [Finding] {
        let statement = seal.statement
        let path = seal.path
        var findings = [Finding]()
        if seal.signer.keyID.description != statement.signerKeyID {
            findings.append(.failed(SealCode.statementMalformed, subject: path, expected: seal.signer.keyID.description,
                                    found: statement.signerKeyID, "the key id does not match the signer's public key"))
        }
        if statement.number != seal.number {
            findings.append(.failed(SealCode.statementNumber, subject: path, expected: String(seal.number),
                                    found: String(statement.number), "the statement's seal number does not match its file name"))
        }
        // One finding per seal, however many of the bundle's names it differs from: the root folder (or, for a folder,
        // External-Identifier) first, then External-Identifier when a tar's root folder matches but bag-info does not.
        if let expected = [context.bundleID, context.declaredID].compactMap({ $0 }).first(where: { $0 != statement.bundleID }) {
            findings.append(.failed(SealCode.bundleMismatch, subject: path, expected: expected, found: statement.bundleID,
                                    "the seal names another bundle; it may have been moved here from elsewhere"))
        }
        return findings
    }
}
