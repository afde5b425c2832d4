import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An RFC 3161 client: asks a time-stamping authority to stamp some bytes, over HTTP (RFC 3161 section 3.4).
///
/// The request carries the data's SHA-256 (or SHA-384, SHA-512) imprint, a fresh 64-bit random nonce and
/// `certReq` TRUE, so the token carries the TSA's certificate and verifies offline later. The reply is checked
/// before it is returned: HTTP 200, a DER TimeStampResp, status granted, the same nonce, the same imprint, and a
/// token whose signature verifies with the certificate it carries. Any failure throws an ``AmanaError`` with a
/// `timestamp.tsa.` code and leaves nothing behind: the client writes no file; the caller stores what it returns.
///
/// For Amana the stamped bytes are a seal's signature file `F` (`NNNN.seal.minisig`), and the returned bytes are
/// stored as `F.tsr`, so that `openssl ts -verify -data F -in F.tsr -CAfile roots.pem` agrees with Amana.
package enum TSAClient {
    /// The media types of RFC 3161 section 3.4.
    package static let queryMediaType = "application/timestamp-query"
    package static let replyMediaType = "application/timestamp-reply"
    /// Largest reply read: real replies are a few kilobytes.
    package static let maximumReplySize = 1 << 20

    /// Stamps `data` at `tsa` and returns the DER `TimeStampResp`, exactly as the TSA sent it.
    package static func stamp(_ data: [UInt8], tsa: URL, hash: DigestAlgorithm = .sha256,
                             timeout: TimeInterval = 30) throws -> [UInt8] {
        guard [.sha256, .sha384, .sha512].contains(hash) else {
            throw AmanaError(.usage, "a time-stamp imprint must be sha256, sha384 or sha512, not \(hash.rawValue)")
        }
        let digest = MultiDigest.digests(of: data, [hash])[hash]!
        var generator = SystemRandomNumberGenerator()
        let nonce = DERField.positiveIntegerContent((0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let request = TimeStampReq(messageImprint: MessageImprint(digest), nonce: nonce, certReq: true)
        let reply = try post(try request.derBytes(), to: tsa, timeout: timeout)
        try check(reply, request: request, data: data, tsa: tsa)
        return reply
    }

    /// Checks a reply against the request it answers.
    static func check(_ reply: [UInt8], request: TimeStampReq, data: [UInt8], tsa: URL) throws {
        let host = tsa.host ?? tsa.absoluteString
        let token: TimestampToken
        switch TimestampToken.parse(reply) {
        case .success(let parsed):
            token = parsed
        case .failure(.rejected(let status)):
            throw AmanaError(.tsaRejected, "the TSA \(host) refused to stamp: \(status.summary)",
                             hint: "check the TSA's supported hash algorithms and policies")
        case .failure(.malformed(let reason)):
            throw AmanaError(.tsaReplyMalformed, "the TSA \(host) sent a reply that is not a DER TimeStampResp: \(reason)",
                             hint: "is \(tsa.absoluteString) an RFC 3161 time-stamping URL?")
        }
        guard token.form == .response else {
            throw AmanaError(.tsaReplyMalformed, "the TSA \(host) sent a bare token, not a TimeStampResp")
        }
        guard token.tstInfo.nonce == request.nonce else {
            throw AmanaError(.tsaNonceMismatch, "the TSA \(host) answered with nonce "
                             + "\(token.tstInfo.nonce.map { Hex.encode($0) } ?? "(none)"), not the request's "
                             + "\(Hex.encode(request.nonce ?? [])): the reply does not answer this request")
        }
        let imprint = token.tstInfo.messageImprint
        guard imprint.hashAlgorithm.algorithm == request.messageImprint.hashAlgorithm.algorithm,
              imprint.hashedMessage == request.messageImprint.hashedMessage
        else {
            throw AmanaError(.tsaImprintMismatch, "the TSA \(host) stamped \(Hex.encode(imprint.hashedMessage)), not "
                             + "the data's \(Hex.encode(request.messageImprint.hashedMessage))")
        }
        // The token must hold up on its own (trust in the TSA is decided later, by whoever verifies).
        let result = TimestampVerifier.verify(token: reply, data: .bytes(data), roots: TSARoots())
        let problems = result.findings.filter {
            $0.status == .failed || $0.code == TimestampCode.signerMissing.rawValue
                || $0.code == TimestampCode.algorithmUnsupported.rawValue
        }
        if let problem = problems.first {
            throw AmanaError(.tsaReplyMalformed, "the TSA \(host) sent a token that does not verify: \(problem.code): "
                             + problem.message)
        }
    }

    /// One HTTP POST, waited for (URLSession runs it on its own queue).
    static func post(_ body: [UInt8], to url: URL, timeout: TimeInterval) throws -> [UInt8] {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue(queryMediaType, forHTTPHeaderField: "Content-Type")
        request.setValue(replyMediaType, forHTTPHeaderField: "Accept")
        request.httpBody = Data(body)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }

        let outcome = Locked<(data: Data?, response: URLResponse?, error: Error?)>((nil, nil, nil))
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            outcome.withLock { $0 = (data, response, error) }
            done.signal()
        }.resume()
        // URLSession enforces the timeout; the extra margin only guards against a stuck transfer.
        guard done.wait(timeout: .now() + timeout + 5) == .success else {
            throw AmanaError(.tsaUnreachable, "the TSA \(url.absoluteString) did not answer within \(Int(timeout)) seconds")
        }
        let (replyData, response, failure) = outcome.withLock { ($0.data, $0.response, $0.error) }
        if let error = failure {
            let reason = (error as? URLError)?.code == .timedOut
                ? "did not answer within \(Int(timeout)) seconds" : "cannot be reached (\(error.localizedDescription))"
            throw AmanaError(.tsaUnreachable, "the TSA \(url.absoluteString) \(reason)",
                             hint: "check the URL and the network; stamping can be done later")
        }
        guard let http = response as? HTTPURLResponse else {
            throw AmanaError(.tsaReplyMalformed, "the TSA \(url.absoluteString) sent no HTTP response")
        }
        guard http.statusCode == 200 else {
            throw AmanaError(.tsaHTTP, "the TSA \(url.absoluteString) answered HTTP \(http.statusCode)",
                             hint: "is \(url.absoluteString) an RFC 3161 time-stamping URL?")
        }
        let data = replyData ?? Data()
        guard data.count <= maximumReplySize else {
            throw AmanaError(.tsaReplyMalformed, "the TSA \(url.absoluteString) sent \(data.count) bytes, too many for a reply")
        }
        return Array(data)
    }
}
