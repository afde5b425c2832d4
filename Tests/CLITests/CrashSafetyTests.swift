import AmanaKit
import AmanaTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Crash safety: `amana seal`, `amana custody append` and `amana extract` are killed with SIGKILL at random points
/// while they write, and `amana seal` is run out of disk space. After every kill:
///
/// - nothing exists under the output name unless it verifies TOTAL-PASSED (rename is the last step, so an output that
///   exists must be complete);
/// - the same command, run again with the same arguments, succeeds (or, when the kill came after the rename, fails
///   cleanly with "already exists"), whatever `.amana-partial-*` leftovers the killed run left, and adds none;
/// - the sources (the files sealed, the bundle appended to or extracted) have the SHA-256 they had before.
///
/// The delays are drawn from a seeded generator; the seed is printed, and AMANA_CRASH_SEED replays a run.
final class CrashSafetyTests: XCTestCase {
    static let killsPerCommand = 20

    override class func tearDown() {
        Shared.release()
        super.tearDown()
    }

    func testSealKilledAtRandomPointsLeavesNoBundleOrACompleteOne() throws {
        let shared = try Shared.get()
        let output = shared.folder.file("sealed.tar")
        try killRepeatedly(
            "seal", arguments: ["seal"] + shared.sources + ["--key", shared.key, "--output", output],
            output: output, sources: shared.sources)
    }

    func testCustodyAppendKilledAtRandomPointsLeavesNoBundleOrACompleteOne() throws {
        let shared = try Shared.get()
        let output = shared.folder.file("appended.tar")
        try killRepeatedly(
            "custody append",
            arguments: ["custody", "append", shared.bundle, "--key", shared.key, "--action", "accessed",
                        "--note", "crash test", "--output", output],
            output: output, sources: [shared.bundle])
    }

    func testExtractKilledAtRandomPointsLeavesNoFolderOrACompleteOne() throws {
        let shared = try Shared.get()
        let output = shared.folder.file("extracted")
        try killRepeatedly(
            "extract", arguments: ["extract", shared.bundle, "--output", output, "--trust", shared.pub],
            output: output, sources: [shared.bundle])
    }

    // MARK: Full disk

    /// Mechanism: a 2 MiB tmpfs mounted for the test (we run as root). Where the sandbox refuses the mount, the
    /// test falls back to RLIMIT_FSIZE, like the next test, and says so in its output.
    func testSealOnAFullDiskFailsWithOneErrorAndLeavesNothing() throws {
        let scratch = try ScratchFolder("amana-full")
        let source = try scratch.write("evidence.bin", pseudoRandomBytes(3 << 20, seed: 7))
        let before = try sha256(source)
        let disk = scratch.file("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        var mounted = false
        var refusal = "mount is not installed"
        if let mount = TestEnvironment.tool("mount") {
            let attempt = try runTool(mount, ["-t", "tmpfs", "-o", "size=2m", "tmpfs", disk])
            mounted = attempt.status == 0
            refusal = attempt.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        defer {
            if mounted, let umount = TestEnvironment.tool("umount") { _ = try? runTool(umount, ["-l", disk]) }
        }
        let key = try makeKey(in: scratch)
        let arguments = ["seal", source, "--key", key, "--output", "\(disk)/bundle.tar"]
        let result: RunResult
        if mounted {
            print("full disk: mechanism = tmpfs of 2 MiB at \(disk)")
            result = try amana(arguments)
        } else {
            print("full disk: mount refused (\(refusal)); mechanism = RLIMIT_FSIZE of 1 MiB")
            result = try withFileSizeLimit(1024, arguments)
        }
        // The writer keeps the errno text, so the line names the reason, not libarchive's bare "write error".
        try assertCleanFailure(result, folder: disk, reason: mounted ? "no space left on device" : "file too large")
        XCTAssertEqual(try sha256(source), before, "the source changed")
    }

    /// Mechanism: RLIMIT_FSIZE (`ulimit -f`), always, because it also needs amana to ignore SIGXFSZ: with the
    /// default action the kernel kills the process at the limit and leaves a partial file behind.
    func testSealOverTheFileSizeLimitFailsWithOneErrorAndLeavesNothing() throws {
        let scratch = try ScratchFolder("amana-fsize")
        let source = try scratch.write("evidence.bin", pseudoRandomBytes(3 << 20, seed: 8))
        let out = scratch.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let key = try makeKey(in: scratch)
        let result = try withFileSizeLimit(1024, ["seal", source, "--key", key, "--output", "\(out)/bundle.tar"])
        try assertCleanFailure(result, folder: out, reason: "file too large")
    }

    private func makeKey(in scratch: ScratchFolder) throws -> String {
        let result = try amana(["keygen", "--output", scratch.file("disk-test"), "--unencrypted"])
        XCTAssertEqual(result.status, 0, "\(result)")
        return scratch.file("disk-test.key")
    }

    /// Runs amana under `ulimit -f BLOCKS` (1 KiB blocks). bash is exec'd by Foundation's Process, which resets
    /// signal dispositions to their defaults, so SIGXFSZ is not inherited as ignored.
    private func withFileSizeLimit(_ blocks: Int, _ arguments: [String]) throws -> RunResult {
        try runTool("/bin/bash", ["-c", "ulimit -f \(blocks) && exec \"$0\" \"$@\"", TestEnvironment.amanaBinary]
                    + arguments)
    }

    /// Exit 74, one error line naming the output and `reason` (the errno text), and nothing left in `folder`.
    private func assertCleanFailure(_ result: RunResult, folder: String, reason: String,
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(result.status, 74, "disk full is 'output could not be written'\n\(result)",
                       file: file, line: line)
        let lines = result.stderr.split(separator: "\n")
        let errors = lines.filter { $0.hasPrefix("amana: error: ") }
        XCTAssertEqual(errors.count, 1, "\(result)", file: file, line: line)
        XCTAssertEqual(errors.first.map(String.init), "amana: error: cannot write \(folder)/bundle.tar: \(reason)",
                       "the error names the output and why it could not be written\n\(result)", file: file, line: line)
        print("full disk: exit \(result.status), \(errors.first ?? "(no error line)")")
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("amana: error: ") || $0.hasPrefix("amana: hint: ") },
                      "\(result)", file: file, line: line)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [],
                       "no output and no partial file", file: file, line: line)
    }

    // MARK: Killing

    private func killRepeatedly(_ name: String, arguments: [String], output: String, sources: [String]) throws {
        let shared = try Shared.get()
        let before = try sources.map(sha256)
        let parent = POSIXPath.parent(output)

        // One undisturbed run: it must succeed; its length, and when its partial output appeared, set the delays.
        let (duration, writing) = try timedRun(arguments, watching: parent)
        try assertComplete(output, shared: shared)
        try FileManager.default.removeItem(atPath: output)

        var random = SplitMix64(seed: Shared.seed ^ UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
        var kills = 0, completedAnyway = 0, completeAfterKill = 0, leftovers = 0, attempts = 0
        while kills < CrashSafetyTests.killsPerCommand && attempts < 3 * CrashSafetyTests.killsPerCommand {
            attempts += 1
            // Half the kills come at a random point of the whole run. The other half wait until the partial output
            // appears and then a random part of the rest of the run, so that many kills land mid-write rather than
            // while the command reads and verifies (a timer alone misses that window: its start jitters by more
            // than the writing takes on a fast disk).
            let waitForOutput = attempts % 2 == 0
            let delay = random.nextUnit() * (waitForOutput ? duration - writing : duration)
            guard try runAndKill(arguments, after: delay, waitingForPartialIn: waitForOutput ? parent : nil) else {
                // It finished before the signal: an ordinary run, which must have left a complete output.
                completedAnyway += 1
                try assertComplete(output, shared: shared)
                try FileManager.default.removeItem(atPath: output)
                continue
            }
            kills += 1
            let context = "\(name), kill \(kills) \(String(format: "%.3f", delay)) s after "
                + "\(waitForOutput ? "the output appeared" : "the start") (seed \(Shared.seed))"
            let existed = FileManager.default.fileExists(atPath: output)
            if existed {
                completeAfterKill += 1
                try assertComplete(output, shared: shared, context)
            }
            let partials = try partialNames(in: parent)
            if !partials.isEmpty { leftovers += 1 }
            XCTAssertEqual(try sources.map(sha256), before, "sources changed: \(context)")

            // The same command again, with the leftovers still there.
            let again = try amana(arguments)
            if existed {
                XCTAssertEqual(again.status, 73, "an existing output is never overwritten: \(context)\n\(again)")
                XCTAssertTrue(again.stderr.hasPrefix("amana: error: "), "\(context)\n\(again)")
            } else {
                XCTAssertEqual(again.status, 0, "rerun after the kill: \(context)\n\(again)")
                // Verifying costs as much as the command itself; every fourth output is verified in full.
                if kills % 4 == 0 {
                    try assertComplete(output, shared: shared, context)
                } else {
                    XCTAssertTrue(FileManager.default.fileExists(atPath: output), context)
                }
            }
            XCTAssertTrue(try partialNames(in: parent).isSubset(of: partials), "the rerun left a partial: \(context)")
            try? FileManager.default.removeItem(atPath: output)
            for partial in partials { try? FileManager.default.removeItem(atPath: "\(parent)/\(partial)") }
        }
        XCTAssertGreaterThanOrEqual(kills, CrashSafetyTests.killsPerCommand,
                                    "\(name) finished before most kills; it ran \(duration) s")
        XCTAssertGreaterThan(leftovers, 0, "no kill landed while \(name) was writing its output")
        let seconds = { (value: TimeInterval) in String(format: "%.2f s", value) }
        print("crash safety: \(name): \(kills) kills over \(attempts) runs (normal run \(seconds(duration)), "
              + "output file from \(seconds(writing))); \(leftovers) kills left .amana-partial-* "
              + "leftovers, \(completeAfterKill) came after the rename (complete output), \(completedAnyway) runs "
              + "finished before the signal")
    }

    /// Runs the command undisturbed while watching `parent` every 2 ms: how long it takes, and when its
    /// `.amana-partial-*` output first appeared.
    private func timedRun(_ arguments: [String], watching parent: String) throws -> (TimeInterval, TimeInterval) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.amanaBinary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try process.run()
        var writing: TimeInterval?
        while process.isRunning {
            if writing == nil, !(try partialNames(in: parent)).isEmpty { writing = Date().timeIntervalSince(start) }
            usleep(2000)
        }
        process.waitUntilExit()
        let duration = Date().timeIntervalSince(start)
        if process.terminationStatus != 0 {
            XCTFail("the undisturbed run failed: \(try amana(arguments))")
        }
        return (duration, min(writing ?? 0, duration))
    }

    /// Starts amana, sends SIGKILL `delay` seconds after the start (or after a partial output appears in `folder`),
    /// and waits. True when the signal is what ended it.
    private func runAndKill(_ arguments: [String], after delay: TimeInterval,
                            waitingForPartialIn folder: String?) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.amanaBinary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let folder {
            while process.isRunning, try partialNames(in: folder).isEmpty { usleep(500) }
        }
        Thread.sleep(forTimeInterval: delay)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    /// The output verifies TOTAL-PASSED against the test key: a bundle tar, or an extracted folder.
    private func assertComplete(_ output: String, shared: Shared, _ context: String = "",
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try amana(["verify", output, "--trust", shared.pub])
        XCTAssertEqual(result.status, 0, "\(output) exists but does not verify: \(context)\n\(result)",
                       file: file, line: line)
    }

    private func partialNames(in folder: String) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".amana-partial-") })
    }

    // MARK: Shared inputs

    /// Three 20 MB sources, a key, and a bundle sealed from them, made once for all the tests. They live in /dev/shm
    /// where it exists: a kill is a process crash, not a power cut, so memory-backed files test the same thing
    /// without making every run wait for fsync on a disk other engineers share.
    private final class Shared {
        nonisolated(unsafe) private static var instance: Shared?
        static let seed: UInt64 = ProcessInfo.processInfo.environment["AMANA_CRASH_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64(UInt32.max))

        let folder: ScratchFolder
        let sources: [String]
        let key: String
        let pub: String
        let bundle: String

        static func release() { instance = nil }

        static func get() throws -> Shared {
            if let instance { return instance }
            print("crash safety: seed \(seed) (set AMANA_CRASH_SEED to replay)")
            let made = try Shared()
            instance = made
            return made
        }

        private init() throws {
            let folder = try ScratchFolder("amana-crash", preferMemory: true)
            self.folder = folder
            sources = try (1...3).map {
                try folder.write("sources/evidence-\($0).bin", pseudoRandomBytes(20_000_000, seed: UInt64($0)))
            }
            let keygen = try amana(["keygen", "--output", folder.file("crash"), "--unencrypted"])
            guard keygen.status == 0 else { throw XCTSkip("keygen failed: \(keygen)") }
            key = folder.file("crash.key")
            pub = folder.file("crash.pub")
            bundle = folder.file("bundle.tar")
            let sealed = try amana(["seal"] + sources + ["--key", key, "--output", bundle])
            guard sealed.status == 0 else { throw XCTSkip("seal failed: \(sealed)") }
        }
    }
}

/// A fresh folder, in /dev/shm when asked and available, else the system temp folder; removed when released.
private final class ScratchFolder {
    let path: String

    init(_ label: String, preferMemory: Bool = false) throws {
        let memory = preferMemory && FileManager.default.isWritableFile(atPath: "/dev/shm")
        let base = memory ? "/dev/shm" : NSTemporaryDirectory()
        var template = Array("\(base)/\(label).XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw XCTSkip("cannot create a scratch folder in \(base)")
        }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(atPath: POSIXPath.parent(target), withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }
}

private enum POSIXPath {
    static func parent(_ path: String) -> String { (path as NSString).deletingLastPathComponent }
}

/// SplitMix64: a tiny seeded generator, so a failing schedule of kills can be replayed.
private struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// Bytes that do not compress and differ per seed, made fast (8 bytes per step).
private func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { buffer in
        var offset = 0
        while offset < count {
            var word = generator.next()
            let n = min(8, count - offset)
            withUnsafeBytes(of: &word) {
                buffer.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: n)
            }
            offset += n
        }
    }
    return bytes
}

private func sha256(_ path: String) throws -> [UInt8] {
    MultiDigest.digests(of: try readBytes(path), [.sha256])[.sha256]!.bytes
}
