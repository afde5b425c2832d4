import Foundation

/// How the S3 layer reports a request that did not succeed: one `AmanaError` whose reason is a single line starting
/// `s3:` (so the CLI prints `amana: error: s3: AccessDenied: ...`).
///
/// Built only from the server's error code and message, the operation and the object's key: never from a URL, a
/// header or the credentials. As a second guard every reason goes through ``redact(_:secrets:)``, which replaces any
/// occurrence of the secret key or session token (a server that echoed one back would otherwise leak it).
package enum S3Failure {
    /// The server answered with an error status (the reason names S3's code, e.g. `AccessDenied`).
    package static let refused = AmanaError.Code("s3.refused")
    /// The server answered 404 (`NoSuchKey`, `NoSuchVersion`, `NoSuchBucket`, ...).
    package static let notFound = AmanaError.Code("s3.not-found")
    /// The server could not be reached, or did not answer in time.
    package static let unreachable = AmanaError.Code("s3.unreachable")
    /// The server's answer was not what S3 specifies (unreadable XML, a missing version id, a short body).
    package static let malformed = AmanaError.Code("s3.malformed")
    /// An object's bytes did not match what was sent (read back, or the ETag of a part).
    package static let integrity = AmanaError.Code("s3.integrity")

    /// A server error as one line: `s3: CODE: MESSAGE (OPERATION, HTTP STATUS)`.
    static func server(status: Int, body: [UInt8], operation: String, secrets: [String]) -> AmanaError {
        let parsed = try? S3XML.decode(S3XML.ErrorBody.self, from: body, operation: operation)
        let code = parsed?.Code.flatMap { $0.isEmpty ? nil : $0 } ?? "HTTP\(status)"
        var reason = "s3: \(code)"
        if let message = parsed?.Message, !message.isEmpty { reason += ": \(message)" }
        reason += " (\(operation), HTTP \(status))"
        return AmanaError(status == 404 ? notFound : refused, redact(reason, secrets: secrets),
                          hint: hint(for: code))
    }

    /// A transport failure (refused connection, timeout, reset) as one line.
    static func transport(_ error: Error, endpoint: S3Endpoint, operation: String, secrets: [String]) -> AmanaError {
        let detail = String(describing: error)
        let kind: String
        if detail.localizedCaseInsensitiveContains("refused") { kind = "connection refused" }
        else if detail.localizedCaseInsensitiveContains("timeout") || detail.localizedCaseInsensitiveContains("timed out")
            || detail.localizedCaseInsensitiveContains("deadline") {
            kind = "timed out"
        } else if detail.localizedCaseInsensitiveContains("reset") || detail.localizedCaseInsensitiveContains("closed") {
            kind = "connection closed"
        } else {
            kind = oneLine(detail, limit: 120)
        }
        return AmanaError(unreachable, redact("s3: cannot reach \(endpoint): \(kind) (\(operation))", secrets: secrets),
                          hint: "check that the S3 endpoint is running and reachable, then run the command again")
    }

    static func hint(for code: String) -> String? {
        switch code {
        case "AccessDenied": return "check the credentials and the bucket's policy; a locked version cannot be deleted"
        case "SignatureDoesNotMatch", "InvalidAccessKeyId":
            return "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the credentials file) and the region"
        case "RequestTimeTooSkewed": return "set this machine's clock right (S3 refuses requests more than 15 minutes off)"
        case "BadDigest", "InvalidDigest": return "the bytes changed in transit; run the command again"
        default: return nil
        }
    }

    /// One line, at most `limit` characters, control characters replaced by spaces.
    static func oneLine(_ text: String, limit: Int = 300) -> String {
        let flat = String(text.map { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) ? " " : $0 })
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "..."
    }

    /// `text` as one line with every secret replaced by `<redacted>`.
    package static func redact(_ text: String, secrets: [String]) -> String {
        var out = oneLine(text, limit: 400)
        for secret in secrets where !secret.isEmpty {
            out = out.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return out
    }
}
