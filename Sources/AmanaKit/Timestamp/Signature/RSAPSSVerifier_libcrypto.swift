import CLibcrypto
#if canImport(Glibc)
import Glibc
#endif

/// RSASSA-PSS verification through OpenSSL's libcrypto, because swift-certificates verifies PKCS #1 v1.5 only.
///
/// Only this file touches C (STYLE rule 9). It takes the PKCS #1 `RSAPublicKey` DER and plain Swift values, and
/// answers yes or no.
enum RSAPSSVerifier {
    /// True when `signature` is a valid RSASSA-PSS signature of `message` under the key.
    /// - Parameters:
    ///   - hash, mgf1Hash: OpenSSL digest names (`SHA256`).
    static func isValid(signature: [UInt8], message: [UInt8], rsaPublicKeyDER: [UInt8], hash: String,
                        mgf1Hash: String, saltLength: Int) -> Bool {
        guard saltLength >= 0, saltLength <= 1024 else { return false }
        var cursor: UnsafePointer<UInt8>? = nil
        let key: OpaquePointer? = rsaPublicKeyDER.withUnsafeBufferPointer { buffer in
            cursor = buffer.baseAddress
            return d2i_PublicKey(EVP_PKEY_RSA, nil, &cursor, buffer.count)
        }
        guard let key else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer? = nil
        guard EVP_DigestVerifyInit_ex(context, &keyContext, hash, nil, nil, key, nil) == 1, let keyContext else {
            return false
        }
        // OSSL_PARAM keeps pointers to its key and value strings, so they must outlive the call: no Swift temporaries.
        let texts: [String] = ["pad-mode", "pss", "mgf1-digest", mgf1Hash, "saltlen"]
        let strings: [UnsafeMutablePointer<CChar>?] = texts.map { (text: String) in strdup(text) }
        defer { strings.forEach { free($0) } }
        var salt = Int32(saltLength)
        let applied: Int32 = withUnsafeMutablePointer(to: &salt) { saltPointer in
            var params = [
                OSSL_PARAM_construct_utf8_string(strings[0], strings[1], 0),
                OSSL_PARAM_construct_utf8_string(strings[2], strings[3], 0),
                OSSL_PARAM_construct_int(strings[4], saltPointer),
                OSSL_PARAM_construct_end(),
            ]
            return EVP_PKEY_CTX_set_params(keyContext, &params)
        }
        guard applied == 1 else { return false }
        let result = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        return result == 1
    }
}
