import Foundation

/// Standard base64 (RFC 4648 section 4, with padding), decoded strictly: only the canonical encoding of some bytes
/// is accepted, so one signature or key has exactly one spelling in a signed record.
public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    public static func decode(_ text: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: text), data.base64EncodedString() == text else { return nil }
        return Array(data)
    }
}
