import AmanaTestSupport
import Foundation
import XCTest

@testable import AmanaKit

/// The S3 server the tests use, from the variables scripts/run-tests.sh sets (AMANA_TEST_S3_ENDPOINT, _REGION,
/// _ACCESS_KEY, _SECRET_KEY). Without them a test skips, naming the script to run; with AMANA_REQUIRE_SERVICES=1
/// (`make test`) it fails instead, so a missing server can never pass as green.
///
/// Private to the S3 tests until the shared Tests/AmanaTestSupport/TestServices.swift lands.
struct S3TestServer {
    let endpoint: String
    let region: String
    let credentials: S3Credentials

    static func require(file: StaticString = #filePath, line: UInt = #line) throws -> S3TestServer {
        let env = ProcessInfo.processInfo.environment
        guard let endpoint = env["AMANA_TEST_S3_ENDPOINT"], let access = env["AMANA_TEST_S3_ACCESS_KEY"],
              let secret = env["AMANA_TEST_S3_SECRET_KEY"], !endpoint.isEmpty
        else {
            let message = "no S3 server: start one with scripts/services/ceph.sh and export its AMANA_TEST_S3_* variables"
            if env["AMANA_REQUIRE_SERVICES"] == "1" {
                XCTFail(message, file: file, line: line)
                throw AmanaError(.usage, message)
            }
            throw XCTSkip(message)
        }
        return S3TestServer(endpoint: endpoint, region: env["AMANA_TEST_S3_REGION"] ?? "us-east-1",
                            credentials: S3Credentials(accessKeyID: access, secretAccessKey: secret))
    }

    /// A fresh bucket with versioning and Object Lock, made by boto3 (the independent peer), with a client on it.
    /// `cleanUp` removes every version (bypassing GOVERNANCE retention) and the bucket; COMPLIANCE versions stay.
    func makeBucket(prefix: String = "t") throws -> (client: S3Client, bucket: String) {
        let bucket = "amana-test-\(UUID().uuidString.lowercased().prefix(18))"
        try S3Peer.run(self, ["create-bucket", bucket])
        let location = try S3Location.parse("s3://\(bucket)/\(prefix)", endpoint: endpoint, region: region)
        return (S3Client(location: location, credentials: credentials), bucket)
    }

    func cleanUp(_ client: S3Client, bucket: String) {
        try? client.shutdownBlocking()
        _ = try? S3Peer.run(self, ["empty-bucket", bucket])
    }
}

/// Tests/S3Peers/*.py run by a Python 3 that has boto3 (the project's .venv when it has it, else PATH's python3).
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

    /// Runs Tests/S3Peers/s3_peer.py with the server's endpoint and keys in its environment; returns its stdout and
    /// fails the call (throws) on a non-zero exit.
    @discardableResult
    static func run(_ server: S3TestServer, _ arguments: [String]) throws -> String {
        let result = try runTool(try requirePython(), [script("s3_peer.py")] + arguments, environment: [
            "AMANA_TEST_S3_ENDPOINT": server.endpoint, "AMANA_TEST_S3_REGION": server.region,
            "AMANA_TEST_S3_ACCESS_KEY": server.credentials.accessKeyID,
            "AMANA_TEST_S3_SECRET_KEY": server.credentials.secretAccessKey,
        ])
        guard result.status == 0 else {
            throw AmanaError(.internalFailure, "s3_peer.py \(arguments.first ?? ""): \(result.stderr)")
        }
        return result.stdout
    }
}
