import Foundation

/// Judges a hand-off receipt against a bundle and the trust set (spec/custody-log.md section 8.1).
///
/// A receipt carries its signer's public key, but that key proves nothing by itself: anyone can make a key with the
/// archive's 8-byte key id, copy the archive's name into the receipt and sign it. So a receipt is believed only when
/// its signer's raw key is in the trust set, valid at the receipt's time; a key that reuses a trusted key's id is a
/// substitution (failed), and any other signer is untrusted (indeterminate).
package struct ReceiptRule: Sendable {
    package let receipt: Receipt
    package let trusted: TrustSet
    /// The bundle's id, as verification found it.
    package let bundleID: String?
    /// The bundle's custody log, whose first `custodyLength` events the receipt acknowledged.
    package let log: CustodyLog

    package init(receipt: Receipt, trusted: TrustSet, bundleID: String?, log: CustodyLog) {
        self.receipt = receipt
        self.trusted = trusted
        self.bundleID = bundleID
        self.log = log
    }

    /// The receipt's findings, subject `receipt`.
    package func check(subject: String = "receipt") -> (findings: [Finding], holder: TrustedKey?) {
        var findings = [Finding]()
        var holder: TrustedKey?
        let claimed = [receipt.recipient.name, receipt.recipient.organization].compactMap { $0 }.joined(separator: ", ")
        if let key = receipt.verifiedRecipient() {
            if let match = trusted.key(raw: key.rawKey) {
                holder = match
                if let time = UTCTime.parse(receipt.receivedAt), let problem = match.validityProblem(at: time) {
                    findings.append(Finding(ReceiptCode.keyValidity, problem.status, subject: subject,
                                            message: "receipt by \(match.label): \(problem.reason)"))
                } else {
                    findings.append(.passed(ReceiptCode.signature, subject: subject,
                                            "receipt signed by trusted key \(match.label) from \(match.source)"))
                }
            } else if let impostor = trusted.key(id: key.keyID) {
                findings.append(.failed(ReceiptCode.keySubstituted, subject: subject, expected: impostor.key.base64, found: key.base64,
                                        "the receipt's signer uses the key id of trusted key \(impostor.label), but a different key: it is forged"))
            } else {
                findings.append(.indeterminate(ReceiptCode.keyUntrusted, subject: subject,
                                               "the receipt is signed by key \(key.keyID)\(claimed.isEmpty ? "" : ", which claims to be \(claimed),") and that key is not among the trusted keys"))
            }
        } else {
            findings.append(.failed(ReceiptCode.signatureInvalid, subject: subject,
                                    "the receipt's signature does not verify with the key it names: the receipt was altered"))
        }
        if let bundleID, receipt.bundleID != bundleID {
            findings.append(.failed(ReceiptCode.bundleMismatch, subject: subject, expected: bundleID, found: receipt.bundleID,
                                    "the receipt acknowledges another bundle"))
        } else if receipt.custodyLength > log.count || Hex.encode(log.root(ofFirst: receipt.custodyLength)) != receipt.custodyRoot {
            findings.append(.failed(ReceiptCode.logDiverged, subject: subject, expected: receipt.custodyRoot,
                                    found: receipt.custodyLength > log.count ? "(only \(log.count) events)" : Hex.encode(log.root(ofFirst: receipt.custodyLength)),
                                    "the custody log no longer begins with the \(receipt.custodyLength) events the receipt acknowledged: history was rewritten after the hand-off"))
        } else {
            findings.append(.passed(ReceiptCode.log, subject: subject,
                                    "the custody log still begins with the \(receipt.custodyLength) events the receipt acknowledged"))
        }
        return (findings, holder)
    }
}
