import Foundation
import XCTest

/// Where things are when tests run: the package root, the built `amana`, the outside tools and shared material.
package enum TestEnvironment {
    /// The package root, found from this file's path.
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The sample media that `make demo` seals.
    package static let sampleMedia = packageRoot.appendingPathComponent("fixtures/media/sample")

    /// `../shared/conformance` beside the checkout; absent in a user's clone.
    package static let conformance = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance")

    /// The `amana` binary built beside the test bundle (`swift build` puts both in one folder).
    package static var amanaBinary: String {
        if let override = ProcessInfo.processInfo.environment["AMANA_BIN"] { return override }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("amana"),
            Bundle.main.bundleURL.appendingPathComponent("amana"),
            packageRoot.appendingPathComponent(".build/debug/amana"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path ?? candidates[2].path
    }

    /// The release build of `amana` (`swift build -c release`, which `make test` runs), for the tests that hold it to
    /// time limits: what users run is the optimised build, and a debug build is ten to thirty times slower.
    package static var releaseBinary: String? {
        if let override = ProcessInfo.processInfo.environment["AMANA_RELEASE_BIN"] { return override }
        let path = packageRoot.appendingPathComponent(".build/release/amana").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Finds an outside tool on PATH or in the project's venv (where `make test` installs bagit.py).
    package static func tool(_ name: String) -> String? {
        var dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        dirs.append(packageRoot.appendingPathComponent(".venv/bin").path)
        for dir in dirs {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The tool's path, or an `XCTSkip` that names what is missing and how `make test` would install it.
    package static func requireTool(_ name: String) throws -> String {
        guard let path = tool(name) else {
            throw XCTSkip("\(name) is not installed; `make test` installs it (scripts/install-deps.sh)")
        }
        return path
    }

    package static func requireConformance(_ folder: String) throws -> URL {
        let url = conformance.appendingPathComponent(folder)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("conformance material \(url.path) is absent (it is outside the project); skipping")
        }
        return url
    }
}
