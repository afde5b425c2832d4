import AmanaKit
import Foundation

#if AMANA_FUZZER
/// The target named by AMANA_FUZZ_TARGET (libFuzzer owns the command line), looked up once, not per input.
private let selectedTarget: @Sendable ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["AMANA_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.all[name] else {
        fatalError("set AMANA_FUZZ_TARGET to one of \(FuzzTargets.names.joined(separator: ", "))")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func amanaFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    selectedTarget(bytes)
    return 0
}

/// libFuzzer's driver, `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*cb)(const uint8_t *, size_t))`.
/// SwiftPM links an executable's entry point as `amana_fuzz_main` (so tests can link the module), which keeps
/// libFuzzer's own `main` out; this `@main` hands control to the driver instead. Declared by symbol name because
/// the package has no C target for it; with pointer and integer arguments only, Swift's calling convention is C's.
@_silgen_name("LLVMFuzzerRunDriver")
private func runLibFuzzer(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
struct Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runLibFuzzer(&argc, &argv, { data, size in amanaFuzzOne(data, size) }))
    }
}
#else
/// Replays saved inputs through the same targets: `amana-fuzz TARGET FILE_OR_FOLDER...`.
///
/// Folders are read recursively, in name order. Each input's path is printed on stderr before it runs, so a crash
/// names its input. `amana-fuzz --list` prints the target names; `amana-fuzz make-seeds KEY DIR` writes the seeds
/// that only library code can make (see ``Seeds``).
@main
struct Replay {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--list" {
            print(FuzzTargets.names.joined(separator: "\n"))
            return
        }
        if arguments.first == "make-seeds", arguments.count == 3 {
            try Seeds.write(key: arguments[1], into: arguments[2])
            return
        }
        guard let name = arguments.first, let target = FuzzTargets.all[name] else {
            FileHandle.standardError.write(Data("""
                usage: amana-fuzz TARGET FILE_OR_FOLDER...   (or --list, or make-seeds KEY DIR)
                targets: \(FuzzTargets.names.joined(separator: ", "))

                """.utf8))
            exit(64)
        }
        var count = 0
        for file in arguments.dropFirst().flatMap(inputs) {
            FileHandle.standardError.write(Data("replay \(name) \(file)\n".utf8))
            target(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
            count += 1
        }
        print("replayed \(count) inputs through \(name)")
    }

    /// The files at `path`: itself, or every regular file below it, sorted.
    static func inputs(_ path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            return [path]
        }
        let names = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
        return names.map { "\(path)/\($0)" }.filter { candidate in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }
}
#endif
