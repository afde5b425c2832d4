@testable import AmanaKit
import Foundation

/// The fuzz targets, chosen by the environment variable AMANA_FUZZ_TARGET (libFuzzer owns the command line).
enum FuzzTargets {
    static let all: [String: ([UInt8]) -> Void] = [
        "seal-statement": { _ = try? SealStatement(parsing: $0) },
    ]
}

#if AMANA_FUZZER
@_cdecl("LLVMFuzzerTestOneInput")
public func amanaFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let name = ProcessInfo.processInfo.environment["AMANA_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.all[name] else { fatalError("set AMANA_FUZZ_TARGET to one of \(FuzzTargets.all.keys.sorted())") }
    target(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
/// Replays saved inputs: `amana-fuzz TARGET FILE...`.
@main
struct Replay {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTargets.all[name] else {
            print("usage: amana-fuzz TARGET FILE...   targets: \(FuzzTargets.all.keys.sorted().joined(separator: ", "))")
            exit(64)
        }
        for file in arguments.dropFirst() {
            target(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
        }
        print("replayed \(arguments.count - 1) inputs through \(name)")
    }
}
#endif
