/// Each seal after the first commits to the SHA-256 of the seal before it, so seals cannot be dropped or swapped.
struct SealChainRule: VerificationRule {
    let seal: SealUnderCheck

    func check(_ context: inout VerificationContext) -> [Finding] {
        guard seal.number > 1 else { return [] }
        let found = context.inventory.files[BundleLayout.sealFile(seal.number - 1)]?.digests[.sha256]?.hex
        guard found != seal.statement.previousSeal else { return [] }
        return [.failed(SealCode.chainMismatch, subject: seal.path, expected: seal.statement.previousSeal,
                        found: found, "the previous seal is not the one this seal committed to")]
    }
}
