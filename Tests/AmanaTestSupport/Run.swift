import AmanaKit
import Foundation

/// The result of running a program to completion.
package struct RunResult: CustomStringConvertible {
    package let status: Int32
    package let stdout: String
    package let stderr: String

    package var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Runs a program with arguments (no shell), optional stdin and extra environment, and waits for it.
@discardableResult
package func runTool(_ executable: String, _ arguments: [String], stdin: String? = nil,
                environment: [String: String] = [:], in directory: String? = nil) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty program cannot fill one and block.
    let errBox = Locked(Data())
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errBox.set(err.fileHandleForReading.readDataToEndOfFile())
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let errData = errBox.value
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}

/// Runs the built `amana` binary.
@discardableResult
package func amana(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                  in directory: String? = nil) throws -> RunResult {
    try runTool(TestEnvironment.amanaBinary, arguments, stdin: stdin, environment: environment, in: directory)
}
