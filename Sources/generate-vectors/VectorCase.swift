import AmanaKit
import Foundation

/// One test vector: a folder holding the input, the trust inputs in `trust/`, and `expected.json` (the format is
/// defined in fixtures/vectors/README.md). The expectation is written here by a person, from the spec, never
/// recorded from amana's output: a vector that merely repeats what amana said could not fail.
struct VectorCase {
    /// The input the command reads, stored in the case folder under this name.
    enum Input {
        case tar([UInt8], name: String = "bundle.tar")
        /// An extracted bundle: the folder's name (the bundle's root folder), then paths inside it with their bytes.
        case folder(String, [(String, [UInt8])])
    }

    var family: String
    var name: String
    var comment: String
    var command = ["verify"]
    var input: Input
    /// Files in `trust/`, each passed as `--trust trust/NAME` in this order. `signer.pub` and `other.pub` are copied
    /// from the shared keys; any other name must be given in `files`.
    var trust = ["signer.pub"]
    /// Files in `trust/` passed as `--tsa-root trust/NAME`.
    var tsaRoots = [String]()
    /// The validation time (`--at`); every case gives one so that its result never depends on the day it runs.
    var at: String? = VectorCase.defaultValidationTime
    /// Arguments placed before the trust arguments (e.g. `--receipt receipt.json`).
    var extraArguments = [String]()
    /// Further files of the case folder, by relative path (e.g. `trust/team.keyring`, `receipt.json`).
    var files = [String: [UInt8]]()
    var verdict: String?
    /// The exact set of codes whose status is not `passed`.
    var codes: [String]
    /// Set only for a usage or input error, which has no report.
    var exitOverride: Int32?
    /// Receipt cases: members `custody show --json` must print in its `receipt` object (flags, recipient, length).
    var receiptFlags: [String: Any]?
    /// Leaves the input out of the folder (a case about a missing input).
    var omitInput = false
    /// A known divergence between this honest expectation and amana (see fixtures/vectors/README.md).
    var xfail: String?

    static let defaultValidationTime = "2026-06-01T00:00:00Z"

    init(_ family: String, _ name: String, _ comment: String, input: Input, verdict: String?, codes: [String]) {
        self.family = family
        self.name = name
        self.comment = comment
        self.input = input
        self.verdict = verdict
        self.codes = codes
    }

    var exit: Int32 {
        if let exitOverride { return exitOverride }
        switch verdict {
        case "TOTAL-PASSED": return 0
        case "TOTAL-FAILED": return 1
        default: return 2
        }
    }

    var inputPath: String {
        switch input {
        case .tar(_, let name): return name
        case .folder(let name, _): return name
        }
    }

    var arguments: [String] {
        var arguments = [inputPath] + extraArguments
        for file in trust { arguments += ["--trust", "trust/\(file)"] }
        for file in tsaRoots { arguments += ["--tsa-root", "trust/\(file)"] }
        if let at { arguments += ["--at", at] }
        return arguments
    }

    func write(under root: URL, keys: VectorKeys) throws {
        let folder = root.appendingPathComponent(family).appendingPathComponent(name)
        precondition(!FileManager.default.fileExists(atPath: folder.path), "two vectors named \(family)/\(name)")
        switch input {
        case .tar(_, _) where omitInput:
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        case .tar(let bytes, let name):
            try writeFile(bytes, folder.appendingPathComponent(name))
        case .folder(let name, let entries):
            for (path, bytes) in entries { try writeFile(bytes, folder.appendingPathComponent("\(name)/\(path)")) }
        }
        // A name starting with "absent" is a trust input that deliberately does not exist.
        for file in trust + tsaRoots where files["trust/\(file)"] == nil && !file.hasPrefix("absent") {
            guard let bytes = keys.publicFile(file) else { preconditionFailure("\(family)/\(name): no trust file \(file)") }
            try writeFile(bytes, folder.appendingPathComponent("trust/\(file)"))
        }
        for (path, bytes) in files { try writeFile(bytes, folder.appendingPathComponent(path)) }
        var document: [String: Any] = [
            "comment": comment, "command": command, "arguments": arguments, "exit": Int(exit),
            "verdict": verdict ?? NSNull(), "codes": codes.sorted(),
        ]
        if let receiptFlags { document["receipt"] = receiptFlags }
        if let xfail { document["xfail"] = xfail }
        try writeJSON(document, folder.appendingPathComponent("expected.json"))
    }
}

func writeFile(_ bytes: [UInt8], _ path: URL) throws {
    try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: path)
}

func writeJSON(_ object: [String: Any], _ path: URL) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    try writeFile(Array(data) + [10], path)
}

func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Runs a program (no shell) and returns its standard output; the generator stops if it fails.
@discardableResult
func run(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe(), input = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardInput = input
    process.standardError = errors
    try process.run()
    let writer = Thread {
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try? input.fileHandleForWriting.close()
    }
    writer.start()
    // Standard error is read on its own thread, so that a chatty tool cannot fill one pipe and block.
    let errorText = Locked(Data())
    let done = DispatchSemaphore(value: 0)
    let reader = Thread {
        errorText.set(errors.fileHandleForReading.readDataToEndOfFile())
        done.signal()
    }
    reader.start()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    done.wait()
    guard process.terminationStatus == 0 else {
        throw GeneratorError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
                             + String(decoding: errorText.value, as: UTF8.self))
    }
    return Array(data)
}

struct GeneratorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
