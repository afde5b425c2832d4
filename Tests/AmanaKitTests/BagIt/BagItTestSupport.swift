import XCTest

@testable import AmanaKit

#if canImport(Glibc)
import Glibc
#endif

/// Helpers for the BagIt tests. Everything here is prefixed `BagIt` so it cannot clash with other test folders.
enum BagItTestSupport {
    /// The LoC conformance suite, outside the project: `<package root>/../shared/conformance/bagit`.
    static var conformanceRoot: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // <root>/Tests/AmanaKitTests/BagIt/BagItTestSupport.swift: drop four components to reach <root>.
        parts.removeLast(4)
        return parts.joined(separator: "/") + "/../shared/conformance/bagit"
    }

    /// An inventory as a container reader would make it, from path → bytes. Payload files are hashed with
    /// `payloadAlgorithms`; tag files with every algorithm and keep their bytes.
    static func inventory(
        _ files: [String: [UInt8]], payloadAlgorithms: Set<DigestAlgorithm> = [.sha256, .sha512],
        directories: Set<String> = ["data"]
    ) -> BagInventory {
        var inventory = BagInventory()
        inventory.payloadAlgorithms = payloadAlgorithms
        inventory.directories = directories
        for (path, bytes) in files {
            let payload = path.utf8.starts(with: "data/".utf8)
            let algorithms = payload ? payloadAlgorithms.sorted() : DigestAlgorithm.allCases
            inventory.files[path] = BagInventory.File(
                size: UInt64(bytes.count), digests: MultiDigest.digests(of: bytes, algorithms),
                contents: payload ? nil : bytes)
        }
        return inventory
    }

    /// A well-formed BagIt 1.0 bag (sha256 + sha512 manifests, bag-info with Payload-Oxum, tag manifests) holding
    /// `payload` (paths relative to `data/`), as path → bytes.
    static func validBag(_ payload: [String: String] = ["a.txt": "alpha\n", "sub/b.txt": "bravo\n"]) -> [String: [UInt8]] {
        var files = [String: [UInt8]]()
        for (name, text) in payload { files["data/" + name] = Array(text.utf8) }
        var info = BagInfo()
        info.payloadOxum = PayloadOxum(
            octetCount: UInt64(files.values.reduce(0) { $0 + $1.count }), streamCount: UInt64(files.count))
        files["bagit.txt"] = BagDeclaration().serialized()
        info.baggingDate = BaggingDate("2024-02-29")
        files["bag-info.txt"] = try! info.serialized()
        for algorithm in DigestAlgorithm.sealDefault {
            var manifest = Manifest(kind: .payload, algorithm: algorithm)
            for (path, bytes) in files where path.hasPrefix("data/") {
                try! manifest.add(path: path, digest: MultiDigest.digests(of: bytes, [algorithm])[algorithm]!)
            }
            files[manifest.fileName] = manifest.serialized()
        }
        for algorithm in DigestAlgorithm.sealDefault {
            var manifest = Manifest(kind: .tag, algorithm: algorithm)
            for (path, bytes) in files where !path.hasPrefix("data/") && !path.hasPrefix("tagmanifest-") {
                try! manifest.add(path: path, digest: MultiDigest.digests(of: bytes, [algorithm])[algorithm]!)
            }
            files[manifest.fileName] = manifest.serialized()
        }
        return files
    }

    /// The findings of `check` with `status`.
    static func codes(_ findings: [Finding], _ status: Finding.Status) -> [String] {
        findings.filter { $0.status == status }.map(\.code)
    }

    /// A fresh, empty temporary folder; removed by `removeTree`.
    static func makeTemporaryFolder() throws -> String {
        var template = Array("/tmp/amana-bagit-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw XCTSkip("cannot create a temporary folder")
        }
        return String(cString: made)
    }

    /// Writes `files` (path → bytes, parent folders made as needed) below `root`.
    static func write(_ files: [String: [UInt8]], to root: String) throws {
        for (path, bytes) in files {
            var folder = root
            for component in path.split(separator: "/").dropLast() {
                folder += "/" + component
                mkdir(folder, 0o755)
            }
            let fd = open(root + "/" + path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            XCTAssertGreaterThanOrEqual(fd, 0, "cannot create \(path)")
            _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
    }

    /// Removes a folder this test made.
    static func removeTree(_ root: String) {
        try? FileManager.default.removeItem(atPath: root)
    }
}
