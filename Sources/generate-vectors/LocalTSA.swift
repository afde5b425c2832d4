import Foundation

/// A time-stamping authority for the vectors, made once with scripts/tsa/make-tsa.sh (a root CA, a TSA certificate
/// valid for 100 years, and an `openssl ts` configuration) and kept in fixtures/vectors/keys/tsa-NAME/. Nothing here
/// is trusted outside the vectors.
///
/// `openssl ts -reply` puts the current time and a fresh ECDSA signature in every token, so each token is made once
/// and kept in keys/tokens/ under a name derived from what it stamps: regenerating then gives the same bytes. Delete
/// keys/tokens/ to stamp afresh (the timestamp cases' `--at` lies far enough ahead for any regeneration).
struct LocalTSA {
    static let openssl = "/usr/bin/openssl"
    let name: String
    /// The kept material (root.pem, root.key, tsa.pem, tsa.key, tsa.cnf).
    let material: URL
    /// A working copy whose tsa.cnf points at itself.
    let work: URL
    let tokens: URL

    init(_ name: String, keys: URL, options: [String] = [], packageRoot: URL) throws {
        self.name = name
        material = keys.appendingPathComponent("tsa-\(name)")
        tokens = keys.appendingPathComponent("tokens")
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: material.appendingPathComponent("tsa.cnf").path) {
            let script = packageRoot.appendingPathComponent("scripts/tsa/make-tsa.sh").path
            try run("/bin/bash", [script, material.path, "--days", "36500"] + options)
            for scratch in ["tsa.csr", "chain.pem", "serial"] { try? fileManager.removeItem(at: material.appendingPathComponent(scratch)) }
        }
        work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("amana-vectors-tsa-\(name)-\(getpid())")
        try? fileManager.removeItem(at: work)
        try fileManager.createDirectory(at: work, withIntermediateDirectories: true)
        for file in ["root.pem", "root.key", "tsa.pem", "tsa.key", "tsa.ext"] {
            let source = material.appendingPathComponent(file)
            if fileManager.fileExists(atPath: source.path) { try fileManager.copyItem(at: source, to: work.appendingPathComponent(file)) }
        }
        let config = try String(contentsOf: material.appendingPathComponent("tsa.cnf"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("dir = ") ? "dir = \(work.path)" : String($0) }
            .map { $0.hasPrefix("digests = ") ? "digests = md5, sha1, sha256, sha384, sha512, sha3-256" : $0 }
            .joined(separator: "\n")
        try writeFile(utf8(config), work.appendingPathComponent("tsa.cnf"))
        try writeFile(utf8("01\n"), work.appendingPathComponent("serial"))
    }

    func file(_ name: String) -> [UInt8] { Array((try? Data(contentsOf: work.appendingPathComponent(name))) ?? Data()) }
    var rootPEM: [UInt8] { file("root.pem") }
    var certificatePEM: [UInt8] { file("tsa.pem") }

    /// Returns the kept token named `key`, making it with `make` the first time.
    func cached(_ key: String, _ make: () throws -> [UInt8]) throws -> [UInt8] {
        let path = tokens.appendingPathComponent("\(name)-\(key).der")
        if let data = try? Data(contentsOf: path) { return Array(data) }
        let bytes = try make()
        try writeFile(bytes, path)
        return bytes
    }

    private func temp(_ bytes: [UInt8], _ suffix: String) throws -> String {
        let path = work.appendingPathComponent("\(UUID().uuidString)\(suffix)")
        try writeFile(bytes, path)
        return path.path
    }

    /// A TimeStampResp over `data` from `openssl ts -query` and `-reply` (no nonce).
    func stamp(_ data: [UInt8], hash: String = "sha256", certificate: Bool = true) throws -> [UInt8] {
        try cached("\(hash)-\(certificate ? "cert" : "nocert")-\(ForgedBag.hex(data, .sha256).prefix(16))") {
            let input = try temp(data, ".data")
            var query = ["ts", "-query", "-data", input, "-\(hash)", "-no_nonce", "-out", input + ".tsq"]
            if certificate { query.insert("-cert", at: 4) }
            try run(LocalTSA.openssl, query)
            try run(LocalTSA.openssl, ["ts", "-reply", "-config", work.appendingPathComponent("tsa.cnf").path,
                                       "-queryfile", input + ".tsq", "-out", input + ".tsr"])
            return file(URL(fileURLWithPath: input + ".tsr").lastPathComponent)
        }
    }

    /// The TSTInfo (DER) inside a TimeStampResp this TSA made.
    func tstInfo(ofResponse response: [UInt8]) throws -> [UInt8] {
        let input = try temp(response, ".tsr")
        try run(LocalTSA.openssl, ["ts", "-reply", "-in", input, "-token_out", "-out", input + ".p7"])
        return try run(LocalTSA.openssl, ["cms", "-verify", "-noverify", "-inform", "DER", "-in", input + ".p7", "-binary"])
    }

    /// A bare token (CMS ContentInfo) signing `tstInfo` with `openssl cms -sign`, choosing the options a test needs
    /// (`-cades` adds the ESS signing-certificate-v2 attribute).
    func sign(tstInfo: [UInt8], key: String, options: [String]) throws -> [UInt8] {
        try cached(key) {
            let input = try temp(tstInfo, ".tst")
            return try run(LocalTSA.openssl, ["cms", "-sign", "-binary", "-nodetach", "-in", input,
                                              "-signer", work.appendingPathComponent("tsa.pem").path,
                                              "-inkey", work.appendingPathComponent("tsa.key").path, "-nosmimecap",
                                              "-outform", "DER"] + options)
        }
    }
}
