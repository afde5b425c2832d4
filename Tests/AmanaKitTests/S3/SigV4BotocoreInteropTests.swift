import AmanaTestSupport
import Crypto
import Foundation
import XCTest

@testable import AmanaKit

/// The signer against botocore's S3SigV4Auth on random requests: paths and query values with reserved, space and
/// non-ASCII characters, repeated query names, headers with runs of spaces, bodies signed or `UNSIGNED-PAYLOAD`,
/// with and without a session token. The two must agree byte for byte on the canonical request and the
/// Authorization header (Tests/S3Peers/sigv4_botocore.py).
final class SigV4BotocoreInteropTests: XCTestCase {
    func testRandomRequestsSignLikeBotocore() throws {
        let python = try S3Peer.requirePython()
        var rng = SplitMix64(seed: UInt64(Date().timeIntervalSince1970 * 1000))
        let seed = rng.state
        let alphabet = Array("abcXYZ019-_.~ /+=&?#%!$'()*,;:@[]é€日".unicodeScalars)
        func text(_ length: Int, from chars: [Unicode.Scalar] = alphabet) -> String {
            var out = String.UnicodeScalarView()
            for _ in 0..<length { out.append(chars[Int(rng.next() % UInt64(chars.count))]) }
            return String(out)
        }
        let plain = Array("abcdefghijklmnopqrstuvwxyz0123456789".unicodeScalars)
        let valueChars = Array("abc XYZ 019 -_.=/;:,\"".unicodeScalars)

        var cases = [[String: Any]]()
        var expected = [SigV4Signer.Signature]()
        for index in 0..<300 {
            let method = ["GET", "PUT", "POST", "DELETE", "HEAD"][Int(rng.next() % 5)]
            let segments = (0..<(1 + Int(rng.next() % 4))).map { _ in text(1 + Int(rng.next() % 12)) }
                .map { $0.replacingOccurrences(of: "/", with: "x") }
            let path = "/amana-bucket/" + segments.joined(separator: "/")
            var query = [(String, String)]()
            for _ in 0..<Int(rng.next() % 4) {
                query.append((text(1 + Int(rng.next() % 8)), rng.next() % 3 == 0 ? "" : text(Int(rng.next() % 10))))
            }
            if rng.next() % 4 == 0, let first = query.first { query.append((first.0, text(3))) }
            var headers = [("Host", "127.0.0.1:\(1024 + Int(rng.next() % 60000))")]
            var names = Set<String>()
            for _ in 0..<Int(rng.next() % 4) {
                let name = ["Content-Type", "Content-MD5", "x-amz-meta-\(text(4, from: plain))",
                            "X-Amz-Object-Lock-Mode", "Cache-Control", "Range"][Int(rng.next() % 6)]
                guard names.insert(name.lowercased()).inserted else { continue }
                headers.append((name, "  " + text(1 + Int(rng.next() % 12), from: valueChars) + "   x  "))
            }
            let body = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let unsigned = rng.next() % 3 == 0
            let token = rng.next() % 3 == 0 ? "FwoGZXIvYXdzE" + text(20, from: plain) + "/+=" : nil
            let secret = text(40, from: plain + Array("/+".unicodeScalars))
            let date = Date(timeIntervalSince1970: Double(1_500_000_000 + Int(rng.next() % 400_000_000)))
            let credentials = S3Credentials(accessKeyID: "AKIA" + text(16, from: plain).uppercased(),
                                            secretAccessKey: secret, sessionToken: token)
            let region = ["us-east-1", "eu-central-1", "default"][index % 3]
            let signer = SigV4Signer(credentials: credentials, region: region)
            expected.append(signer.sign(method: method, path: path, query: query, headers: headers,
                                        payloadHash: unsigned ? SigV4Signer.unsignedPayload
                                            : Hex.encode(Array(SHA256.hash(data: body))), date: date))
            cases.append([
                "method": method, "path": path, "query": query.map { [$0.0, $0.1] },
                "headers": headers.map { [$0.0, $0.1] }, "body_hex": Hex.encode(body), "unsigned": unsigned,
                "timestamp": SigV4Signer.amzDate(date), "access_key": credentials.accessKeyID,
                "secret_key": secret, "token": token as Any, "region": region,
            ])
        }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: cases), as: UTF8.self)
        let result = try runTool(python, [S3Peer.script("sigv4_botocore.py")], stdin: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        let answers = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(answers.count, expected.count)
        for (index, (answer, mine)) in zip(answers, expected).enumerated() {
            let context = "case \(index), seed \(seed)"
            XCTAssertEqual(answer["canonical_request"] as? String, mine.canonicalRequest, context)
            XCTAssertEqual(answer["authorization"] as? String, mine.authorization, context)
            XCTAssertEqual(answer["x_amz_date"] as? String, mine.headers.first { $0.name == "x-amz-date" }?.value)
            XCTAssertEqual(answer["x_amz_content_sha256"] as? String,
                           mine.headers.first { $0.name == "x-amz-content-sha256" }?.value, context)
            XCTAssertEqual(answer["x_amz_security_token"] as? String,
                           mine.headers.first { $0.name == "x-amz-security-token" }?.value, context)
        }
    }
}
