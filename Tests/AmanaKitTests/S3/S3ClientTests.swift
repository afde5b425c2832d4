import AmanaTestSupport
import Crypto
import Foundation
import XCTest

@testable import AmanaKit

/// The S3 client against a real server (radosgw from scripts/services/ceph.sh; see ``S3TestServer``), with boto3 as
/// the independent peer that checks what the server holds. The tests share one bucket, made by the first and emptied
/// after the last (a bucket per test cost two s3tool processes each); each test works under its own prefix.
///
/// Every error a test provokes goes through ``assertClean(_:)``: one line, `s3:` first, and no secret key, no
/// Authorization header, no signature in it.
final class S3ClientTests: XCTestCase {
    var server: S3TestServer!
    var client: S3Client!
    var bucket: String!

    override func setUpWithError() throws {
        server = try S3TestServer.require()
        bucket = try TestServices.classBucket(for: S3ClientTests.self)
        // The test's name, and a random part: no test's prefix is the start of another's.
        client = try server.client(bucket: bucket,
                                   prefix: TestServices.uniquePrefix("unit/\(name.filter(\.isLetter).suffix(24))"))
        soon = S3ObjectLock(mode: .governance, retainUntil: Date().addingTimeInterval(2 * 86400))
    }

    override func tearDown() {
        try? client?.shutdownBlocking()
        client = nil
    }

    override class func tearDown() {
        TestServices.emptyClassBucket(for: self)
        super.tearDown()
    }

    /// GOVERNANCE, so that the clean-up can bypass it; two days ahead.
    var soon: S3ObjectLock!

    func key(_ name: String) -> String { client.location.key(name) }

    /// Asserts the one-line, secret-free shape of an error the S3 layer threw, and returns it.
    @discardableResult
    func assertClean(_ error: Error, file: StaticString = #filePath, line: UInt = #line) -> AmanaError? {
        guard let error = error as? AmanaError else {
            XCTFail("not an AmanaError: \(error)", file: file, line: line)
            return nil
        }
        let text = "\(error.reason) \(error.hint ?? "")"
        XCTAssertTrue(error.reason.hasPrefix("s3: "), error.reason, file: file, line: line)
        XCTAssertFalse(text.contains("\n"), text, file: file, line: line)
        for leak in [server.credentials.secretAccessKey, "Signature=", "AWS4-HMAC-SHA256", "X-Amz-Credential",
                     "authorization"] {
            XCTAssertFalse(text.localizedCaseInsensitiveContains(leak), "leaks \(leak): \(text)", file: file, line: line)
        }
        return error
    }

    func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    func testBucketIsVersionedAndLocked() async throws {
        let versioning = try await client.getBucketVersioning()
        XCTAssertEqual(versioning, .enabled)
        let lock = try await client.getObjectLockConfiguration()
        XCTAssertTrue(lock.enabled)
    }

    func testPutGetByVersionAndAnOverwriteLeavesTheOldVersionReadable() async throws {
        let first = bytes(1000, seed: 1), second = bytes(1500, seed: 2)
        let name = key("objects/sha256/\(Hex.encode(Crypto_SHA256(first)))")
        let put1 = try await client.putObject(key: name, bytes: first, lock: soon)
        XCTAssertEqual(put1.etag, Hex.encode(Array(Insecure.MD5.hash(data: first))))
        // Someone overwrites the key (boto3, same credentials): a new version; the recorded one is untouched.
        let put2 = try XCTUnwrap(try server.peerPut(bucket, name, second))
        XCTAssertNotEqual(put2, put1.versionID)

        var read = [UInt8]()
        let info = try await client.getObject(key: name, versionID: put1.versionID) { read += $0 }
        XCTAssertEqual(read, first)
        XCTAssertEqual(info.versionID, put1.versionID)
        XCTAssertEqual(info.size, 1000)
        read = []
        try await client.getObject(key: name, versionID: put2) { read += $0 }
        XCTAssertEqual(read, second)

        let head = try await client.headObject(key: name, versionID: put1.versionID)
        XCTAssertEqual(head?.size, 1000)
        XCTAssertEqual(head?.lock, soon)
        let latest = try await client.headObject(key: name, versionID: nil)
        XCTAssertEqual(latest?.versionID, put2)
        let missing = try await client.headObject(key: key("nothing"), versionID: nil)
        XCTAssertNil(missing)

        let versions = try await client.listObjectVersions(prefix: name)
        XCTAssertEqual(Set(versions.map(\.versionID)), [put1.versionID, put2])
        XCTAssertEqual(versions.first { $0.isLatest }?.versionID, put2)
        let peer = try server.peerVersions(bucket, name)
        XCTAssertTrue(peer.contains { $0.versionId == put1.versionID && !$0.isLatest && $0.size == 1000 }, "\(peer)")

        let check = try await client.readBack(key: name, versionID: put1.versionID, size: 1000,
                                              sha256: Crypto_SHA256(first), sha512: Array(SHA512.hash(data: first)))
        XCTAssertTrue(check.matches, "\(check.mismatches)")
        // The overwrite does not pass as the recorded object.
        let wrong = try await client.readBack(key: name, versionID: put2, size: 1000, sha256: Crypto_SHA256(first),
                                              sha512: Array(SHA512.hash(data: first)))
        XCTAssertEqual(wrong.mismatches.count, 3, "\(wrong.mismatches)")
        // A writer's read-back compares size and SHA-256 only; the overwrite is still caught.
        let writers = try await client.readBack(key: name, versionID: put2, size: 1000, sha256: Crypto_SHA256(first))
        XCTAssertEqual(writers.mismatches.count, 2, "\(writers.mismatches)")
        XCTAssertNil(writers.sha512)
        let right = try await client.readBack(key: name, versionID: put1.versionID, size: 1000, sha256: Crypto_SHA256(first))
        XCTAssertTrue(right.matches, "\(right.mismatches)")

        // A consumer's own error comes back as it was thrown, not as a network failure.
        struct DiskFull: Error {}
        do {
            try await client.getObject(key: name, versionID: put1.versionID) { _ in throw DiskFull() }
            XCTFail("the consumer's error was lost")
        } catch { XCTAssertTrue(error is DiskFull, "\(error)") }

        do {
            try await client.getObject(key: name, versionID: "no-such-version-id") { _ in }
            XCTFail("a read of an unknown version must fail")
        } catch { assertClean(error) }
    }

    func testAWrongContentMD5IsRefusedAndNothingIsStored() async throws {
        let name = key("objects/md5")
        do {
            _ = try await client.putObject(key: name, bytes: bytes(4096, seed: 3), lock: soon,
                                           corruptContentMD5ForTesting: true)
            XCTFail("the server accepted a wrong Content-MD5")
        } catch {
            let error = assertClean(error)
            XCTAssertEqual(error?.code, S3Failure.refused)
            XCTAssertTrue(error?.reason.contains("BadDigest") ?? false, error?.reason ?? "")
        }
        let versions = try await client.listObjectVersions(prefix: name)
        XCTAssertEqual(versions, [])

        let upload = try await client.createMultipartUpload(key: name, lock: soon)
        do {
            _ = try await client.uploadPart(key: name, uploadID: upload, partNumber: 1, bytes: bytes(1024, seed: 4),
                                            corruptContentMD5ForTesting: true)
            XCTFail("the server accepted a part with a wrong Content-MD5")
        } catch { XCTAssertTrue(assertClean(error)?.reason.contains("BadDigest") ?? false) }
        try await client.abortMultipartUpload(key: name, uploadID: upload)
    }

    func testRetentionSetOnPutIsWhatTheServerReports() async throws {
        let lock = S3ObjectLock(mode: .governance, retainUntil: Date().addingTimeInterval(3 * 86400 + 0.7))
        let name = key("ledger/checkpoints/000000000001-ab.json")
        let put = try await client.putObject(key: name, bytes: Array("{}".utf8), lock: lock)
        let reported = try await client.getObjectRetention(key: name, versionID: put.versionID)
        XCTAssertEqual(reported, lock)
        XCTAssertEqual(try server.peerRetention(bucket, name, put.versionID),
                       "GOVERNANCE \(UTCTime.format(lock.retainUntil))")
        let head = try await client.headObject(key: name, versionID: put.versionID)
        XCTAssertEqual(head?.lock, lock)

        let unlocked = try await client.putObject(key: key("plain"), bytes: [1], lock: nil)
        let none = try await client.getObjectRetention(key: key("plain"), versionID: unlocked.versionID)
        XCTAssertNil(none)
    }

    func testADeleteOfALockedVersionIsRefused() async throws {
        let name = key("objects/locked")
        let content = bytes(300, seed: 5)
        let put = try await client.putObject(key: name, bytes: content, lock: soon)
        do {
            try await client.deleteObject(key: name, versionID: put.versionID)
            XCTFail("a locked version was deleted")
        } catch {
            let error = assertClean(error)
            XCTAssertEqual(error?.code, S3Failure.refused)
            XCTAssertTrue(error?.reason.contains("AccessDenied") ?? false, error?.reason ?? "")
        }
        XCTAssertEqual(try server.peerDelete(bucket, name, put.versionID), "AccessDenied")
        XCTAssertEqual(try server.peerSHA256(bucket, name, put.versionID), Hex.encode(Crypto_SHA256(content)))
        // An unlocked version can be deleted (the call itself works).
        let plain = try await client.putObject(key: key("objects/plain"), bytes: [7], lock: nil)
        try await client.deleteObject(key: key("objects/plain"), versionID: plain.versionID)
        let gone = try await client.headObject(key: key("objects/plain"), versionID: plain.versionID)
        XCTAssertNil(gone)
    }

    func testStreamingMultipartUploadKeepsMemoryFlat() async throws {
        let partSize = S3Client.minimumPartSize
        let total = 10 * partSize + 12345  // 80 MiB and a bit: eleven parts, the last short
        var generator = SplitMix64(seed: 42)
        var produced = 0, calls = 0, largestAsk = 0
        let expected256 = SHA256Stream(), expected512 = SHA512Stream()
        let baseline = PeakRSS.reset()
        let name = key("objects/big")
        let result = try await client.upload(key: name, lock: soon) { buffer in
            calls += 1
            largestAsk = max(largestAsk, buffer.count)
            let count = min(buffer.count, total - produced, 1_000_003)  // a short read now and then
            for index in 0..<count { buffer[index] = UInt8(truncatingIfNeeded: generator.next()) }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            expected256.update(chunk)
            expected512.update(chunk)
            produced += count
            return count
        }
        let growth = PeakRSS.current() - baseline
        print("s3 streaming upload: \(total) bytes in \(result.parts) parts, \(calls) reads, peak RSS growth \(growth) bytes")
        XCTAssertEqual(result.parts, 11)
        XCTAssertEqual(result.size, UInt64(total))
        XCTAssertEqual(result.sha256, expected256.finish())
        XCTAssertEqual(result.sha512, expected512.finish())
        XCTAssertTrue(result.etag.hasSuffix("-11"), result.etag)
        XCTAssertLessThanOrEqual(largestAsk, partSize)
        XCTAssertGreaterThan(calls, 40)  // pulled in pieces, never slurped
        if baseline > 0 {
            // The parts in flight and the one being read, plus the HTTP client's and the allocator's slack; the
            // object is 80 MiB.
            XCTAssertLessThan(growth, (S3Client.partsInFlight + 3) * partSize, "peak RSS grew by \(growth) bytes")
        }
        let readBaseline = PeakRSS.reset()
        let check = try await client.readBack(key: name, versionID: result.versionID, size: result.size,
                                              sha256: result.sha256, sha512: result.sha512)
        let readGrowth = PeakRSS.current() - readBaseline
        print("s3 read-back: \(result.size) bytes, peak RSS growth \(readGrowth) bytes")
        XCTAssertTrue(check.matches, "\(check.mismatches)")
        if readBaseline > 0 { XCTAssertLessThan(readGrowth, partSize, "the read-back streams") }
        XCTAssertEqual(try server.peerSHA256(bucket, name, result.versionID), Hex.encode(result.sha256))
        let retention = try await client.getObjectRetention(key: name, versionID: result.versionID)
        XCTAssertEqual(retention, soon)
        XCTAssertEqual(try server.peerRetention(bucket, name, result.versionID),
                       "GOVERNANCE \(UTCTime.format(soon.retainUntil))")
        let uploads = try await client.listMultipartUploads(prefix: name)
        XCTAssertEqual(uploads, [])
    }

    func testASmallStreamIsOnePutAndAFailingReaderAbortsTheUpload() async throws {
        let small = try await client.upload(key: key("small"), lock: soon) { buffer in 0 }
        XCTAssertEqual(small.parts, 0)
        XCTAssertEqual(small.size, 0)
        XCTAssertEqual(Hex.encode(small.sha256), SigV4Signer.emptyPayloadHash)

        var served = 0
        do {
            _ = try await client.upload(key: key("broken"), lock: soon) { buffer in
                guard served < 2 * S3Client.minimumPartSize else {
                    throw AmanaError(.inputUnreadable, "the source went away")
                }
                served += buffer.count
                return buffer.count
            }
            XCTFail("a failing reader must fail the upload")
        } catch {
            XCTAssertEqual((error as? AmanaError)?.reason, "the source went away")
        }
        let uploads = try await client.listMultipartUploads(prefix: key("broken"))
        XCTAssertEqual(uploads, [], "the failed upload was aborted")
    }

    func testAbortedUploadsLeaveTheList() async throws {
        let name = key("objects/interrupted")
        let upload = try await client.createMultipartUpload(key: name, lock: soon)
        let etag = try await client.uploadPart(key: name, uploadID: upload, partNumber: 1, bytes: bytes(2048, seed: 6))
        XCTAssertEqual(etag, Hex.encode(Array(Insecure.MD5.hash(data: bytes(2048, seed: 6)))))
        let listed = try await client.listMultipartUploads(prefix: client.location.prefix)
        XCTAssertEqual(listed.map(\.uploadID), [upload])
        XCTAssertEqual(listed.first?.key, name)
        try await client.abortMultipartUpload(key: name, uploadID: upload)
        let after = try await client.listMultipartUploads(prefix: client.location.prefix)
        XCTAssertEqual(after, [])
        try await client.abortMultipartUpload(key: name, uploadID: upload)  // already gone: not an error
    }

    func testKeysWithReservedAndNonASCIICharactersRoundTrip() async throws {
        // The path is signed as S3 encodes it and sent in exactly that form; boto3 finds the same key.
        for name in ["a b/c+d=e&f", "x$y@z:w,(1)!*'", "ü-日本/€~_.-", "q?r#s%t"] {
            let full = key(name)
            let put = try await client.putObject(key: full, bytes: Array(name.utf8), lock: nil)
            var read = [UInt8]()
            try await client.getObject(key: full, versionID: put.versionID) { read += $0 }
            XCTAssertEqual(read, Array(name.utf8), name)
            let peer = try server.peerVersions(bucket, full)
            XCTAssertTrue(peer.contains { $0.key == full && $0.versionId == put.versionID && $0.isLatest }, "\(peer)")
        }
        let listed = try await client.listObjects(prefix: client.location.prefix + "/")
        XCTAssertEqual(listed.count, 4)
    }

    func testListsPaginate() async throws {
        for index in 0..<5 { _ = try await client.putObject(key: key("list/\(index)"), bytes: [UInt8(index)], lock: nil) }
        _ = try await client.putObject(key: key("list/0"), bytes: [9, 9], lock: nil)
        let objects = try await client.listObjects(prefix: key("list/"), maxKeys: 2)
        XCTAssertEqual(objects.map(\.key), (0..<5).map { key("list/\($0)") })
        XCTAssertEqual(objects.first?.size, 2)
        let versions = try await client.listObjectVersions(prefix: key("list/"), maxKeys: 2)
        XCTAssertEqual(versions.count, 6)
        XCTAssertEqual(versions.filter(\.isLatest).count, 5)
    }

    func testTheBlockingBridgeFromAPlainThread() throws {
        // XCTest runs a synchronous test on the main thread, outside any task: the callers the bridge is for.
        var left = 3000
        let put = try client.uploadBlocking(key: key("blocking"), lock: soon) { buffer in
            let count = min(left, buffer.count, 1000)
            buffer.initializeMemory(as: UInt8.self, repeating: 0x61)
            left -= count
            return count
        }
        var read = [UInt8]()
        try client.getObjectBlocking(key: key("blocking"), versionID: put.versionID) { read += $0 }
        XCTAssertEqual(read, Array(repeating: 0x61, count: 3000))
        let versioning = try S3Blocking.run { [client] in try await client!.getBucketVersioning() }
        XCTAssertEqual(versioning, .enabled)
    }

    func testUploadFromAFileDescriptor() async throws {
        let folder = TemporaryFolder("amana-s3")
        let content = bytes(S3Client.minimumPartSize + 4097, seed: 7)
        let path = try folder.write("source.bin", content)
        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let result = try await client.upload(key: key("from-fd"), lock: soon, fileDescriptor: fd)
        XCTAssertEqual(result.parts, 2)
        XCTAssertEqual(result.size, UInt64(content.count))
        XCTAssertEqual(result.sha256, Crypto_SHA256(content))
        XCTAssertEqual(result.sha512, Array(SHA512.hash(data: content)))
        XCTAssertEqual(try server.peerSHA256(bucket, key("from-fd"), result.versionID), Hex.encode(Crypto_SHA256(content)))
    }

    func testAServerThatNeverAnswersTimesOutWithOneLine() async throws {
        // A socket that listens and never reads: the kernel completes the connection, nothing answers.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        XCTAssertTrue(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        var timeouts = S3Client.Timeouts()
        timeouts.read = .seconds(1)
        try await assertUnreachable("http://127.0.0.1:\(port)", timeouts: timeouts, within: 10, saying: "timed out")
    }

    /// A request to `endpoint` fails at once as `s3.unreachable`, in one clean line saying `why`.
    func assertUnreachable(_ endpoint: String, timeouts: S3Client.Timeouts = S3Client.Timeouts(),
                           within seconds: TimeInterval, saying why: String,
                           file: StaticString = #filePath, line: UInt = #line) async throws {
        let unreachable = S3Client(location: try S3Location.parse("s3://bucket", endpoint: endpoint, region: server.region),
                                   credentials: server.credentials, timeouts: timeouts)
        let started = Date()
        do {
            _ = try await unreachable.getBucketVersioning()
            XCTFail("\(endpoint) answered", file: file, line: line)
        } catch {
            let error = assertClean(error, file: file, line: line)
            XCTAssertEqual(error?.code, S3Failure.unreachable, file: file, line: line)
            XCTAssertEqual(error?.reason, "s3: cannot reach \(endpoint): \(why) (GET versioning of s3://bucket)",
                           file: file, line: line)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), seconds, file: file, line: line)
        try await unreachable.shutdown()
    }

    func testErrorsAreOneLineAndNeverCarryTheSecret() async throws {
        // A wrong secret: the server refuses the signature.
        let wrongSecret = "Wr0ngSecretKeyThatMustNotLeak/" + UUID().uuidString
        let badClient = S3Client(location: client.location, credentials: S3Credentials(
            accessKeyID: server.credentials.accessKeyID, secretAccessKey: wrongSecret))
        do {
            _ = try await badClient.putObject(key: key("x"), bytes: [1], lock: nil)
            XCTFail("a wrong secret was accepted")
        } catch {
            let error = assertClean(error)
            XCTAssertFalse(error?.reason.contains(wrongSecret) ?? true)
            XCTAssertTrue(error?.reason.contains("SignatureDoesNotMatch") ?? false, error?.reason ?? "")
        }
        try await badClient.shutdown()

        // A bucket that does not exist.
        let other = S3Client(location: try S3Location.parse("s3://amana-no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())",
                                                            endpoint: server.endpoint, region: server.region),
                             credentials: server.credentials)
        do {
            _ = try await other.getBucketVersioning()
            XCTFail("a missing bucket answered")
        } catch { XCTAssertEqual(assertClean(error)?.code, S3Failure.notFound) }
        try await other.shutdown()

        // Nobody listening: one clear line, quickly.
        try await assertUnreachable("http://127.0.0.1:9", within: 5, saying: "connection refused")
    }
}

/// Peak resident memory of this process (VmHWM), which writing 5 to /proc/self/clear_refs resets.
enum PeakRSS {
    /// Resets the peak and returns the current RSS, or 0 when the reset is not allowed here.
    static func reset() -> Int {
        guard FileManager.default.isWritableFile(atPath: "/proc/self/clear_refs"),
              (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .ascii)) != nil
        else { return 0 }
        return field("VmRSS")
    }

    static func current() -> Int { field("VmHWM") }

    static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
              let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kib * 1024
    }
}

/// Independent streaming digests (swift-crypto directly, not MultiDigest) for the expected values.
final class SHA256Stream {
    private var hash = SHA256()
    func update(_ bytes: UnsafeRawBufferPointer) { hash.update(bufferPointer: bytes) }
    func finish() -> [UInt8] { Array(hash.finalize()) }
}

final class SHA512Stream {
    private var hash = SHA512()
    func update(_ bytes: UnsafeRawBufferPointer) { hash.update(bufferPointer: bytes) }
    func finish() -> [UInt8] { Array(hash.finalize()) }
}
