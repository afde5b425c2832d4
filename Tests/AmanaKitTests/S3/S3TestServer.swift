import AmanaTestSupport
import Foundation
import XCTest

@testable import AmanaKit

/// The S3 client's view of the test radosgw that scripts/run-tests.sh starts (``TestServices/s3(file:line:)``: it
/// skips without the server, and fails under AMANA_REQUIRE_SERVICES=1), with boto3 (scripts/services/s3tool.py, the
/// tests' one independent S3 peer) to say what the server holds.
struct S3TestServer {
    let endpoint: String
    let region: String
    let credentials: S3Credentials

    static func require(file: StaticString = #filePath, line: UInt = #line) throws -> S3TestServer {
        let server = try TestServices.s3(file: file, line: line)
        return S3TestServer(endpoint: server.endpoint, region: server.region,
                            credentials: S3Credentials(accessKeyID: server.accessKey, secretAccessKey: server.secretKey))
    }

    /// A client on `bucket` under `prefix`.
    func client(bucket: String, prefix: String) throws -> S3Client {
        let location = try S3Location.parse("s3://\(bucket)/\(prefix)", endpoint: endpoint, region: region)
        return S3Client(location: location, credentials: credentials)
    }

    // MARK: boto3's view

    /// Overwrites `key` with `bytes` through boto3 (anyone with the same credentials): the new version's id.
    func peerPut(_ bucket: String, _ key: String, _ bytes: [UInt8]) throws -> String? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("s3peer-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try TestServices.s3tool(["put", bucket, key, file], as: S3Tool.Put.self).versionId
    }

    /// Every version under `prefix`, as boto3 lists them.
    func peerVersions(_ bucket: String, _ prefix: String) throws -> [S3Tool.Versions.Version] {
        try TestServices.s3tool(["versions", bucket, prefix], as: S3Tool.Versions.self).versions
    }

    /// `MODE RETAIN-UNTIL` of a version as boto3 reads them (`nil nil` when it has none).
    func peerRetention(_ bucket: String, _ key: String, _ version: String) throws -> String {
        let retention = try TestServices.s3tool(["retention", bucket, key, version], as: S3Tool.Retention.self)
        return "\(retention.mode ?? "nil") \(retention.retainUntil ?? "nil")"
    }

    /// The SHA-256 (hex) of a version's bytes as boto3 reads them.
    func peerSHA256(_ bucket: String, _ key: String, _ version: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("s3peer-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try TestServices.s3tool(["get", bucket, key, version, file], as: S3Tool.Get.self).sha256
    }

    /// Tries to delete a version through boto3: the server's refusal code, or nil when it was deleted.
    func peerDelete(_ bucket: String, _ key: String, _ version: String) throws -> String? {
        let result = try TestServices.s3tool(["delete", bucket, key, version])
        return result.succeeded ? nil : (result.refusal?.error ?? "no answer")
    }
}

/// A Python 3 with boto3 and botocore (the project's .venv when it has it, else PATH's python3), for
/// Tests/S3Peers/sigv4_botocore.py, botocore's own SigV4 signer.
enum S3Peer {
    static let python: String? = {
        var candidates = [TestEnvironment.packageRoot.appendingPathComponent(".venv/bin/python3").path]
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        return candidates.first { path in
            FileManager.default.isExecutableFile(atPath: path)
                && (try? runTool(path, ["-c", "import boto3, botocore"]))?.status == 0
        }
    }()

    static func requirePython() throws -> String {
        guard let python else { throw XCTSkip("no python3 with boto3 and botocore (pip install boto3)") }
        return python
    }

    static func script(_ name: String) -> String {
        TestEnvironment.packageRoot.appendingPathComponent("Tests/S3Peers/\(name)").path
    }
}
