import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

extension S3Client {
    /// `PUT` of a whole object held in memory (small objects, ledger batches, checkpoints).
    ///
    /// Sends `Content-MD5` always (Ceph 16 checks it; it ignores `x-amz-checksum-sha256`, which is sent too), the
    /// payload's SHA-256 as `x-amz-content-sha256` (so the signature covers the body), and the lock's mode and date.
    /// Checks the answer names a version id (versioning is on) and that a plain ETag is the MD5 sent.
    /// `corruptContentMD5ForTesting` sends a wrong Content-MD5 on purpose, for the test that proves the server refuses it.
    package func putObject(key: String, bytes: [UInt8], lock: S3ObjectLock?,
                           corruptContentMD5ForTesting: Bool = false) async throws -> S3PutResult {
        try await putObject(key: key, buffer: ByteBuffer(bytes: bytes), lock: lock,
                            corruptContentMD5ForTesting: corruptContentMD5ForTesting)
    }

    func putObject(key: String, buffer: ByteBuffer, lock: S3ObjectLock?,
                   corruptContentMD5ForTesting: Bool = false) async throws -> S3PutResult {
        let operation = describe("PUT", key)
        let md5 = S3Client.md5(buffer)
        let sha256 = buffer.withUnsafeReadableBytes { Array(SHA256.hash(data: $0)) }
        var headers: [(String, String)] = [
            ("content-md5", corruptContentMD5ForTesting ? S3Client.wrongMD5(md5.base64) : md5.base64),
            ("x-amz-checksum-sha256", Base64.encode(sha256)),
            ("content-type", "application/octet-stream"),
        ]
        headers += lock?.headers ?? []
        let response = try await send(.PUT, key: key, headers: headers, body: buffer, payloadHash: Hex.encode(sha256),
                                      timeout: timeouts.transfer, operation: operation)
        _ = try await body(of: response, operation: operation)
        let etag = S3Client.unquote(S3Client.header(response, "etag") ?? "")
        try checkETag(etag, md5Hex: md5.hex, operation: operation)
        return S3PutResult(versionID: try versionID(of: response, operation: operation), etag: etag)
    }

    /// The version id a write answered with. Amana records it and reads by it, so its absence (versioning off) is
    /// an error, not a default.
    func versionID(of response: HTTPClientResponse, operation: String) throws -> String {
        guard let version = S3Client.header(response, "x-amz-version-id"), !version.isEmpty, version != "null" else {
            throw AmanaError(S3Failure.malformed, "s3: \(operation): the answer names no version id",
                             hint: "the bucket must have versioning and Object Lock enabled")
        }
        return version
    }

    /// A valid-looking base64 MD5 that is not the right one (the first byte flipped).
    static func wrongMD5(_ base64: String) -> String {
        var bytes = Base64.decode(base64) ?? Array(repeating: 0, count: 16)
        bytes[0] ^= 0xff
        return Base64.encode(bytes)
    }

    /// `HEAD` of one version (the latest when `versionID` is nil); nil when the key or version does not exist.
    package func headObject(key: String, versionID: String?) async throws -> S3ObjectInfo? {
        let operation = describe("HEAD", key, versionID: versionID)
        do {
            let response = try await send(.HEAD, key: key, query: versionID.map { [("versionId", $0)] } ?? [],
                                          operation: operation)
            return try objectInfo(of: response, key: key, operation: operation)
        } catch let error as AmanaError where error.code == S3Failure.notFound {
            return nil
        }
    }

    func objectInfo(of response: HTTPClientResponse, key: String, operation: String) throws -> S3ObjectInfo {
        guard let length = S3Client.header(response, "content-length").flatMap(UInt64.init) else {
            throw AmanaError(S3Failure.malformed, "s3: \(operation): the answer has no Content-Length")
        }
        var lock: S3ObjectLock?
        if let mode = S3Client.header(response, "x-amz-object-lock-mode").flatMap(S3LockMode.init(rawValue:)),
           let until = S3Client.header(response, "x-amz-object-lock-retain-until-date").flatMap(UTCTime.parseRFC3339) {
            lock = S3ObjectLock(mode: mode, retainUntil: until)
        }
        return S3ObjectInfo(key: key, versionID: S3Client.header(response, "x-amz-version-id"), size: length,
                            etag: S3Client.unquote(S3Client.header(response, "etag") ?? ""), lock: lock,
                            lastModified: S3Client.header(response, "last-modified"))
    }

    /// `GET` of one version, its body streamed to `consume` chunk by chunk as it arrives (memory stays flat: the
    /// HTTP client reads the next chunk only once `consume` returns).
    ///
    /// Checks that the server served the version named and that exactly Content-Length bytes arrived.
    @discardableResult
    package func getObject(key: String, versionID: String,
                           consume: (UnsafeRawBufferPointer) throws -> Void) async throws -> S3ObjectInfo {
        let operation = describe("GET", key, versionID: versionID)
        let response = try await send(.GET, key: key, query: [("versionId", versionID)], timeout: timeouts.transfer,
                                      operation: operation)
        let info = try objectInfo(of: response, key: key, operation: operation)
        guard info.versionID == versionID else {
            throw AmanaError(S3Failure.integrity, "s3: \(operation): the server served version "
                             + "\(info.versionID ?? "none") instead")
        }
        var received: UInt64 = 0
        do {
            for try await chunk in response.body {
                received += UInt64(chunk.readableBytes)
                do {
                    try chunk.withUnsafeReadableBytes { try consume($0) }
                } catch {
                    throw ConsumerFailure(error: error)
                }
            }
        } catch let failure as ConsumerFailure {
            throw failure.error  // the consumer's own error (a full disk, a finding), unchanged
        } catch {
            throw S3Failure.transport(error, endpoint: location.endpoint, operation: operation, secrets: secrets)
        }
        guard received == info.size else {
            throw AmanaError(S3Failure.malformed, "s3: \(operation): \(received) bytes arrived of \(info.size)")
        }
        return info
    }

    /// Carries an error thrown by a body's consumer past the transport's error mapping.
    private struct ConsumerFailure: Error {
        let error: any Error
    }

    /// Re-reads one version and hashes it, comparing its size and SHA-256 (and its SHA-512 when one is given) with the
    /// expected values. A mismatch is reported in the result (``S3ReadBack/mismatches``), not thrown: the caller
    /// decides (a writer refuses to record the object; a verifier makes a finding).
    ///
    /// A writer passes no SHA-512 (spec/s3.md section 5): equal size and SHA-256 already prove the version holds the
    /// bytes it hashed while sending, and SHA-512 is the slowest pass here (about 2.5 times SHA-256's cost).
    package func readBack(key: String, versionID: String, size: UInt64, sha256: [UInt8], sha512: [UInt8]? = nil)
        async throws -> S3ReadBack
    {
        let digest = MultiDigest(sha512 == nil ? [.sha256] : [.sha256, .sha512])
        try await getObject(key: key, versionID: versionID) { try digest.update($0) }
        let found = digest.finalize()
        let foundSHA256 = found[.sha256]!.bytes, foundSHA512 = found[.sha512]?.bytes
        var mismatches = [String]()
        if digest.byteCount != size { mismatches.append("size \(digest.byteCount), expected \(size)") }
        if foundSHA256 != sha256 { mismatches.append("sha256 \(Hex.encode(foundSHA256)), expected \(Hex.encode(sha256))") }
        if let sha512, let foundSHA512, foundSHA512 != sha512 {
            mismatches.append("sha512 \(Hex.encode(foundSHA512)), expected \(Hex.encode(sha512))")
        }
        return S3ReadBack(size: digest.byteCount, sha256: foundSHA256, sha512: foundSHA512, mismatches: mismatches)
    }

    /// `DELETE` of one version. Object Lock makes the server refuse it for a version under retention
    /// (`AccessDenied`); Amana itself only calls this to clean up what it never recorded.
    package func deleteObject(key: String, versionID: String) async throws {
        let operation = describe("DELETE", key, versionID: versionID)
        let response = try await send(.DELETE, key: key, query: [("versionId", versionID)], operation: operation)
        _ = try await body(of: response, operation: operation)
    }

    /// `PUT ?retention` of one version: sets (or lengthens) its retention. Needed after a multipart upload because
    /// Ceph 16 ignores the lock headers of CreateMultipartUpload (measured: the completed object has no retention),
    /// where AWS applies them.
    package func putObjectRetention(key: String, versionID: String, lock: S3ObjectLock) async throws {
        let operation = describe("PUT retention of", key, versionID: versionID)
        let xml = "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>\(lock.mode.rawValue)</Mode>"
            + "<RetainUntilDate>\(UTCTime.format(lock.retainUntil))</RetainUntilDate></Retention>"
        let buffer = ByteBuffer(string: xml)
        let response = try await send(.PUT, key: key, query: [("retention", ""), ("versionId", versionID)],
                                      headers: [("content-md5", S3Client.md5(buffer).base64),
                                                ("content-type", "application/xml")],
                                      body: buffer, operation: operation)
        _ = try await body(of: response, operation: operation)
    }

    /// `GET ?retention` of one version: its lock mode and retain-until date, nil when it has none.
    package func getObjectRetention(key: String, versionID: String) async throws -> S3ObjectLock? {
        let operation = describe("GET retention of", key, versionID: versionID)
        let response: HTTPClientResponse
        do {
            response = try await send(.GET, key: key, query: [("retention", ""), ("versionId", versionID)],
                                      operation: operation)
        } catch let error as AmanaError where error.code == S3Failure.notFound
            && (error.reason.contains("NoSuchObjectLockConfiguration")
                || error.reason.contains("ObjectLockConfigurationNotFound")) {
            return nil  // AWS's code for a version without retention, then Ceph 16's
        }
        let xml = try S3XML.decode(S3XML.Retention.self, from: try await body(of: response, operation: operation),
                                   operation: operation)
        guard let modeText = xml.Mode, let untilText = xml.RetainUntilDate else { return nil }
        guard let mode = S3LockMode(rawValue: modeText), let until = UTCTime.parseRFC3339(untilText) else {
            throw AmanaError(S3Failure.malformed, "s3: \(operation): unknown retention \(modeText) until \(untilText)")
        }
        return S3ObjectLock(mode: mode, retainUntil: until)
    }
}
