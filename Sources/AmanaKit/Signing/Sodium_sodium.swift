import CSodium

/// libsodium's process-wide setup and its two small utilities, randomness and wiping.
///
/// Everything else that touches libsodium lives in its own `*_sodium.swift` file; this one only makes sure the
/// library is initialised before use.
enum Sodium {
    /// `sodium_init` must run before libsodium's random generator is used. A `static let` initialiser runs exactly
    /// once, under Swift's own lock, so concurrent first callers are safe; later calls cost one load.
    /// `sodium_init` returns 0 on success and 1 when already initialised; only -1 is a failure.
    private static let initialisation: Int32 = sodium_init()

    /// Initialises libsodium if needed. Returns false only if libsodium could not start, which the throwing
    /// operations turn into an error; verification does not need the random generator and goes on regardless.
    @discardableResult
    static func initialize() -> Bool {
        initialisation >= 0
    }

    /// For operations that need randomness or must not run on a half-started library.
    static func requireInitialized() throws {
        guard initialize() else {
            throw AmanaError(.internalFailure, "libsodium could not be initialised")
        }
    }

    /// Fills a new array with `count` bytes from the operating system's secure random generator.
    static func randomBytes(_ count: Int) throws -> [UInt8] {
        try requireInitialized()
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 {
                randombytes_buf(base, buffer.count)
            }
        }
        return out
    }

    /// Overwrites `buffer` with zeros in a way the compiler may not optimise away.
    static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        if let base = buffer.baseAddress, buffer.count > 0 {
            sodium_memzero(base, buffer.count)
        }
    }

    /// Zeroes an array that held secret bytes. Best effort: copies Swift made earlier are out of reach, which is why
    /// long-lived secrets live in ``SecretBytes`` instead.
    static func wipe(_ array: inout [UInt8]) {
        array.withUnsafeMutableBytes { wipe($0) }
    }
}
