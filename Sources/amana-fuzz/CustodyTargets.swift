import AmanaKit
import Foundation

/// Seal statements, the custody log and its events, canonical JSON, receipts and items.json.
enum CustodyTargets {
    static let bundleID = "vector-bundle-1"

    /// fixtures/vectors/seal/valid/statement: a seal over three custody events, for the checkpoint rules.
    static let statement = try! SealStatement(parsing: Array("""
        Amana-Seal-Version: 1
        Bundle-Id: vector-bundle-1
        Seal-Number: 1
        Claimed-Time: 2026-01-15T09:30:00Z
        Signer-Key-Id: E631EC1F11C651C1
        Signer-Public-Key: RWTBUcYRH+wx5tmGSBSZi8S1+CdDCjMJ2Sy1PRtobguEB+hedfF8qM+R
        Manifest: sha256 \(String(repeating: "ab", count: 32))
        Manifest: sha512 \(String(repeating: "cd", count: 64))
        Tag-Manifest: sha256 \(String(repeating: "ef", count: 32))
        Tag-Manifest: sha512 \(String(repeating: "01", count: 64))
        Custody-Log: 3 \(String(repeating: "45", count: 32))

        """.utf8))

    static func sealStatement(_ bytes: [UInt8]) {
        guard let statement = try? SealStatement(parsing: bytes) else { return }
        FuzzCheck.expect(statement.serialized() == bytes, "a seal statement is its canonical form")
        FuzzCheck.expect((1...9999).contains(statement.number) && statement.custodyLength >= 1, "seal numbers in range")
        _ = try? PublicKey(base64: statement.signerPublicKey)
        _ = BundleLayout.sealFile(statement.number)
    }

    static func custodyEvent(_ bytes: [UInt8]) {
        guard let event = try? CustodyEvent(line: bytes) else { return }
        FuzzCheck.expect(event.line == bytes, "a custody event is its canonical line")
        if let key = try? PublicKey(base64: event.actor.publicKey), let signature = Base64.decode(event.sig) {
            _ = key.isValidDetached(signature, message: event.signingInput)
        }
    }

    static func custodyLog(_ bytes: [UInt8]) {
        guard let log = try? CustodyLog(bytes: bytes) else { return }
        FuzzCheck.expect(log.bytes == bytes, "a custody log splits into its lines and joins back")
        _ = log.root(ofFirst: log.count)
        _ = log.prevForNext
        // The rule that judges a log inside a bundle, with one seal checkpoint to hold it to. One run: under ASan a
        // log of a few dozen events takes over 10 ms, and a run without the seal would only skip the checkpoints.
        let trusted = [TrustedKey(key: KeyTargets.signer, source: "fuzz")]
        _ = FuzzingHooks.checkCustodyLog(bytes, bundleID: bundleID, trusted: trusted, statement: statement)
    }

    /// `amana/store-proofs.json` (custody-log.md section 9.1), whose events are scanned in place rather than parsed
    /// as JSON values: whatever the scanner accepts must be exactly the canonical bytes of what it read.
    static func storeProofs(_ bytes: [UInt8]) {
        guard let proofs = try? StoreProofs(bytes: bytes, maxEvents: 4096) else { return }
        FuzzCheck.expect(proofs.bytes == bytes, "a store proofs file is its canonical form")
        FuzzCheck.expect(proofs.count >= 1 && proofs.count <= 4096, "events within the bound")
        for index in 0..<proofs.count {
            FuzzCheck.expect(proofs.proof(index).allSatisfy { $0.count == MerkleTree.hashSize }, "proof hashes are 32 bytes")
        }
    }

    static func canonicalJSON(_ bytes: [UInt8]) {
        if let value = try? CanonicalJSON.parse(bytes) {
            // Serialising is idempotent: the canonical form of anything that parses is accepted as canonical.
            let canonical = CanonicalJSON.serialize(value)
            FuzzCheck.expect((try? CanonicalJSON.parseCanonical(canonical)) == value, "canonical JSON round trip")
        }
        if let value = try? CanonicalJSON.parseCanonical(bytes, maxDepth: 5) {
            FuzzCheck.expect(CanonicalJSON.serialize(value) == bytes, "parseCanonical accepts only canonical bytes")
        }
    }

    /// A three-event log, so a receipt's claim about the log's prefix is actually compared.
    static let log = CustodyLog(lines: [Array("a".utf8), Array("b".utf8), Array("c".utf8)])

    static func receipt(_ bytes: [UInt8]) {
        guard let receipt = try? Receipt(bytes: bytes) else { return }
        let trusted = try! TrustSet([TrustedKey(key: KeyTargets.signer, source: "fuzz")])
        let (findings, _) = ReceiptRule(receipt: receipt, trusted: trusted, bundleID: bundleID, log: log).check()
        FuzzCheck.expect(!findings.contains { $0.code == "receipt.signature" } || receipt.verifiedRecipient() != nil,
                         "a receipt is trusted only when its signature verifies")
    }

    static func items(_ bytes: [UInt8]) {
        guard let items = try? ItemsFile(parsing: bytes) else { return }
        let again = (try? items.serialized()).flatMap { try? ItemsFile(parsing: $0) }
        FuzzCheck.expect(again == items, "items.json round trip")
    }
}
