import Foundation

/// Judges the seals: their files, then each seal in order through the per-seal rules (statement, signature, chain,
/// commitments, timestamps), so that a seal's findings stay together in the report.
///
/// A seal whose statement does not parse gets that one finding and no other per-seal rule; a statement whose
/// signature does not verify is still held to its chain and commitments, but its claims about the custody log are
/// not kept (threat-model.md section 7).
struct SealRule: VerificationRule {
    func check(_ context: inout VerificationContext) -> [Finding] {
        let found = SealFilesRule.Found(context.inventory)
        var findings = SealFilesRule(found: found).check(&context)
        guard let newest = found.statements.max() else { return findings }
        let batch = SealSignatureBatch(found.statements.sorted().filter(found.signatures.contains), inventory: context.inventory)
        for number in found.statements.sorted() {
            let hasSignature = found.signatures.contains(number)
            var sealFindings = checkSeal(number, isNewest: number == newest, hasSignature: hasSignature, batch: batch,
                                         context: &context)
            if hasSignature {
                sealFindings += SealTimestampRule(number: number, paths: (found.tokens[number] ?? []).sorted()).check(&context)
            }
            if let index = context.sealResults.indices.last, context.sealResults[index].number == number {
                context.sealResults[index].status = sealFindings.map(\.status).max() ?? .passed
            }
            findings += sealFindings
        }
        return findings
    }

    private func checkSeal(_ number: Int, isNewest: Bool, hasSignature: Bool, batch: SealSignatureBatch,
                           context: inout VerificationContext) -> [Finding] {
        let read = SealStatementRule.read(number, isNewest: isNewest, hasSignature: hasSignature,
                                          prepared: batch.statements[number], inventory: context.inventory)
        guard let seal = read.seal else { return read.finding.map { [$0] } ?? [] }
        var findings = SealStatementRule(seal: seal).check(&context)
        let signatureRule = SealSignatureRule(seal: seal, prepared: batch.checks[number])
        let signatureFindings = signatureRule.check(&context)
        findings += signatureFindings
        // The signature first, the checkpoint after: only a statement its signer's key really signed commits to
        // anything. A statement whose signature does not verify already fails, and its claims about the custody log
        // (a hostile one may claim a million events) are not worth a hash (threat-model.md section 7).
        if !signatureFindings.contains(where: { SealSignatureRule.unsigned.contains($0.code) }) {
            context.statements[number] = seal.statement
        }
        let signedBy = signatureRule.signedBy(signatureFindings, trust: context.trust)
        context.sealResults.append(VerificationReport.SealResult(number: number, signerKeyId: seal.statement.signerKeyID,
                                                                 claimedTime: seal.statement.claimedTime, status: .passed,
                                                                 signedBy: signedBy.map(VerificationReport.TrustedKeyInfo.init)))
        findings += SealChainRule(seal: seal).check(&context)
        findings += SealCommitmentRule(seal: seal).check(&context)
        return findings
    }
}
