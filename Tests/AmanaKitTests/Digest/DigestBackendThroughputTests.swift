@testable import AmanaKit
import Foundation
import XCTest

/// Throughput of every digest back end, and of the pipeline with two digests, on this machine: the measurements
/// behind ``StreamingHasher/library(for:)``. Skipped unless `AMANA_BENCH_BACKENDS=1`, because it hashes gigabytes:
///
///     AMANA_BENCH_BACKENDS=1 swift test --disable-swift-testing --filter DigestBackendThroughputTests
///
/// The hashing loops are the libraries' own optimised code (BoringSSL's and OpenSSL's assembly, libsodium's C), so
/// a debug build measures them as a release build would.
final class DigestBackendThroughputTests: XCTestCase {
    private let chunk = 4 << 20
    private let total = 1 << 30
    private let runs = 3

    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["AMANA_BENCH_BACKENDS"] == "1",
                          "set AMANA_BENCH_BACKENDS=1 to measure the digest back ends")
    }

    private func data() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<(64 << 20) / 8).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
    }

    /// GB/s, median of `runs`, hashing `total` bytes in `chunk`-sized updates from a 64 MiB buffer.
    private func measure(_ body: (UnsafeRawBufferPointer) -> Void, over buffer: [UInt8]) -> (Double, [Double]) {
        var rates = [Double]()
        buffer.withUnsafeBytes { raw in
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                var done = 0
                while done < total {
                    let offset = done % raw.count
                    body(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + chunk]))
                    done += chunk
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                rates.append(Double(total) / seconds / 1e9)
            }
        }
        return (rates.sorted()[runs / 2], rates)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }

    private func two(_ value: Double) -> String { String(format: "%.2f", value) }

    func testBackEndThroughput() {
        let buffer = data()
        var lines = ["digest back ends, 1 GiB in 4 MiB updates, GB/s (median of \(runs); all runs)"]
        for algorithm in [DigestAlgorithm.sha256, .sha512, .blake2b512] {
            for library in HashLibrary.allCases {
                guard let backend = StreamingHasher.backend(algorithm, from: library) else { continue }
                let (median, all) = measure({ backend.update($0) }, over: buffer)
                let chosen = StreamingHasher.library(for: algorithm) == library ? "  (chosen)" : ""
                lines.append("  \(pad(algorithm.rawValue, 11))\(pad(library.rawValue, 13))\(two(median))  [\(all.map(two).joined(separator: " "))]\(chosen)")
            }
        }
        for set in DigestChoice.allowed {
            var rates = [Double]()
            for _ in 0..<runs {
                let multi = MultiDigest(set)
                var done = 0
                let start = DispatchTime.now().uptimeNanoseconds
                try! buffer.withUnsafeBytes { raw in
                    try multi.consume(reading: { slot in
                        guard done < total else { return 0 }
                        let offset = done % raw.count
                        slot.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + slot.count]))
                        done += slot.count
                        return slot.count
                    })
                }
                rates.append(Double(total) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) / 1e9)
            }
            lines.append("  pipeline \(pad(DigestChoice.spelling(set), 21))\(two(rates.sorted()[runs / 2]))  [\(rates.map(two).joined(separator: " "))]")
        }
        print(lines.joined(separator: "\n"))
    }
}
