/// The outcome of checking a minisign signature against a public key and a message.
///
/// A failed check is a result, not an error: a verifier reports it as a finding. The cases follow minisign's own
/// order of checks, so the first failing step is the one reported.
package enum SignatureCheck: Equatable, Sendable {
    /// The message signature and the global signature over the trusted comment both verify.
    case valid
    /// The signature names another key id than the public key's; no cryptography was attempted.
    case keyMismatch(expected: KeyID, found: KeyID)
    /// The signature over the message (or its BLAKE2b-512 digest, for `ED`) does not verify: the message, the
    /// signature line or the key is not what was signed.
    case invalidSignature
    /// The message signature verifies, but the global signature over `signature || trustedComment` does not: the
    /// trusted comment (or the last line) was altered, so its content must not be believed.
    case invalidTrustedComment
}
