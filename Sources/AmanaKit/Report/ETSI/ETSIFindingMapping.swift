/// Which ETSI sub-indication each of Amana's finding codes gives (spec/report.md, "ETSI TS 119 102-2 validation
/// report", whose table `ETSIMappingTests` holds to this one).
///
/// Every code of ``FindingCodes`` has an entry, so a code added without a decision here fails a test. A sub-indication
/// is given only for a finding whose status is its main indication's (`failed` for TOTAL-FAILED's, `indeterminate` for
/// INDETERMINATE's); where none fits, the code is ``Entry/unmapped`` rather than stretched to the nearest name. The
/// finding still counts toward the main indication, and its code is listed in the report's `OtherInformation`.
package enum ETSIFindingMapping {
    package enum Entry: Equatable, Sendable {
        /// A code that is only ever `passed` or `warning`: it never gives an indication of its own.
        case noIndication
        /// The sub-indication for a `failed` finding of this code, and for an `indeterminate` one.
        case mapped(failed: ETSISubIndication?, indeterminate: ETSISubIndication?)
        /// No ETSI sub-indication fits (spec/report.md says why, code by code).
        case unmapped
    }

    /// `timestamp.*` findings are about a token, another signature than the seal's: their sub-indications go in the
    /// token's own report, inside its `ValidationObject`, never in the seal's, which they would accuse wrongly.
    package static func isAboutToken(_ code: String) -> Bool { code.hasPrefix("timestamp.") }

    /// The sub-indication a finding gives, or nil. `seal` is the seal entry the finding is about, used only to tell
    /// apart the three ways `seal.key.validity` fails from the trusted key's own validity fields.
    package static func subIndication(for finding: Finding, seal: VerificationReport.SealResult? = nil)
        -> ETSISubIndication? {
        guard case .mapped(let failed, let indeterminate)? = table[finding.code] else { return nil }
        switch finding.status {
        case .failed:
            if finding.code == SealCode.keyValidity.rawValue { return keyValidityFailure(seal) }
            return failed
        case .indeterminate: return indeterminate
        case .passed, .warning: return nil
        }
    }

    /// keys.md section 10a checks not-before, then not-after, then the revocation: the first that the claimed time
    /// breaks is the failure. Without the key's fields (no seal entry, or no trusted key on it) which of the three it
    /// was is not known, and none is given rather than a guess.
    private static func keyValidityFailure(_ seal: VerificationReport.SealResult?) -> ETSISubIndication? {
        guard let seal, let key = seal.signedBy, let claimed = UTCTime.parse(seal.claimedTime) else { return nil }
        if let notBefore = key.notBefore.flatMap(UTCTime.parse), claimed < notBefore { return .notYetValid }
        if let notAfter = key.notAfter.flatMap(UTCTime.parse), claimed > notAfter { return .expired }
        if let revokedAt = key.revokedAt.flatMap(UTCTime.parse), claimed >= revokedAt { return .revoked }
        return nil
    }

    /// Every code's entry, sorted by code.
    package static let table: [String: Entry] = [
        "archive.empty": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.entry.case-collision": .noIndication,
        "archive.entry.changed": .unmapped,
        "archive.entry.duplicate": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.entry.name": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.entry.nfc-collision": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.entry.path": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.entry.type": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.entry.unreadable": .unmapped,
        "archive.format.invalid": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.header.ambiguous": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.header.invalid": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.header.pax-keyword": .noIndication,
        "archive.header.unsupported": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.limit.entries": .unmapped,
        "archive.limit.expansion": .unmapped,
        "archive.limit.path": .unmapped,
        "archive.root.file": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.root.multiple": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.structure": .noIndication,
        "archive.trailing-data": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.truncated": .mapped(failed: .formatFailure, indeterminate: nil),
        "archive.unreadable": .unmapped,
        "bagit.declaration": .noIndication,
        "bagit.declaration.invalid": .mapped(failed: .formatFailure, indeterminate: nil),
        "bagit.declaration.missing": .mapped(failed: .formatFailure, indeterminate: nil),
        "bagit.encoding.unsupported": .unmapped,
        "bagit.info.invalid": .mapped(failed: .formatFailure, indeterminate: nil),
        "bagit.info.oxum": .noIndication,
        "bagit.info.oxum.mismatch": .unmapped,
        "bagit.payload.missing": .mapped(failed: .formatFailure, indeterminate: nil),
        "bagit.tagfile.bom": .noIndication,
        "bundle.coverage": .noIndication,
        "bundle.file.unsealed": .unmapped,
        "bundle.folder.empty": .mapped(failed: .formatFailure, indeterminate: nil),
        "bundle.id.mismatch": .mapped(failed: .formatFailure, indeterminate: nil),
        "bundle.id.missing": .mapped(failed: .formatFailure, indeterminate: nil),
        "bundle.items.missing": .mapped(failed: .formatFailure, indeterminate: nil),
        "bundle.name.not-nfc": .mapped(failed: .formatFailure, indeterminate: nil),
        "bundle.tagmanifest.missing": .mapped(failed: .formatFailure, indeterminate: nil),
        "bundle.unsealed": .unmapped,
        "custody.actor.substituted": .unmapped,
        "custody.actor.untrusted": .unmapped,
        "custody.actor.validity": .unmapped,
        "custody.chain": .noIndication,
        "custody.chain.broken": .mapped(failed: .hashFailure, indeterminate: nil),
        "custody.checkpoint.regressed": .unmapped,
        "custody.checkpoints": .noIndication,
        "custody.event.malformed": .mapped(failed: .formatFailure, indeterminate: nil),
        "custody.fork": .mapped(failed: .hashFailure, indeterminate: nil),
        "custody.item.absent": .noIndication,
        "custody.item.mismatch": .unmapped,
        "custody.malformed": .mapped(failed: .formatFailure, indeterminate: nil),
        "custody.missing": .mapped(failed: .hashFailure, indeterminate: nil),
        "custody.root.mismatch": .mapped(failed: .hashFailure, indeterminate: nil),
        "custody.seal.unrecorded": .noIndication,
        "custody.seq.invalid": .unmapped,
        "custody.signature.invalid": .unmapped,
        "custody.time.backwards": .noIndication,
        "custody.truncated": .mapped(failed: .hashFailure, indeterminate: nil),
        "custody.unsealed": .unmapped,
        "fetch.entry.unlisted": .mapped(failed: .formatFailure, indeterminate: nil),
        "fetch.ignored": .noIndication,
        "fetch.malformed": .mapped(failed: .formatFailure, indeterminate: nil),
        "fetch.path.invalid": .mapped(failed: .formatFailure, indeterminate: nil),
        "items.bundle.mismatch": .mapped(failed: .formatFailure, indeterminate: nil),
        "items.consistent": .noIndication,
        "items.digest.mismatch": .mapped(failed: .hashFailure, indeterminate: nil),
        "items.entry.duplicate": .mapped(failed: .formatFailure, indeterminate: nil),
        "items.file.missing": .mapped(failed: .hashFailure, indeterminate: nil),
        "items.file.unlisted": .unmapped,
        "items.malformed": .mapped(failed: .formatFailure, indeterminate: nil),
        "items.size.mismatch": .mapped(failed: .hashFailure, indeterminate: nil),
        "manifest.algorithm.unsupported": .unmapped,
        "manifest.algorithm.weak": .noIndication,
        "manifest.entry.duplicate": .mapped(failed: .formatFailure, indeterminate: nil),
        "manifest.malformed": .mapped(failed: .formatFailure, indeterminate: nil),
        "manifest.missing": .mapped(failed: .formatFailure, indeterminate: nil),
        "manifest.path.invalid": .mapped(failed: .formatFailure, indeterminate: nil),
        "manifest.path.marker": .noIndication,
        "manifest.path.relative": .noIndication,
        "manifest.path.variant": .noIndication,
        "payload.digest.mismatch": .mapped(failed: .hashFailure, indeterminate: nil),
        "payload.digest.unavailable": .unmapped,
        "payload.digests": .noIndication,
        "payload.file.missing": .mapped(failed: .hashFailure, indeterminate: nil),
        "payload.file.system": .noIndication,
        "payload.file.unlisted": .unmapped,
        "receipt.bundle.mismatch": .unmapped,
        "receipt.key.substituted": .unmapped,
        "receipt.key.untrusted": .unmapped,
        "receipt.key.validity": .unmapped,
        "receipt.log": .noIndication,
        "receipt.log.diverged": .unmapped,
        "receipt.signature": .noIndication,
        "receipt.signature.invalid": .unmapped,
        "seal.bundle.mismatch": .unmapped,
        "seal.chain.mismatch": .mapped(failed: .hashFailure, indeterminate: nil),
        "seal.commitment.mismatch": .mapped(failed: .hashFailure, indeterminate: nil),
        "seal.commitment.missing": .unmapped,
        "seal.commitments": .noIndication,
        "seal.file.unexpected": .mapped(failed: .formatFailure, indeterminate: nil),
        "seal.key.substituted": .unmapped,
        "seal.key.untrusted": .mapped(failed: nil, indeterminate: .noCertificateChainFound),
        "seal.key.validity": .mapped(failed: .revoked, indeterminate: .revokedNoPOE),
        "seal.missing": .unmapped,
        "seal.sequence.gap": .unmapped,
        "seal.signature": .noIndication,
        "seal.signature.comment-invalid": .mapped(failed: .sigCryptoFailure, indeterminate: nil),
        "seal.signature.invalid": .mapped(failed: .sigCryptoFailure, indeterminate: nil),
        "seal.signature.key-mismatch": .mapped(failed: .sigCryptoFailure, indeterminate: nil),
        "seal.signature.legacy": .mapped(failed: .formatFailure, indeterminate: nil),
        "seal.signature.malformed": .mapped(failed: .formatFailure, indeterminate: nil),
        "seal.signature.missing": .mapped(failed: .formatFailure, indeterminate: nil),
        "seal.statement.malformed": .mapped(failed: .formatFailure, indeterminate: nil),
        "seal.statement.number": .mapped(failed: .formatFailure, indeterminate: nil),
        "seal.time.claimed-only": .noIndication,
        "storeproof.case.mismatch": .unmapped,
        "storeproof.checkpoint.signature": .unmapped,
        "storeproof.checkpoint.substituted": .unmapped,
        "storeproof.checkpoint.untrusted": .unmapped,
        "storeproof.checkpoint.validity": .unmapped,
        "storeproof.inclusion.invalid": .mapped(failed: .hashFailure, indeterminate: nil),
        "storeproof.item.mismatch": .unmapped,
        "storeproof.malformed": .mapped(failed: .formatFailure, indeterminate: nil),
        "storeproof.missing": .unmapped,
        "storeproof.proven": .noIndication,
        "tagmanifest.digest.mismatch": .mapped(failed: .hashFailure, indeterminate: nil),
        "tagmanifest.digests": .noIndication,
        "tagmanifest.file.missing": .mapped(failed: .hashFailure, indeterminate: nil),
        "timestamp.algorithm.unsupported": .unmapped,
        "timestamp.algorithm.weak": .unmapped,
        "timestamp.certificate.unreadable": .noIndication,
        "timestamp.chain.invalid": .unmapped,
        "timestamp.chain.untrusted": .mapped(failed: nil, indeterminate: .noCertificateChainFound),
        "timestamp.content-type.invalid": .mapped(failed: .formatFailure, indeterminate: nil),
        "timestamp.eku.invalid": .unmapped,
        "timestamp.encoding.invalid": .mapped(failed: .formatFailure, indeterminate: nil),
        "timestamp.encoding.non-der-attributes": .noIndication,
        "timestamp.esscertid.mismatch": .unmapped,
        "timestamp.esscertid.missing": .mapped(failed: .formatFailure, indeterminate: nil),
        "timestamp.extension.unsupported": .unmapped,
        "timestamp.imprint.mismatch": .mapped(failed: .hashFailure, indeterminate: nil),
        "timestamp.imprint.unsupported": .unmapped,
        "timestamp.imprint.weak": .unmapped,
        "timestamp.message-digest.mismatch": .mapped(failed: .hashFailure, indeterminate: nil),
        "timestamp.signature.invalid": .mapped(failed: .sigCryptoFailure, indeterminate: nil),
        "timestamp.signer.missing": .mapped(failed: nil, indeterminate: .noSigningCertificateFound),
        "timestamp.status.rejected": .mapped(failed: .formatFailure, indeterminate: nil),
        "timestamp.time.before-claim": .unmapped,
        "timestamp.time.consistent": .noIndication,
        "timestamp.time.future": .unmapped,
        "timestamp.tsa-name.mismatch": .unmapped,
        "timestamp.valid": .noIndication,
        "trust.key.conflict": .noIndication,
    ]
}
