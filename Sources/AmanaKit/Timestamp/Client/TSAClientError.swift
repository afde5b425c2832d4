extension AmanaError.Code {
    /// The TSA could not be reached: no such host, connection refused, or no answer within the timeout.
    package static let tsaUnreachable = AmanaError.Code("timestamp.tsa.unreachable")
    /// The TSA answered with an HTTP status other than 200.
    package static let tsaHTTP = AmanaError.Code("timestamp.tsa.http")
    /// The TSA answered, but did not grant a time-stamp (PKIStatus other than granted or grantedWithMods).
    package static let tsaRejected = AmanaError.Code("timestamp.tsa.rejected")
    /// The reply's nonce is not the request's: a replayed or misrouted reply.
    package static let tsaNonceMismatch = AmanaError.Code("timestamp.tsa.nonce-mismatch")
    /// The reply stamps something other than what was sent.
    package static let tsaImprintMismatch = AmanaError.Code("timestamp.tsa.imprint-mismatch")
    /// The reply is not a DER TimeStampResp, or its token does not verify.
    package static let tsaReplyMalformed = AmanaError.Code("timestamp.tsa.reply-malformed")
}
