@testable import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest

/// The client against a real `openssl ts -reply` TSA served on 127.0.0.1 by scripts/tsa/tsa-server.py, which
/// misbehaves on request (the URL path chooses how). No public TSA and no other network is used.
final class TimestampClientTests: XCTestCase {
    private var tsa: LocalTSA!
    private var server: LocalTSAServer!
    private let data = Array("seals/0001.seal.minisig stand-in\n".utf8)

    override func setUpWithError() throws {
        tsa = try LocalTSA()
        server = try tsa.serve()
    }

    override func tearDown() {
        server = nil
        tsa = nil
    }

    private func assertThrows(_ code: AmanaError.Code, _ behaviour: String, timeout: TimeInterval = 10,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try TSAClient.stamp(data, tsa: server.url(behaviour), timeout: timeout), file: file,
                             line: line) { error in
            XCTAssertEqual((error as? AmanaError)?.code, code, "\(error)", file: file, line: line)
        }
    }

    func testRoundTripVerifiesWithAmanaAndOpenSSL() throws {
        for hash in [DigestAlgorithm.sha256, .sha512] {
            let reply = try TSAClient.stamp(data, tsa: server.url(), hash: hash, timeout: 10)
            let result = TimestampVerifier.verify(token: reply, data: .bytes(data), roots: try tsa.roots())
            XCTAssertEqual(result.verdict, .totalPassed, "\(result.findings)")
            XCTAssertEqual(result.info?.form, "TimeStampResp")
            XCTAssertEqual(result.info?.imprintAlgorithm, hash.rawValue)
            XCTAssertEqual(result.info?.policy, "1.3.6.1.4.1.55555.3161.1")
            // 64 random bits: 8 octets, one more when the top bit is set, fewer when it starts with zero octets.
            XCTAssertLessThanOrEqual(try XCTUnwrap(result.info?.nonce).count, 18)
            XCTAssertTrue(try tsa.opensslAccepts(token: reply, data: data, caFile: tsa.root))
        }
    }

    func testNoncesDiffer() throws {
        let first = TimestampVerifier.verify(token: try TSAClient.stamp(data, tsa: server.url(), timeout: 10),
                                             data: .bytes(data), roots: try tsa.roots())
        let second = TimestampVerifier.verify(token: try TSAClient.stamp(data, tsa: server.url(), timeout: 10),
                                              data: .bytes(data), roots: try tsa.roots())
        XCTAssertNotEqual(first.info?.nonce, second.info?.nonce)
    }

    func testHTTPErrorRejectionNonceImprintGarbageAndBareToken() {
        assertThrows(.tsaHTTP, "http500")
        assertThrows(.tsaHTTP, "no-such-path")
        assertThrows(.tsaRejected, "reject")
        assertThrows(.tsaNonceMismatch, "wrong-nonce")
        assertThrows(.tsaImprintMismatch, "wrong-imprint")
        assertThrows(.tsaReplyMalformed, "garbage")
        assertThrows(.tsaReplyMalformed, "token-only")
    }

    func testRejectionMessageCarriesTheTSAsReason() {
        XCTAssertThrowsError(try TSAClient.stamp(data, tsa: server.url("reject"), timeout: 10)) { error in
            let reason = (error as? AmanaError)?.reason ?? ""
            XCTAssertTrue(reason.contains("rejection"), reason)
            XCTAssertTrue(reason.contains("badAlg"), reason)
            XCTAssertTrue(reason.contains("unsupported algorithm (test)"), reason)
        }
    }

    func testTimeout() {
        let start = Date()
        assertThrows(.tsaUnreachable, "slow", timeout: 1)
        XCTAssertLessThan(Date().timeIntervalSince(start), 4.5)
    }

    func testUnreachablePort() throws {
        // A port that was free a moment ago and has nothing listening.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        close(fd)
        XCTAssertThrowsError(try TSAClient.stamp(data, tsa: URL(string: "http://127.0.0.1:\(port)/")!, timeout: 5)) {
            XCTAssertEqual(($0 as? AmanaError)?.code, .tsaUnreachable, "\($0)")
        }
    }

    func testWeakHashIsAUsageError() {
        XCTAssertThrowsError(try TSAClient.stamp(data, tsa: server.url(), hash: .sha1, timeout: 5)) {
            XCTAssertEqual(($0 as? AmanaError)?.code, .usage)
        }
    }

    /// The request Amana sends is what `openssl ts -query` would send: v1, imprint with NULL parameters, a nonce,
    /// certReq TRUE; OpenSSL parses it back.
    func testRequestEncoding() throws {
        let digest = MultiDigest.digests(of: data, [.sha256])[.sha256]!
        let request = TimeStampReq(messageImprint: MessageImprint(digest), nonce: [0x00, 0x8F, 0x01], certReq: true)
        let der = try request.derBytes()
        let folder = TemporaryFolder("amana-tsq")
        let path = try folder.write("request.tsq", der)
        let text = try runTool(tsa.openssl, ["ts", "-query", "-in", path, "-text"]).stdout
        XCTAssertTrue(text.contains("Hash Algorithm: sha256"), text)
        XCTAssertTrue(text.contains("Nonce: 0x8F01"), text)
        XCTAssertTrue(text.contains("Certificate required: yes"), text)
        let parsed = try TimeStampReq(derEncoded: der)
        XCTAssertEqual(parsed, request)
    }
}
