import AmanaTestSupport
import Foundation
import XCTest

/// Bytes around a compressed tar that no signature covers: junk after the gzip member or zstd frame, a second member
/// or frame, a skippable frame, a second layer of compression. Decoders pass over most of these in silence, so each
/// must be TOTAL-FAILED (`archive.trailing-data`, bundle.md section 3), while the real tools' own output, including
/// the zero padding bsdtar adds when it writes to a pipe, still verifies.
///
/// The compressed files are made by the real `gzip`, `zstd` and `bsdtar` from a bundle sealed by `amana seal`.
final class CompressedTrailingDataTests: XCTestCase {
    private var fixture: CLIFixture!
    private var bundle = ""

    override func setUpWithError() throws {
        fixture = try CLIFixture()
        bundle = try fixture.sealSample()
    }

    // MARK: Making inputs with the real tools

    /// `gzip -n -c bundle`: one member, as `gzip bundle.tar` writes it (without the name and time, to be repeatable).
    private func gzip(_ input: String? = nil) throws -> [UInt8] {
        try compress(["gzip", "-n", "-c"], input ?? bundle)
    }

    /// `zstd -q -c bundle`: one frame, with its content checksum.
    private func zstd(_ input: String? = nil) throws -> [UInt8] {
        try compress(["zstd", "-q", "-c"], input ?? bundle)
    }

    private func compress(_ command: [String], _ input: String) throws -> [UInt8] {
        let tool = try TestEnvironment.requireTool(command[0])
        let output = fixture.folder.file("compressed-\(UUID().uuidString)")
        let result = try runTool("/bin/sh", ["-c", "exec \"$0\" \"$@\" > \"\(output)\"", tool] + command.dropFirst() + [input])
        XCTAssertEqual(result.status, 0, "\(command[0]) failed: \(result)")
        return try readBytes(output)
    }

    /// Compresses a few bytes on their own: a complete member or frame of its own.
    private func compressed(_ text: String, with compressor: (String) throws -> [UInt8]) throws -> [UInt8] {
        try compressor(try fixture.folder.write("small-\(UUID().uuidString).txt", text))
    }

    private func write(_ bytes: [UInt8], _ suffix: String) throws -> String {
        try fixture.folder.write("bundle-\(UUID().uuidString).\(suffix)", bytes)
    }

    // MARK: Assertions

    private func assertVerifies(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (status, report) = try fixture.verifyJSON(path)
        XCTAssertEqual(status, 0, "\(report.findings.filter { $0.status != "passed" })", file: file, line: line)
        XCTAssertEqual(report.verdict, "TOTAL-PASSED", file: file, line: line)
    }

    /// Exit 1, TOTAL-FAILED, and `archive.trailing-data` as the only failure: the bundle inside is intact, so every
    /// other check still runs and passes.
    @discardableResult
    private func assertTrailingData(_ bytes: [UInt8], _ suffix: String, file: StaticString = #filePath,
                                    line: UInt = #line) throws -> String {
        let (status, report) = try fixture.verifyJSON(try write(bytes, suffix))
        XCTAssertEqual(status, 1, "\(report.findings.filter { $0.status != "passed" })", file: file, line: line)
        XCTAssertEqual(report.verdict, "TOTAL-FAILED", file: file, line: line)
        XCTAssertEqual(report.codes("failed"), ["archive.trailing-data"], file: file, line: line)
        XCTAssertTrue(report.codes("passed").contains("payload.digests"), "\(report.codes("passed"))", file: file, line: line)
        return report.findings.first { $0.code == "archive.trailing-data" }?.message ?? ""
    }

    // MARK: Clean output of the real tools

    func testCleanGzipAndZstdBundlesVerify() throws {
        try assertVerifies(try write(try gzip(), "tar.gz"))
        try assertVerifies(try write(try zstd(), "tar.zst"))
    }

    /// `bsdtar -czf -` pads its compressed output with zeros to a whole 10240-byte record; gzip ignores them, and so
    /// does Amana: zeros can carry nothing.
    func testTheZeroPaddingBsdtarWritesToAPipeVerifies() throws {
        let raw = try compress(["bsdtar", "-czf", "-"], "@" + bundle)
        XCTAssertEqual(raw.count % 10240, 0, "bsdtar no longer pads to a record; this test no longer tests padding")
        XCTAssertEqual(raw.last, 0)
        try assertVerifies(try write(raw, "tar.gz"))
        try assertVerifies(try write(try zstd() + [UInt8](repeating: 0, count: 4096), "tar.zst"))
    }

    // MARK: Junk after the stream

    func testJunkAfterAGzipMemberIsTrailingData() throws {
        let clean = try gzip()
        let junk = Array("PK\u{5}\u{6} the end of a zip directory could hide here".utf8)
        let message = try assertTrailingData(clean + junk, "tar.gz")
        XCTAssertTrue(message.hasPrefix("\(junk.count) bytes follow the end of the gzip stream at byte \(clean.count)"),
                      message)
        // Zeros first, then something else: the zeros do not excuse what follows them.
        try assertTrailingData(clean + [UInt8](repeating: 0, count: 3000) + [1], "tar.gz")
    }

    func testJunkAfterAZstdFrameIsTrailingData() throws {
        let clean = try zstd()
        let junk = Array("junk after the frame".utf8)
        let message = try assertTrailingData(clean + junk, "tar.zst")
        XCTAssertTrue(message.hasPrefix("\(junk.count) bytes follow the end of the zstd stream at byte \(clean.count)"),
                      message)
    }

    // MARK: A second member or frame

    /// A second gzip member is legal gzip, and every decoder joins it to the first. But it is outside the signed tar
    /// either way: with data, that data follows the end-of-archive marker; empty, its header fields (name, comment,
    /// extra) can still carry any bytes, which no decoder shows.
    func testASecondGzipMemberIsTrailingData() throws {
        let clean = try gzip()
        try assertTrailingData(clean + (try compressed("a second member", with: { try gzip($0) })), "tar.gz")
        let message = try assertTrailingData(clean + (try compressed("", with: { try gzip($0) })), "tar.gz")
        XCTAssertTrue(message.hasPrefix("the gzip stream is more than one member"), message)
    }

    func testASecondZstdFrameOrASkippableFrameIsTrailingData() throws {
        let clean = try zstd()
        let message = try assertTrailingData(clean + (try compressed("a second frame", with: { try zstd($0) })), "tar.zst")
        XCTAssertTrue(message.hasPrefix("another zstd frame follows the end of the zstd stream"), message)
        // A skippable frame (magic 0x184D2A50, length, bytes) is passed over by every zstd decoder.
        let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 5, 0, 0, 0] + Array("HELLO".utf8)
        try assertTrailingData(clean + skippable, "tar.zst")
    }

    /// The gzip trailer (CRC-32 and length) is held to the bytes delivered, which libarchive itself does not do:
    /// `gunzip` refuses a bundle whose trailer is wrong, so Amana must not call it intact.
    func testADamagedGzipTrailerIsReported() throws {
        var damaged = try gzip()
        damaged[damaged.count - 6] ^= 0x01  // inside the CRC-32
        let message = try assertTrailingData(damaged, "tar.gz")
        XCTAssertTrue(message.contains("or its trailer is damaged"), message)
    }

    // MARK: Two layers

    func testATarCompressedTwiceIsRefused() throws {
        let once = try write(try gzip(), "tar.gz")
        let (status, report) = try fixture.verifyJSON(try write(try gzip(once), "tar.gz.gz"))
        XCTAssertEqual(status, 1)
        XCTAssertEqual(report.codes("failed"), ["archive.format.invalid"])
        XCTAssertTrue(report.findings.contains { $0.message.contains("compressed 2 times (gzip inside gzip)") },
                      "\(report.findings.map(\.message))")
    }
}
