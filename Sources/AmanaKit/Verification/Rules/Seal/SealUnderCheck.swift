/// One seal whose statement parsed, as the per-seal rules judge it.
struct SealUnderCheck {
    let number: Int
    /// Only the newest seal is held to the tag manifests (later seals legitimately change tag files).
    let isNewest: Bool
    let hasSignature: Bool
    /// The statement's bytes, exactly as signed.
    let bytes: [UInt8]
    let statement: SealStatement
    /// The key the statement names, which its signature is checked with whether or not it is trusted.
    let signer: PublicKey

    var path: String { BundleLayout.sealFile(number) }
}
