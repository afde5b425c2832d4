/// ETSI EN 319 102-1's main indications, as the URIs of ETSI TS 119 102-2 (clause 5.1.3 and the schema's
/// `MainIndication`).
///
/// A signature's report takes the `total-` forms; a validation object's own report (a time-stamp token's) takes the
/// plain ones, as DSS writes them.
package enum ETSIMainIndication: String, Sendable, CaseIterable {
    case totalPassed = "urn:etsi:019102:mainindication:total-passed"
    case totalFailed = "urn:etsi:019102:mainindication:total-failed"
    case indeterminate = "urn:etsi:019102:mainindication:indeterminate"
    case passed = "urn:etsi:019102:mainindication:passed"
    case failed = "urn:etsi:019102:mainindication:failed"

    /// A signature's indication for Amana's worst status: a warning never changes it (verification-report.md
    /// section 4).
    package init(signature status: Finding.Status) {
        switch status {
        case .passed, .warning: self = .totalPassed
        case .indeterminate: self = .indeterminate
        case .failed: self = .totalFailed
        }
    }

    /// A validation object's indication (a token) for Amana's worst status about it.
    package init(object status: Finding.Status) {
        switch status {
        case .passed, .warning: self = .passed
        case .indeterminate: self = .indeterminate
        case .failed: self = .failed
        }
    }

    /// The verdict this indication states, for a signature's report.
    package var verdict: Verdict {
        switch self {
        case .totalPassed, .passed: return .totalPassed
        case .totalFailed, .failed: return .totalFailed
        case .indeterminate: return .indeterminate
        }
    }
}

/// The sub-indications Amana gives (ETSI EN 319 102-1 clause 5.1.3), each with the main indication it belongs to: a
/// sub-indication is only ever written under its own main indication.
package enum ETSISubIndication: String, Sendable, CaseIterable {
    case formatFailure = "FORMAT_FAILURE"
    case hashFailure = "HASH_FAILURE"
    case sigCryptoFailure = "SIG_CRYPTO_FAILURE"
    case revoked = "REVOKED"
    case expired = "EXPIRED"
    case notYetValid = "NOT_YET_VALID"
    case noSigningCertificateFound = "NO_SIGNING_CERTIFICATE_FOUND"
    case noCertificateChainFound = "NO_CERTIFICATE_CHAIN_FOUND"
    case revokedNoPOE = "REVOKED_NO_POE"

    package var uri: String { "urn:etsi:019102:subindication:" + rawValue }

    /// The Amana status whose findings may carry this sub-indication: `failed` for TOTAL-FAILED's, `indeterminate` for
    /// INDETERMINATE's.
    package var status: Finding.Status {
        switch self {
        case .formatFailure, .hashFailure, .sigCryptoFailure, .revoked, .expired, .notYetValid: return .failed
        case .noSigningCertificateFound, .noCertificateChainFound, .revokedNoPOE: return .indeterminate
        }
    }
}
