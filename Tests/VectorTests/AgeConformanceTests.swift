@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// Every C2SP CCTV age vector (`../shared/conformance/age`) gives the outcome its header states: success with the
/// right payload hash, or the right class of failure. For a payload failure, the plaintext released before the error
/// must match the stated hash too. None is skipped: the hybrid post-quantum vectors run like the rest.
final class AgeConformanceTests: XCTestCase {
    struct Vector {
        var fields: [String: [String]] = [:]
        var body: [UInt8] = []
        func first(_ key: String) -> String? { fields[key]?.first }
    }

    static func parse(_ bytes: [UInt8]) -> Vector {
        var vector = Vector()
        var i = 0
        while i < bytes.count {
            let end = bytes[i...].firstIndex(of: 0x0A) ?? bytes.count
            let line = String(decoding: bytes[i..<end], as: UTF8.self)
            i = end + 1
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            vector.fields[key, default: []].append(value)
        }
        vector.body = Array(bytes[min(i, bytes.count)...])
        return vector
    }

    static func outcome(_ error: Error) -> String {
        switch (error as? AmanaError)?.code {
        case .ageHeader?: return "header failure"
        case .ageHMAC?: return "HMAC failure"
        case .ageNoMatch?: return "no match"
        case .agePayload?: return "payload failure"
        case .ageArmor?: return "armor failure"
        default: return "unexpected error: \(error)"
        }
    }

    func testEveryVectorGivesItsStatedOutcome() throws {
        let folder = try TestEnvironment.requireConformance("age")
        let temp = TemporaryFolder("amana-age-vectors")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var checked = 0
        var hybrid = 0
        for name in names {
            let vector = AgeConformanceTests.parse(try readBytes(folder.appendingPathComponent(name).path))
            guard let expect = vector.first("expect") else { XCTFail("\(name): no expect line"); continue }
            let identityLines = vector.fields["identity"] ?? []
            var file = try temp.write(name, vector.body)
            if let compression = vector.first("compressed") {
                XCTAssertEqual(compression, "zlib", name)
                let python = try TestEnvironment.requireTool("python3")
                let inflated = temp.file(name + ".inflated")
                let result = try runTool(python, ["-c", "import sys,zlib; open(sys.argv[2],'wb').write(zlib.decompress(open(sys.argv[1],'rb').read()))",
                                                  file, inflated])
                XCTAssertEqual(result.status, 0, "\(name): \(result)")
                file = inflated
            }
            var identities: [AgeIdentity] = try identityLines.map { try AgeIdentities.parse($0) }
            if let passphrase = vector.first("passphrase") { identities.append(AgeScryptIdentity(passphrase: passphrase)) }

            var released: [UInt8] = []
            var outcome = "success"
            do {
                try AgeDecryptor(identities: identities).decrypt(path: file, armored: vector.first("armored") == "yes") { released += $0 }
            } catch {
                outcome = AgeConformanceTests.outcome(error)
            }
            XCTAssertEqual(outcome, expect, "\(name): \(vector.first("comment") ?? "")")
            if expect == "success" || expect == "payload failure", let payload = vector.first("payload") {
                XCTAssertEqual(MultiDigest.digests(of: released, [.sha256])[.sha256]?.hex, payload,
                               "\(name): the released plaintext differs")
            }
            checked += 1
            if identityLines.contains(where: { $0.uppercased().hasPrefix("AGE-SECRET-KEY-PQ-") }) { hybrid += 1 }
        }
        print("age vectors: \(checked) checked, \(hybrid) of them hybrid post-quantum (mlkem768x25519)")
        XCTAssertEqual(checked, names.count, "every vector is checked; none is skipped")
        XCTAssertGreaterThanOrEqual(hybrid, 19)
        XCTAssertGreaterThanOrEqual(names.count, 143)
    }
}
