import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension S3Client {
    /// S3's floor for every part but the last is 5 MiB; Amana uses at least 8 MiB (spec/s3.md section 4.2).
    package static let minimumPartSize = 8 * 1024 * 1024
    /// S3's ceiling on the number of parts of one upload.
    package static let maximumParts = 10_000
    /// How many parts of one upload are sent at once. With one, every part waited for the server's write of the one
    /// before: 2 GiB into radosgw on bluestore over loopback took 22.4 s, the client and the server each about half
    /// idle; with 2, 3 and 4 parts at once 18.8, 16.7 and 15.4 s (bench/README.md). Three keeps most of that gain;
    /// memory holds this many parts plus the one being read (32 MiB at 8 MiB parts).
    package static let partsInFlight = 3

    /// `POST ?uploads`: starts a multipart upload. The lock headers go here too (AWS applies them to the completed
    /// object; Ceph 16 ignores them, so ``upload(key:lock:partSize:read:)`` also sets the retention after completing).
    package func createMultipartUpload(key: String, lock: S3ObjectLock?) async throws -> String {
        let operation = describe("create multipart upload of", key)
        let headers = [("content-type", "application/octet-stream")] + (lock?.headers ?? [])
        let response = try await send(.POST, key: key, query: [("uploads", "")], headers: headers,
                                      operation: operation)
        let xml = try S3XML.decode(S3XML.InitiateMultipartUploadResult.self,
                                   from: try await body(of: response, operation: operation), operation: operation)
        return xml.UploadId
    }

    /// `PUT ?partNumber&uploadId`: one part, with its Content-MD5. The body is not hashed for the signature
    /// (`UNSIGNED-PAYLOAD`): the MD5, the ETag check and the read-back of the whole object cover it instead
    /// (spec/s3.md section 3.2). Returns the part's ETag (without quotes).
    package func uploadPart(key: String, uploadID: String, partNumber: Int, bytes: [UInt8],
                            corruptContentMD5ForTesting: Bool = false) async throws -> String {
        try await uploadPart(key: key, uploadID: uploadID, partNumber: partNumber, buffer: ByteBuffer(bytes: bytes),
                             corruptContentMD5ForTesting: corruptContentMD5ForTesting)
    }

    func uploadPart(key: String, uploadID: String, partNumber: Int, buffer: ByteBuffer,
                    corruptContentMD5ForTesting: Bool = false) async throws -> String {
        let operation = describe("PUT part \(partNumber) of", key)
        let md5 = S3Client.md5(buffer)
        let response = try await send(
            .PUT, key: key, query: [("partNumber", String(partNumber)), ("uploadId", uploadID)],
            headers: [("content-md5", corruptContentMD5ForTesting ? S3Client.wrongMD5(md5.base64) : md5.base64)],
            body: buffer, payloadHash: SigV4Signer.unsignedPayload, timeout: timeouts.transfer, operation: operation)
        _ = try await body(of: response, operation: operation)
        guard let etag = S3Client.header(response, "etag").map(S3Client.unquote), !etag.isEmpty else {
            throw AmanaError(S3Failure.malformed, "s3: \(operation): the answer has no ETag")
        }
        try checkETag(etag, md5Hex: md5.hex, operation: operation)
        return etag
    }

    /// `POST ?uploadId` with the parts' numbers and ETags, in order. S3 may answer 200 and report an error in the
    /// body; that is an error here too.
    package func completeMultipartUpload(key: String, uploadID: String, parts: [(number: Int, etag: String)])
        async throws -> S3PutResult
    {
        let operation = describe("complete multipart upload of", key)
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(S3XML.escape("\"\(part.etag)\""))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let buffer = ByteBuffer(string: xml)
        let response = try await send(.POST, key: key, query: [("uploadId", uploadID)],
                                      headers: [("content-md5", S3Client.md5(buffer).base64),
                                                ("content-type", "application/xml")],
                                      body: buffer, timeout: timeouts.transfer, operation: operation)
        let bytes = try await body(of: response, operation: operation)
        try throwIfErrorBody(bytes, status: Int(response.status.code), operation: operation)
        let result = try S3XML.decode(S3XML.CompleteMultipartUploadResult.self, from: bytes, operation: operation)
        let version = try versionID(of: response, operation: operation)
        var etag = S3Client.unquote(result.ETag ?? "")
        if etag.isEmpty { etag = S3Client.unquote(S3Client.header(response, "etag") ?? "") }
        if etag.isEmpty {
            // Ceph 16 answers with an empty <ETag>: ask for it.
            etag = try await headObject(key: key, versionID: version)?.etag ?? ""
        }
        return S3PutResult(versionID: version, etag: etag)
    }

    /// `DELETE ?uploadId`: drops an incomplete upload and its parts. An upload already gone is not an error.
    package func abortMultipartUpload(key: String, uploadID: String) async throws {
        let operation = describe("abort multipart upload of", key)
        do {
            let response = try await send(.DELETE, key: key, query: [("uploadId", uploadID)], operation: operation)
            _ = try await body(of: response, operation: operation)
        } catch let error as AmanaError where error.code == S3Failure.notFound {
            return
        }
    }

    /// `GET ?uploads`: every incomplete multipart upload under `prefix`, page by page (a rerun aborts these).
    package func listMultipartUploads(prefix: String) async throws -> [S3MultipartUpload] {
        let operation = "GET uploads of s3://\(location.bucket)/\(prefix)"
        var all = [S3MultipartUpload]()
        var marker: (key: String, uploadID: String)?
        while true {
            var query = [("uploads", ""), ("prefix", prefix)]
            if let marker { query += [("key-marker", marker.key), ("upload-id-marker", marker.uploadID)] }
            let response = try await send(.GET, key: nil, query: query, operation: operation)
            let xml = try S3XML.decode(S3XML.ListMultipartUploadsResult.self,
                                       from: try await body(of: response, operation: operation), operation: operation)
            all += (xml.Upload ?? []).map {
                S3MultipartUpload(key: $0.Key, uploadID: $0.UploadId, initiated: $0.Initiated.flatMap(UTCTime.parseRFC3339))
            }
            guard xml.IsTruncated == true else { return all }
            guard let key = xml.NextKeyMarker, let upload = xml.NextUploadIdMarker else {
                throw AmanaError(S3Failure.malformed, "s3: \(operation): a truncated list names no next marker")
            }
            marker = (key, upload)
        }
    }
}
