import AmanaKit

/// Hand-off receipts (custody-log.md section 8.1), checked by `amana custody show BUNDLE --receipt RECEIPT --json`
/// against the handed-off bundle. `codes` are the receipt's non-passed findings; `receipt` the flags the command
/// prints for it.
enum ReceiptVectors {
    static func cases(_ base: BaseBundles) throws -> [VectorCase] {
        let keys = base.keys, signer = keys.signer, other = keys.other
        let received = base.handedOffResult
        func receipt(signedBy key: SecretKey, _ change: (inout Receipt) -> Void = { _ in }) throws -> Receipt {
            var document = Receipt(bundleID: received.bundleID, verdict: received.report.verdict.rawValue,
                                   receivedAt: "2026-01-15T11:30:00Z", custodyLength: received.custodyLength,
                                   custodyRoot: received.custodyRoot, seal: received.sealNumber,
                                   recipient: CustodyEvent.Actor(keyID: key.keyID.description, publicKey: key.publicKey.base64,
                                                                 name: "Vector Other", organization: "Amana test vectors"),
                                   sender: signer.keyID.description)
            change(&document)
            try document.sign(with: key)
            return document
        }
        var cases = [VectorCase]()
        func add(_ name: String, _ comment: String, _ document: Receipt, trust: [String] = ["signer.pub", "other.pub"],
                 verdict: String, codes: [String], flags: [String: Bool], files: [String: [UInt8]] = [:]) {
            var vector = VectorCase("receipt", name, comment, input: .tar(base.handedOff), verdict: verdict, codes: codes)
            vector.command = ["custody", "show"]
            vector.extraArguments = ["--receipt", "receipt.json"]
            vector.trust = trust
            vector.files = files
            vector.files["receipt.json"] = document.bytes
            var members: [String: Any] = flags
            members["recipient"] = document.recipient.keyID
            members["length"] = document.custodyLength
            vector.receiptFlags = members
            cases.append(vector)
        }
        let good = ["signatureValid": true, "trusted": true, "logExtendsReceipt": true]
        add("valid", "the receipt other signed after receiving the handed-off bundle", try receipt(signedBy: other),
            verdict: passed, codes: [], flags: good)
        add("untrusted-signer", "the same receipt, with other's key not trusted", try receipt(signedBy: other), trust: ["signer.pub"],
            verdict: indeterminate, codes: ["receipt.key.untrusted"],
            flags: ["signatureValid": true, "trusted": false, "logExtendsReceipt": true])
        add("substituted-key", "a new key carrying other's key id and name signs a receipt in other's name",
            try receipt(signedBy: keys.otherTwin),
            verdict: failed, codes: ["receipt.key.substituted"],
            flags: ["signatureValid": true, "trusted": false, "logExtendsReceipt": true])
        var altered = try receipt(signedBy: other)
        altered.verdict = "INDETERMINATE"
        add("altered", "the verdict changed after signing", altered, verdict: failed, codes: ["receipt.signature.invalid"],
            flags: ["signatureValid": false, "trusted": false, "logExtendsReceipt": true])
        add("log-diverged", "a receipt for a log whose first events differ from the bundle's",
            try receipt(signedBy: other) { $0.custodyRoot = String(repeating: "0", count: 64) },
            verdict: failed, codes: ["receipt.log.diverged"], flags: ["signatureValid": true, "trusted": true, "logExtendsReceipt": false])
        add("other-bundle", "a receipt for another bundle", try receipt(signedBy: other) { $0.bundleID = "vector-bundle-2" },
            verdict: failed, codes: ["receipt.bundle.mismatch"], flags: ["signatureValid": true, "trusted": true, "logExtendsReceipt": false])
        let revoked = VectorKeys.keyring([(other, [("name", "Vector Other"), ("revoked-at", "2026-01-15T09:30:00Z")])])
        add("revoked-signer", "other's key was revoked before the receipt's time", try receipt(signedBy: other),
            trust: ["signer.pub", "revoked.keyring"], verdict: failed, codes: ["receipt.key.validity"],
            flags: ["signatureValid": true, "trusted": true, "logExtendsReceipt": true], files: ["trust/revoked.keyring": revoked])
        let later = VectorKeys.keyring([(other, [("name", "Vector Other"), ("revoked-at", "2026-03-01T00:00:00Z")])])
        add("revoked-after-receipt", "other's key was revoked after the receipt's claimed time: a backdated claim cannot be ruled out",
            try receipt(signedBy: other), trust: ["signer.pub", "revoked.keyring"], verdict: indeterminate, codes: ["receipt.key.validity"],
            flags: ["signatureValid": true, "trusted": true, "logExtendsReceipt": true], files: ["trust/revoked.keyring": later])
        return cases
    }
}
