import Crypto
import Foundation

/// AWS Signature Version 4 for S3, header form (spec/s3.md section 3).
///
/// Pure: it turns a request's method, path, query, headers and payload hash into the headers that sign it, with no
/// I/O, so the tests check it byte for byte against AWS's published examples and against botocore. The secret only
/// ever enters the HMAC key; it is never part of a string this type returns.
package struct SigV4Signer: Sendable {
    /// The payload hash sent when the body is not hashed before sending (multipart parts: see spec/s3.md 3.2).
    package static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of the empty string: the payload hash of a request without a body.
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let algorithm = "AWS4-HMAC-SHA256"

    package let credentials: S3Credentials
    package let region: String
    package let service: String

    package init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// What signing adds to a request: `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (with a session
    /// token) and `authorization`, in that order; plus the intermediate strings, for tests and debugging (they hold
    /// no secret).
    package struct Signature: Sendable {
        package let headers: [(name: String, value: String)]
        package let canonicalRequest: String
        package let stringToSign: String
        package let signature: String
        package var authorization: String { headers.first { $0.name == "authorization" }!.value }
    }

    /// Signs a request.
    /// - Parameters:
    ///   - path: the decoded path, `/bucket/key` (path-style); each segment is URI-encoded here, `/` kept.
    ///   - query: decoded names and values; a name alone (`?uploads`) has the value `""`.
    ///   - headers: every header to sign, `host` included; names in any case. Signing adds its own four.
    ///   - payloadHash: the body's lowercase hex SHA-256, or ``unsignedPayload``.
    package func sign(method: String, path: String, query: [(String, String)], headers: [(String, String)],
                      payloadHash: String, date: Date) -> Signature {
        let stamp = SigV4Signer.amzDate(date)
        var all = headers.map { (name: $0.0.lowercased(), value: $0.1) }
        var added: [(name: String, value: String)] = [("x-amz-date", stamp), ("x-amz-content-sha256", payloadHash)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        all.removeAll { header in added.contains { $0.name == header.name } }
        all += added

        // Canonical headers: lowercase names, sorted, values trimmed with inner runs of spaces collapsed, repeated
        // names joined by commas in their order.
        var grouped: [String: [String]] = [:]
        for header in all { grouped[header.name, default: []].append(SigV4Signer.trimAll(header.value)) }
        let names = grouped.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let canonicalHeaders = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")

        let canonicalRequest = [
            method, SigV4Signer.canonicalPath(path), SigV4Signer.canonicalQuery(query), canonicalHeaders,
            signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let day = String(stamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            SigV4Signer.algorithm, stamp, scope, Hex.encode(Array(SHA256.hash(data: Array(canonicalRequest.utf8)))),
        ].joined(separator: "\n")
        let signature = Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8),
                                                                         using: signingKey(day: day))))
        let authorization = "\(SigV4Signer.algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(headers: added + [("authorization", authorization)], canonicalRequest: canonicalRequest,
                         stringToSign: stringToSign, signature: signature)
    }

    /// The derived key: HMAC chain over the day, region, service and `aws4_request`, keyed first by `AWS4` + secret.
    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }

    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
    package static func amzDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))\(pad(parts.tm_mon + 1, 2))\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2))\(pad(parts.tm_min, 2))\(pad(parts.tm_sec, 2))Z"
    }

    /// S3's canonical URI: each segment URI-encoded once (S3 does not double-encode or normalise), `/` kept.
    package static func canonicalPath(_ path: String) -> String {
        let encoded = uriEncode(path, keepSlash: true)
        return encoded.isEmpty ? "/" : encoded
    }

    /// Names and values encoded, then sorted by name and value (byte order), joined as `name=value&...`.
    package static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (uriEncode($0.0, keepSlash: false), uriEncode($0.1, keepSlash: false)) }
            .sorted { lhs, rhs in
                lhs.0 == rhs.0 ? Array(lhs.1.utf8).lexicographicallyPrecedes(Array(rhs.1.utf8))
                    : Array(lhs.0.utf8).lexicographicallyPrecedes(Array(rhs.0.utf8))
            }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// RFC 3986 percent-encoding of UTF-8: unreserved `A-Z a-z 0-9 - _ . ~` kept, every other byte `%XX` upper case.
    package static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Trims surrounding spaces and tabs and collapses inner runs of them to one space, as SigV4 requires.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
