import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// The small S3 client Amana needs for its organisation store (spec/s3.md): signed requests to one bucket, path-style,
/// over one AsyncHTTPClient `HTTPClient`.
///
/// No S3 SDK for Swift is available to this project (Soto is not mirrored), and Amana uses about fifteen requests,
/// so the client is written here and tested against AWS's signing examples, botocore and a real radosgw. It holds
/// one `HTTPClient` and must be shut down with ``shutdown()`` (or ``shutdownBlocking()``) before it goes away.
///
/// Every request is signed with SigV4 (``SigV4Signer``). Errors are one line, `s3: CODE: message (operation)`, and
/// never carry a credential, a header or a URL (``S3Failure``).
package final class S3Client: Sendable {
    package let location: S3Location
    let signer: SigV4Signer
    let http: HTTPClient
    let timeouts: Timeouts

    /// How long requests may take. `connect` and `read` (the longest silence within a request) are the
    /// HTTPClient's own; `request` bounds a whole small request, `transfer` a whole part or object body.
    package struct Timeouts: Sendable {
        package var connect: TimeAmount = .seconds(10)
        package var read: TimeAmount = .seconds(60)
        package var request: TimeAmount = .seconds(120)
        package var transfer: TimeAmount = .minutes(30)
        package init() {}
    }

    package init(location: S3Location, credentials: S3Credentials, timeouts: Timeouts = Timeouts()) {
        self.location = location
        self.signer = SigV4Signer(credentials: credentials, region: location.region)
        self.timeouts = timeouts
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: timeouts.connect, read: timeouts.read)
        // A refused connection fails the request at once, with a clear line, instead of being retried until the
        // deadline: the store reports and the user reruns.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Shuts the HTTP client down; call once, when done.
    package func shutdown() async throws {
        try await http.shutdown()
    }

    /// ``shutdown()`` from synchronous code (see ``S3Blocking``).
    package func shutdownBlocking() throws {
        try S3Blocking.run { try await self.shutdown() }
    }

    var secrets: [String] { signer.credentials.secrets }

    // MARK: - Requests

    /// One request to the bucket (`key` nil: the bucket itself). Returns the response once its status is a success;
    /// an error status is read (at most 64 KiB) and thrown as one line. The body, if any, is the caller's to read.
    func send(_ method: HTTPMethod, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
              body: ByteBuffer? = nil, payloadHash: String? = nil, timeout: TimeAmount? = nil,
              operation: String) async throws -> HTTPClientResponse {
        let path = "/\(location.bucket)" + (key.map { "/\($0)" } ?? "")
        let bodyHash = payloadHash ?? (body.map { buffer in
            buffer.withUnsafeReadableBytes { Hex.encode(Array(SHA256.hash(data: $0))) }
        } ?? SigV4Signer.emptyPayloadHash)
        var allHeaders = [("host", location.endpoint.hostHeader)] + headers
        let signature = signer.sign(method: method.rawValue, path: path, query: query, headers: allHeaders,
                                    payloadHash: bodyHash, date: Date())
        allHeaders += signature.headers.map { ($0.name, $0.value) }

        let queryString = SigV4Signer.canonicalQuery(query)
        var request = HTTPClientRequest(url: "\(location.endpoint)\(SigV4Signer.canonicalPath(path))"
                                        + (queryString.isEmpty ? "" : "?\(queryString)"))
        request.method = method
        for (name, value) in allHeaders { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }

        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout ?? timeouts.request)
        } catch {
            throw S3Failure.transport(error, endpoint: location.endpoint, operation: operation, secrets: secrets)
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            var errorBody = [UInt8]()
            if method != .HEAD { errorBody = await collect(response, limit: 64 * 1024) }
            throw S3Failure.server(status: Int(response.status.code), body: errorBody, operation: operation,
                                   secrets: secrets)
        }
        return response
    }

    /// A small response body, whole (XML answers). A body past `limit` is an error, not a silent cut.
    func body(of response: HTTPClientResponse, operation: String, limit: Int = 16 * 1024 * 1024) async throws
        -> [UInt8]
    {
        do {
            let buffer = try await response.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch {
            throw S3Failure.transport(error, endpoint: location.endpoint, operation: operation, secrets: secrets)
        }
    }

    /// Reads what it can of an error body, ignoring failures: the status alone still makes an error line.
    private func collect(_ response: HTTPClientResponse, limit: Int) async -> [UInt8] {
        var out = [UInt8]()
        do {
            for try await chunk in response.body {
                out += chunk.readableBytesView.prefix(limit - out.count)
                if out.count >= limit { break }
            }
        } catch {}
        return out
    }

    /// A success answer that carries an error: S3 may answer CompleteMultipartUpload with 200 and an `<Error>` body.
    func throwIfErrorBody(_ bytes: [UInt8], status: Int, operation: String) throws {
        let head = String(decoding: bytes.prefix(256), as: UTF8.self)
        if head.contains("<Error>") {
            throw S3Failure.server(status: status, body: bytes, operation: operation, secrets: secrets)
        }
    }

    /// `PUT s3://bucket/key`, for error lines.
    func describe(_ verb: String, _ key: String, versionID: String? = nil) -> String {
        "\(verb) s3://\(location.bucket)/\(key)" + (versionID.map { " version \($0)" } ?? "")
    }

    // MARK: - Header helpers

    static func header(_ response: HTTPClientResponse, _ name: String) -> String? {
        response.headers.first(name: name)
    }

    /// The base64 MD5 of a buffer, for `Content-MD5`, and its hex form (the ETag S3 gives a plain object or part).
    static func md5(_ buffer: ByteBuffer) -> (base64: String, hex: String) {
        let digest = buffer.withUnsafeReadableBytes { Array(Insecure.MD5.hash(data: $0)) }
        return (Base64.encode(digest), Hex.encode(digest))
    }

    /// An ETag without its quotes.
    static func unquote(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }

    /// Checks a returned ETag against the MD5 sent, when the ETag is a plain MD5 (32 hex digits). Encrypted or
    /// multipart ETags are other shapes and are not compared; the read-back covers those.
    func checkETag(_ etag: String, md5Hex: String, operation: String) throws {
        let plain = S3Client.unquote(etag).lowercased()
        if plain.count == 32, Hex.decode(plain) != nil, plain != md5Hex {
            throw AmanaError(S3Failure.integrity, "s3: \(operation): the server's ETag \(plain) is not the MD5 sent "
                             + "(\(md5Hex))")
        }
    }
}
