import Foundation

/// Tokens altered the ways the timestamp vectors need: each keeps every other part of the token intact.
extension LocalTSA {
    /// A certificate with this TSA certificate's issuer and serial number but another key, signed by the same root:
    /// what an attacker plants to be taken for the signer. Made once and kept beside the TSA's material.
    func twinCertificate() throws -> [UInt8] {
        let kept = material.appendingPathComponent("twin.pem")
        if let data = try? Data(contentsOf: kept) { return Array(data) }
        let serial = String(decoding: try run(LocalTSA.openssl, ["x509", "-in", work.appendingPathComponent("tsa.pem").path, "-noout", "-serial"]),
                            as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "serial=", with: "")
        let key = work.appendingPathComponent("twin.key").path, request = work.appendingPathComponent("twin.csr").path
        try run(LocalTSA.openssl, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key])
        try run(LocalTSA.openssl, ["req", "-new", "-key", key, "-subj", "/O=Amana Tests/CN=Amana Test TSA", "-out", request])
        try run(LocalTSA.openssl, ["x509", "-req", "-in", request, "-CA", work.appendingPathComponent("root.pem").path,
                                   "-CAkey", work.appendingPathComponent("root.key").path, "-set_serial", "0x" + serial,
                                   "-days", "36500", "-extfile", work.appendingPathComponent("tsa.ext").path, "-out", kept.path])
        return Array(try Data(contentsOf: kept))
    }

    /// The response with its SignerInfo's signed attributes in reverse (not DER) order, signed again over the new
    /// bytes with the TSA's key (RFC 5652 section 5.4: the [0] tag read as SET), every length recomputed.
    func reorderedAttributes(_ response: [UInt8], key: String) throws -> [UInt8] {
        try cached(key) {
            var root = DERNode.parse(response)
            // TimeStampResp { status, ContentInfo { type, [0] { SignedData { ..., SignerInfos { SignerInfo } } } } }
            var signerInfo = root.children[1].children[1].children[0].children.last!.children[0]
            let attributes = signerInfo.children.firstIndex { $0.tag == 0xA0 }!
            signerInfo.children[attributes].children.reverse()
            var signed = signerInfo.children[attributes]
            signed.tag = 0x31
            let input = work.appendingPathComponent("attributes-\(UUID().uuidString)").path
            try writeFile(signed.encoded(), URL(fileURLWithPath: input))
            let signature = try run(LocalTSA.openssl, ["dgst", "-sha256", "-sign", work.appendingPathComponent("tsa.key").path, input])
            signerInfo.children[signerInfo.children.count - 1].content = signature
            var signedData = root.children[1].children[1].children[0]
            var infos = signedData.children[signedData.children.count - 1]
            infos.children[0] = signerInfo
            signedData.children[signedData.children.count - 1] = infos
            root.children[1].children[1].children[0] = signedData
            return root.encoded()
        }
    }

    /// The response with one more "certificate" in its certificates field: a SEQUENCE that is no certificate, put
    /// first so the SET OF stays in DER order. Certificates are not signed, so the token is otherwise intact.
    func withUnreadableCertificate(_ response: [UInt8]) -> [UInt8] {
        var root = DERNode.parse(response)
        var signedData = root.children[1].children[1].children[0]
        let certificates = signedData.children.firstIndex { $0.tag == 0xA0 }!
        signedData.children[certificates].children.insert(DERNode.parse([0x30, 0x03, 0x02, 0x01, 0x01]), at: 0)
        root.children[1].children[1].children[0] = signedData
        return root.encoded()
    }
}
