import AmanaKit

/// The one verification `verify` and `report` both run: the trust inputs, any age identity, and the progress
/// display around `Verifier.verify`. Kept in one place so the report renders exactly what `verify` would judge.
enum VerificationRun {
    static func run(_ bundle: String, trust: TrustOptions, identity: AgeIdentityOptions,
                    progress: ProgressOptions) throws -> VerificationReport {
        var options = try trust.verifyOptions()
        options.identities = try identity.identities()
        let display = ProgressDisplay.start("verifying", total: ByteProgress.regularFileBytes(under: [bundle]),
                                            options: progress)
        defer { display?.stop() }
        return try Verifier.verify(bundle, options: options)
    }
}
