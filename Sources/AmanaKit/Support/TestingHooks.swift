/// The internals the shared test support (Tests/AmanaTestSupport) needs, and nothing else uses.
///
/// AmanaTestSupport is a regular target, so `swift build -c release` builds it, and a release build refuses
/// `@testable import`. With `package` access these build in every configuration and stay out of the public API.
package enum TestingHooks {
    /// Every entry of a bundle tar (plain or compressed), in archive order, as Amana's own strict reader reads it:
    /// its path, whether it is a folder, and its bytes.
    package static func tarEntries(_ path: String) throws -> [(path: String, isDirectory: Bool, contents: [UInt8])] {
        let reader = try TarReader(path: path)
        var entries = [(path: String, isDirectory: Bool, contents: [UInt8])]()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while let entry = try reader.next() {
            var contents = [UInt8]()
            while true {
                let n = try reader.readData(into: buffer)
                if n == 0 { break }
                contents += buffer[..<n]
            }
            entries.append((entry.path ?? entry.displayPath, entry.kind == .directory, contents))
        }
        return entries
    }
}
