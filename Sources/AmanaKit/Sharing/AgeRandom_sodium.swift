import CSodium

/// Random bytes from libsodium (getrandom underneath).
enum AgeRandom {
    static let ready: Bool = sodium_init() >= 0

    static func bytes(_ count: Int) -> [UInt8] {
        _ = ready
        var out = [UInt8](repeating: 0, count: count)
        randombytes_buf(&out, count)
        return out
    }
}
