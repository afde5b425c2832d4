import Foundation

/// Where a store's objects live: a bucket, a key prefix inside it, the endpoint that serves it and its region.
///
/// Parsed strictly (spec/s3.md section 2) because the prefix becomes part of every key Amana writes under Object
/// Lock: a mistake cannot be deleted afterwards. Requests use path-style addressing (`ENDPOINT/BUCKET/KEY`), which
/// every S3-compatible server accepts for a custom endpoint and which needs no wildcard DNS.
package struct S3Location: Sendable, Equatable, CustomStringConvertible {
    package let bucket: String
    /// The key prefix without a trailing `/`; empty for the bucket's root.
    package let prefix: String
    package let endpoint: S3Endpoint
    package let region: String

    package static let defaultRegion = "us-east-1"

    package init(bucket: String, prefix: String, endpoint: S3Endpoint, region: String) {
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint = endpoint
        self.region = region
    }

    /// Parses `s3://BUCKET[/PREFIX]`, an endpoint URL (AWS's regional endpoint when nil) and a region.
    package static func parse(_ uri: String, endpoint: String? = nil, region: String? = nil) throws -> S3Location {
        let scheme = "s3://"
        guard uri.hasPrefix(scheme) else {
            throw invalid("objects location must start with s3://")
        }
        let rest = uri.dropFirst(scheme.count)
        let bucket = String(rest.prefix { $0 != "/" })
        var prefix = String(rest.dropFirst(bucket.count))
        if prefix.hasPrefix("/") { prefix.removeFirst() }
        if prefix.hasSuffix("/") { prefix.removeLast() }
        try checkBucket(bucket)
        try checkPrefix(prefix)
        let region = region ?? defaultRegion
        guard !region.isEmpty, region.utf8.count <= 32,
              region.utf8.allSatisfy({ isLowerAlnum($0) || $0 == UInt8(ascii: "-") })
        else { throw invalid("region must be lowercase letters, digits and '-', like us-east-1") }
        let resolved = try endpoint.map(S3Endpoint.parse)
            ?? S3Endpoint(secure: true, host: "s3.\(region).amazonaws.com", port: 443)
        return S3Location(bucket: bucket, prefix: prefix, endpoint: resolved, region: region)
    }

    /// The full key of a name under the prefix.
    package func key(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix)/\(name)" }

    package var description: String { "s3://\(bucket)\(prefix.isEmpty ? "" : "/" + prefix)" }

    /// S3's bucket naming rules (the strict, DNS-compatible set every provider accepts).
    static func checkBucket(_ name: String) throws {
        let bytes = Array(name.utf8)
        let allowed = bytes.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
        guard (3...63).contains(bytes.count), allowed, let first = bytes.first, let last = bytes.last,
              isLowerAlnum(first), isLowerAlnum(last), !name.contains(".."), !name.contains(".-"),
              !name.contains("-."), !name.hasPrefix("xn--"), !name.hasSuffix("-s3alias")
        else {
            throw invalid("bucket name must be 3 to 63 lowercase letters, digits, '-' or '.', "
                          + "starting and ending with a letter or digit")
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count == 4, labels.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { isDigit($0) } }) {
            throw invalid("bucket name must not look like an IP address")
        }
    }

    /// A prefix is `/`-separated segments of printable characters; no empty, `.` or `..` segment, no leading `/`.
    static func checkPrefix(_ prefix: String) throws {
        guard !prefix.isEmpty else { return }
        guard prefix.utf8.count <= 512 else { throw invalid("prefix is longer than 512 bytes") }
        guard !prefix.hasPrefix("/") else { throw invalid("prefix must not start with '/'") }
        guard !prefix.contains("..") else { throw invalid("prefix must not contain '..'") }
        for segment in prefix.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty else { throw invalid("prefix must not contain an empty segment ('//')") }
            guard segment != "." else { throw invalid("prefix must not contain a '.' segment") }
        }
        guard prefix.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f && $0 != "\\" }) else {
            throw invalid("prefix must not contain control characters or '\\'")
        }
    }

    static func invalid(_ reason: String) -> AmanaError { AmanaError(.usage, "s3: \(reason)") }
    static func isLowerAlnum(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }
    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}

/// An S3 endpoint: scheme, host and port, nothing else. A path, query or user info is refused (user info could be a
/// credential, and is never echoed back).
package struct S3Endpoint: Sendable, Equatable, CustomStringConvertible {
    package let secure: Bool
    package let host: String
    package let port: Int

    package init(secure: Bool, host: String, port: Int) {
        self.secure = secure
        self.host = host
        self.port = port
    }

    package static func parse(_ text: String) throws -> S3Endpoint {
        let secure: Bool
        let rest: Substring
        if text.hasPrefix("https://") { secure = true; rest = text.dropFirst(8) }
        else if text.hasPrefix("http://") { secure = false; rest = text.dropFirst(7) }
        else { throw S3Location.invalid("endpoint must be an http:// or https:// URL") }
        var authority = rest
        if authority.hasSuffix("/") { authority.removeLast() }
        guard !authority.contains("@") else {
            throw S3Location.invalid("endpoint must not contain user info; give credentials separately")
        }
        guard !authority.contains("/"), !authority.contains("?"), !authority.contains("#") else {
            throw S3Location.invalid("endpoint must be scheme://host[:port] with no path")
        }
        var host = String(authority)
        var port = secure ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let value = Int(authority[authority.index(after: colon)...]), (1...65535).contains(value) else {
                throw S3Location.invalid("endpoint port must be a number from 1 to 65535")
            }
            port = value
            host = String(authority[..<colon])
        }
        let hostOK = host.utf8.allSatisfy {
            S3Location.isLowerAlnum($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
                || Array("-.[]:".utf8).contains($0)
        }
        guard !host.isEmpty, hostOK else { throw S3Location.invalid("endpoint host is not a valid host name") }
        return S3Endpoint(secure: secure, host: host, port: port)
    }

    /// The value of the `host` header: the port only when it is not the scheme's default.
    package var hostHeader: String { port == (secure ? 443 : 80) ? host : "\(host):\(port)" }

    package var description: String { "\(secure ? "https" : "http")://\(hostHeader)" }
}
