import CSodium

/// A fixed-size buffer of secret bytes that is zeroed with `sodium_memzero` when released.
///
/// Unlike an `Array`, this storage is never copied behind our back, so wiping it on `deinit` really removes the
/// secret from memory. It deliberately has no `description` that shows its contents.
final class SecretBytes: CustomStringConvertible {
    let count: Int
    private let storage: UnsafeMutableRawBufferPointer

    /// A zero-filled buffer of `count` bytes.
    init(count: Int) {
        precondition(count >= 0, "SecretBytes count must not be negative")
        self.count = count
        self.storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
    }

    /// A buffer holding a copy of `bytes`.
    convenience init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        self.init(count: bytes.count)
        for (index, byte) in bytes.enumerated() { storage[index] = byte }
    }

    deinit {
        sodium_memzero(storage.baseAddress!, storage.count)
        storage.deallocate()
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
    }

    func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(rebasing: storage[0..<count]))
    }

    /// Never shows the contents.
    var description: String { "SecretBytes(\(count) bytes)" }
}
