import Foundation

/// RFC 3161 tokens over a seal's signature file (spec/timestamps.md). Without one, the seal's time is only the
/// signer's claim: a warning, which does not change the verdict.
struct SealTimestampRule: VerificationRule {
    let number: Int
    /// The seal's token files, sorted.
    let paths: [String]

    func check(_ context: inout VerificationContext) -> [Finding] {
        guard !paths.isEmpty else {
            return [.warning(SealCode.timeClaimedOnly, subject: BundleLayout.sealFile(number),
                             "seal \(number) has no RFC 3161 timestamp: its time is only what the signer's clock said")]
        }
        let inventory = context.inventory
        guard let signed = inventory.files[BundleLayout.sealSignature(number)]?.contents else { return [] }
        let claimed = inventory.files[BundleLayout.sealFile(number)]?.contents
            .flatMap { try? SealStatement(parsing: $0) }.flatMap { UTCTime.parse($0.claimedTime) }
        let roots: TSARoots
        if let given = context.tsaRoots ?? context.tsaRootsUsed {
            roots = given
        } else {
            do { roots = try TSARoots.system() } catch {
                roots = TSARoots()
            }
        }
        context.tsaRootsUsed = roots
        var findings = [Finding]()
        for path in paths {
            guard let token = inventory.files[path]?.contents else {
                findings.append(.failed(TimestampCode.encodingInvalid, subject: path, "the token is too large to be one"))
                continue
            }
            let verified = TimestampVerifier.verify(token: token, data: .bytes(signed), roots: roots,
                                                    validationTime: context.validationTime, claimedTime: claimed, subject: path)
            context.tokenResults[path] = verified
            findings += verified.findings
        }
        return findings
    }
}
