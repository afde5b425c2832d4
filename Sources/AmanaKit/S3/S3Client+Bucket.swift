import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension S3Client {
    /// `GET ?versioning`: `store init` refuses a bucket whose versioning is not enabled.
    package func getBucketVersioning() async throws -> S3Versioning {
        let operation = "GET versioning of s3://\(location.bucket)"
        let response = try await send(.GET, key: nil, query: [("versioning", "")], operation: operation)
        let xml = try S3XML.decode(S3XML.VersioningConfiguration.self,
                                   from: try await body(of: response, operation: operation), operation: operation)
        switch xml.Status {
        case "Enabled": return .enabled
        case "Suspended": return .suspended
        default: return .neverEnabled
        }
    }

    /// `GET ?object-lock`: the bucket's Object Lock state and default retention; `enabled: false` when the bucket
    /// has no Object Lock configuration at all.
    package func getObjectLockConfiguration() async throws -> S3LockConfiguration {
        let operation = "GET object-lock of s3://\(location.bucket)"
        let response: HTTPClientResponse
        do {
            response = try await send(.GET, key: nil, query: [("object-lock", "")], operation: operation)
        } catch let error as AmanaError where error.code == S3Failure.notFound
            && error.reason.contains("ObjectLockConfigurationNotFound") {
            return S3LockConfiguration(enabled: false, defaultMode: nil, defaultDays: nil, defaultYears: nil)
        }
        let xml = try S3XML.decode(S3XML.ObjectLockConfiguration.self,
                                   from: try await body(of: response, operation: operation), operation: operation)
        let retention = xml.Rule?.DefaultRetention
        return S3LockConfiguration(enabled: xml.ObjectLockEnabled == "Enabled",
                                   defaultMode: retention?.Mode.flatMap(S3LockMode.init(rawValue:)),
                                   defaultDays: retention?.Days, defaultYears: retention?.Years)
    }

    /// One page of `GET ?versions`: versions and delete markers under `prefix` (a full key prefix), in key order,
    /// and the marker of the next page (nil on the last).
    package func listObjectVersionsPage(prefix: String, marker: (key: String, versionID: String)? = nil,
                                        maxKeys: Int = 1000) async throws
        -> (versions: [S3ObjectVersion], next: (key: String, versionID: String)?)
    {
        let operation = "GET versions of s3://\(location.bucket)/\(prefix)"
        var query = [("versions", ""), ("prefix", prefix), ("max-keys", String(maxKeys))]
        if let marker { query += [("key-marker", marker.key), ("version-id-marker", marker.versionID)] }
        let response = try await send(.GET, key: nil, query: query, operation: operation)
        let xml = try S3XML.decode(S3XML.ListVersionsResult.self,
                                   from: try await body(of: response, operation: operation), operation: operation)
        func entry(_ version: S3XML.ListVersionsResult.VersionEntry, deleteMarker: Bool) -> S3ObjectVersion {
            S3ObjectVersion(key: version.Key, versionID: version.VersionId, isLatest: version.IsLatest,
                            isDeleteMarker: deleteMarker, size: version.Size.map { UInt64(max(0, $0)) },
                            etag: version.ETag.map(S3Client.unquote),
                            lastModified: version.LastModified.flatMap(UTCTime.parseRFC3339))
        }
        // XMLCoder collects the two element kinds apart; S3 interleaves them in key order, so merge them back.
        let versions = ((xml.Version ?? []).map { entry($0, deleteMarker: false) }
            + (xml.DeleteMarker ?? []).map { entry($0, deleteMarker: true) })
            .sorted { $0.key == $1.key ? ($0.lastModified ?? .distantPast) > ($1.lastModified ?? .distantPast)
                : Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        guard xml.IsTruncated == true else { return (versions, nil) }
        guard let key = xml.NextKeyMarker, let version = xml.NextVersionIdMarker else {
            throw AmanaError(S3Failure.malformed, "s3: \(operation): a truncated list names no next marker")
        }
        return (versions, (key, version))
    }

    /// Every version under `prefix`, page by page (in memory: for a bounded prefix; walk pages for a whole store).
    package func listObjectVersions(prefix: String, maxKeys: Int = 1000) async throws -> [S3ObjectVersion] {
        var all = [S3ObjectVersion]()
        var marker: (key: String, versionID: String)?
        repeat {
            let page = try await listObjectVersionsPage(prefix: prefix, marker: marker, maxKeys: maxKeys)
            all += page.versions
            marker = page.next
        } while marker != nil
        return all
    }

    /// One page of ListObjectsV2 (latest versions only) under `prefix`, and the next page's token.
    package func listObjectsPage(prefix: String, continuationToken: String? = nil, maxKeys: Int = 1000)
        async throws -> (objects: [S3ObjectSummary], next: String?)
    {
        let operation = "GET list of s3://\(location.bucket)/\(prefix)"
        var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(maxKeys))]
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try await send(.GET, key: nil, query: query, operation: operation)
        let xml = try S3XML.decode(S3XML.ListBucketResult.self,
                                   from: try await body(of: response, operation: operation), operation: operation)
        let objects = (xml.Contents ?? []).map {
            S3ObjectSummary(key: $0.Key, size: UInt64(max(0, $0.Size ?? 0)), etag: $0.ETag.map(S3Client.unquote))
        }
        guard xml.IsTruncated == true else { return (objects, nil) }
        guard let token = xml.NextContinuationToken, !token.isEmpty else {
            throw AmanaError(S3Failure.malformed, "s3: \(operation): a truncated list names no continuation token")
        }
        return (objects, token)
    }

    /// Every object under `prefix`, page by page.
    package func listObjects(prefix: String, maxKeys: Int = 1000) async throws -> [S3ObjectSummary] {
        var all = [S3ObjectSummary]()
        var token: String?
        repeat {
            let page = try await listObjectsPage(prefix: prefix, continuationToken: token, maxKeys: maxKeys)
            all += page.objects
            token = page.next
        } while token != nil
        return all
    }
}
