@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// A throwaway time-stamping authority made with `scripts/tsa/make-tsa.sh` (a root CA, a TSA certificate and an
/// `openssl ts` configuration) in a temporary folder. It can stamp directly with `openssl ts -reply`, re-sign a
/// hand-made TSTInfo with `openssl cms -sign`, and serve requests over HTTP on 127.0.0.1.
final class LocalTSA {
    let folder: TemporaryFolder
    let openssl: String
    var path: String { folder.path }
    var root: String { folder.file("root.pem") }
    var chain: String { folder.file("chain.pem") }
    var certificate: String { folder.file("tsa.pem") }
    var key: String { folder.file("tsa.key") }
    var config: String { folder.file("tsa.cnf") }

    /// - Parameter options: make-tsa.sh options, e.g. `["--key", "rsa"]`.
    init(_ options: [String] = []) throws {
        openssl = try TestEnvironment.requireTool("openssl")
        folder = TemporaryFolder("amana-tsa")
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/tsa/make-tsa.sh").path
        let result = try runTool("/bin/bash", [script, folder.path] + options)
        XCTAssertEqual(result.status, 0, "make-tsa.sh failed: \(result)")
    }

    /// The TSA's roots, as the verifier loads them.
    func roots(_ file: String? = nil) throws -> TSARoots {
        var roots = TSARoots()
        try roots.load(file: file ?? root)
        return roots
    }

    /// A TimeStampResp for `data`, made by `openssl ts -query` and `openssl ts -reply` (no HTTP).
    func stamp(_ data: [UInt8], hash: String = "sha256", certReq: Bool = true) throws -> [UInt8] {
        let input = try folder.write("input-\(UUID().uuidString)", data)
        let query = input + ".tsq", reply = input + ".tsr"
        var queryArguments = ["ts", "-query", "-data", input, "-\(hash)", "-out", query]
        if certReq { queryArguments.insert("-cert", at: 4) }
        try run(queryArguments)
        try run(["ts", "-reply", "-config", config, "-queryfile", query, "-out", reply])
        return try readBytes(reply)
    }

    /// A bare token (ContentInfo) signing `tstInfo` with `openssl cms -sign -cades`, so tests can choose every TSTInfo
    /// field and the signature scheme. `extra` adds options such as `-keyopt rsa_padding_mode:pss`.
    func sign(tstInfo: [UInt8], extra: [String] = []) throws -> [UInt8] {
        let input = try folder.write("tst-\(UUID().uuidString).der", tstInfo)
        let output = input + ".p7"
        try run(["cms", "-sign", "-binary", "-nodetach", "-in", input, "-econtent_type", "1.2.840.113549.1.9.16.1.4",
                 "-signer", certificate, "-inkey", key, "-md", "sha256", "-cades", "-nosmimecap", "-outform", "DER",
                 "-out", output] + extra)
        return try readBytes(output)
    }

    /// The TSTInfo of a token this TSA made, to modify and re-sign.
    func tstInfo(for data: [UInt8]) throws -> TSTInfo {
        guard case .success(let token) = TimestampToken.parse(try stamp(data)) else {
            throw XCTSkip("openssl ts -reply produced an unparsable token")
        }
        return token.tstInfo
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> RunResult {
        let result = try runTool(openssl, arguments)
        XCTAssertEqual(result.status, 0, "openssl \(arguments.joined(separator: " ")) failed: \(result)")
        return result
    }

    /// `openssl ts -verify`'s answer, the reference verifier: true for "Verification: OK".
    func opensslAccepts(token: [UInt8], data: [UInt8], caFile: String, bareToken: Bool = false,
                        atTime: Date? = nil) throws -> Bool {
        try LocalTSA.opensslVerify(openssl: openssl, folder: folder, token: token, data: data, caFile: caFile,
                                   bareToken: bareToken, atTime: atTime)
    }

    static func opensslVerify(openssl: String, folder: TemporaryFolder, token: [UInt8], data: [UInt8], caFile: String,
                              bareToken: Bool = false, atTime: Date? = nil, untrusted: String? = nil) throws -> Bool {
        let name = UUID().uuidString
        let tokenPath = try folder.write("\(name).tsr", token)
        let dataPath = try folder.write("\(name).data", data)
        var arguments = ["ts", "-verify", "-data", dataPath, "-in", tokenPath, "-CAfile", caFile]
        if bareToken { arguments.append("-token_in") }
        if let atTime { arguments += ["-attime", String(Int(atTime.timeIntervalSince1970))] }
        if let untrusted { arguments += ["-untrusted", untrusted] }
        let result = try runTool(openssl, arguments)
        return result.status == 0 && result.stdout.contains("Verification: OK")
    }

    /// Starts `scripts/tsa/tsa-server.py` for this TSA.
    func serve() throws -> LocalTSAServer { try LocalTSAServer(config: config) }
}

/// `scripts/tsa/tsa-server.py` running on 127.0.0.1 at a free port; stopped when released (and by itself after
/// two minutes in any case).
final class LocalTSAServer {
    let process = Process()
    let port: Int

    init(config: String) throws {
        let python = try TestEnvironment.requireTool("python3")
        let script = TestEnvironment.packageRoot.appendingPathComponent("scripts/tsa/tsa-server.py").path
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, config, "--lifetime", "120"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw XCTSkip("the local TSA server did not start: \(text)")
        }
        self.port = port
    }

    func url(_ behaviour: String = "ok") -> URL { URL(string: "http://127.0.0.1:\(port)/\(behaviour)")! }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

/// The conformance tokens (trailofbits/rfc3161-client fixtures) in ../shared/conformance/rfc3161.
enum RFC3161Conformance {
    static let hello = Array("hello".utf8)

    static func folder() throws -> URL { try TestEnvironment.requireConformance("rfc3161") }

    static func bytes(_ name: String) throws -> [UInt8] {
        try readBytes(try folder().appendingPathComponent(name).path)
    }

    static func roots(_ names: String...) throws -> TSARoots {
        var roots = TSARoots()
        for name in names { try roots.load(file: try folder().appendingPathComponent(name).path) }
        return roots
    }
}

extension TimestampVerification {
    var codes: [String] { findings.map(\.code) }
    func codes(_ status: Finding.Status) -> [String] { findings.filter { $0.status == status }.map(\.code) }
}
