import Foundation
import XCTest

@testable import AmanaKit

/// The signer against AWS's published SigV4 examples for S3 ("Signature Calculations for the Authorization Header:
/// Transferring Payload in a Single Chunk"): the example key AKIAIOSFODNN7EXAMPLE, bucket examplebucket, 24 May 2013.
final class SigV4SignerTests: XCTestCase {
    static let credentials = S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                           secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
    static let host = ("Host", "examplebucket.s3.amazonaws.com")
    let signer = SigV4Signer(credentials: credentials, region: "us-east-1")

    func testGetObjectExample() {
        let signature = signer.sign(method: "GET", path: "/test.txt", query: [],
                                    headers: [Self.host, ("Range", "bytes=0-9")],
                                    payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
        XCTAssertEqual(signature.canonicalRequest, """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        XCTAssertEqual(signature.stringToSign, """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
        XCTAssertEqual(signature.authorization,
                       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                       + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                       + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        XCTAssertEqual(signature.headers.map(\.name), ["x-amz-date", "x-amz-content-sha256", "authorization"])
    }

    func testPutObjectExample() {
        let body = Array("Welcome to Amazon S3.".utf8)
        let hash = Hex.encode(Crypto_SHA256(body))
        XCTAssertEqual(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let signature = signer.sign(method: "PUT", path: "/test$file.text", query: [],
                                    headers: [Self.host, ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                                              ("x-amz-storage-class", "REDUCED_REDUNDANCY")],
                                    payloadHash: hash, date: Self.date)
        XCTAssertTrue(signature.canonicalRequest.hasPrefix("PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013"))
        XCTAssertEqual(signature.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
        XCTAssertTrue(signature.authorization.contains(
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"))
    }

    func testGetBucketLifecycleExample() {
        let signature = signer.sign(method: "GET", path: "/", query: [("lifecycle", "")], headers: [Self.host],
                                    payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
        XCTAssertTrue(signature.canonicalRequest.hasPrefix("GET\n/\nlifecycle=\nhost:"))
        XCTAssertEqual(signature.signature, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    func testListObjectsExampleSortsTheQuery() {
        let signature = signer.sign(method: "GET", path: "/", query: [("prefix", "J"), ("max-keys", "2")],
                                    headers: [Self.host], payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
        XCTAssertTrue(signature.canonicalRequest.hasPrefix("GET\n/\nmax-keys=2&prefix=J\n"))
        XCTAssertEqual(signature.signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    func testSessionTokenIsSignedAndSent() {
        let withToken = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                                               secretAccessKey: "secret", sessionToken: "TOKEN/+="),
                                    region: "us-east-1")
        let signature = withToken.sign(method: "GET", path: "/b/k", query: [], headers: [Self.host],
                                       payloadHash: SigV4Signer.unsignedPayload, date: Self.date)
        XCTAssertEqual(signature.headers.first { $0.name == "x-amz-security-token" }?.value, "TOKEN/+=")
        XCTAssertTrue(signature.canonicalRequest.contains("\nx-amz-security-token:TOKEN/+=\n"))
        XCTAssertTrue(signature.authorization.contains("x-amz-date;x-amz-security-token,"))
        XCTAssertTrue(signature.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
    }

    func testEncodingFollowsS3Rules() {
        XCTAssertEqual(SigV4Signer.canonicalPath("/bucket/a b/c+d/ü~_.-"), "/bucket/a%20b/c%2Bd/%C3%BC~_.-")
        XCTAssertEqual(SigV4Signer.canonicalPath(""), "/")
        // S3 neither normalises nor collapses: dot segments and double slashes are signed as they are.
        XCTAssertEqual(SigV4Signer.canonicalPath("/b/./x//y"), "/b/./x//y")
        XCTAssertEqual(SigV4Signer.canonicalQuery([("b", "x/y"), ("a", "2"), ("a", "1"), ("uploads", "")]),
                       "a=1&a=2&b=x%2Fy&uploads=")
        XCTAssertEqual(SigV4Signer.trimAll("  a   b\t c  "), "a b c")
    }

    func testTheSecretNeverAppearsInWhatIsReturned() {
        let signature = signer.sign(method: "GET", path: "/x", query: [], headers: [Self.host],
                                    payloadHash: SigV4Signer.emptyPayloadHash, date: Self.date)
        let everything = signature.canonicalRequest + signature.stringToSign
            + signature.headers.map { "\($0.name): \($0.value)" }.joined()
        XCTAssertFalse(everything.contains(Self.credentials.secretAccessKey))
        XCTAssertFalse("\(Self.credentials)".contains(Self.credentials.secretAccessKey))
        XCTAssertFalse(String(reflecting: Self.credentials).contains(Self.credentials.secretAccessKey))
        var dumped = ""
        dump(Self.credentials, to: &dumped)
        XCTAssertFalse(dumped.contains(Self.credentials.secretAccessKey))
        XCTAssertTrue(dumped.contains("AKIAIOSFODNN7EXAMPLE"))
    }
}

import Crypto

func Crypto_SHA256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
