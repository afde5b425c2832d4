/// The 8-byte key number that minisign stores with a key and repeats in every signature it makes.
///
/// It is random, not derived from the key, so it only *names* a key: a matching id tells a verifier which key to
/// try, never that a signature is good. minisign shows it as the little-endian 64-bit integer in 16 uppercase hex
/// digits, so the bytes appear reversed: stored `1F E8 B4 42 18 0F 62 E7` displays as `E7620F1842B4E81F`.
public struct KeyID: Hashable, Sendable, CustomStringConvertible {
    /// The 8 bytes in file order.
    public let bytes: [UInt8]

    /// Wraps 8 bytes in file order; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == MinisignFormat.keyIDLength else { return nil }
        self.bytes = bytes
    }

    /// Parses minisign's display form: exactly 16 hex digits (either case), most significant first.
    public init?(hex: String) {
        guard hex.utf8.count == 2 * MinisignFormat.keyIDLength, let bigEndian = Hex.decode(hex) else { return nil }
        self.bytes = bigEndian.reversed()
    }

    /// 16 uppercase hex digits, as `minisign` prints it.
    public var description: String {
        Hex.encode(bytes.reversed()).uppercased()
    }

    /// A fresh random id, as `minisign -G` makes one.
    static func random() throws -> KeyID {
        KeyID(bytes: try Sodium.randomBytes(MinisignFormat.keyIDLength))!
    }
}
