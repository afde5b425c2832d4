import Crypto
import Foundation
import SwiftASN1

/// Makes the kind of token some commercial TSAs once sent (DigiCert's, in 2018, for one): a `TimeStampResp` whose
/// signed attributes are a SET OF NOT in DER order, correctly signed over those bytes as they stand (RFC 5652 section
/// 5.4: the `[0]` tag octet replaced by SET, 0x31). Nothing else of the token changes.
///
/// It starts from a good response of a test TSA (`openssl ts -reply` with a P-256 key, so ECDSA with SHA-256),
/// reverses the order of its signed attributes, signs the result with the TSA's key through swift-crypto, and puts
/// the token back together, every enclosing length recomputed.
package enum ReorderedAttributesToken {
    /// What to do to the token after signing, for negative tests.
    package enum Alteration {
        /// Nothing: the token is valid.
        case none
        /// One octet of the signingTime attribute changed (still a valid time): the signature no longer verifies.
        case signingTimeChanged
        /// The attributes put back in DER order under the signature made for the reversed order, as a tool that
        /// "repaired" the encoding would: the signature no longer verifies.
        case sortedBack
    }

    package struct LayoutError: Error, CustomStringConvertible {
        package let description: String
    }

    static let signingTime = try! ASN1ObjectIdentifier(elements: [1, 2, 840, 113549, 1, 9, 5])

    /// - Parameters:
    ///   - response: a granted DER `TimeStampResp` signed by `keyPEM` with ECDSA P-256 and SHA-256.
    ///   - keyPEM: the TSA's private key (PKCS #8 or SEC 1 PEM, as `scripts/tsa/make-tsa.sh` writes `tsa.key`).
    package static func make(response: [UInt8], keyPEM: String, _ alteration: Alteration = .none) throws -> [UInt8] {
        let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
        let root = try DER.parse(response)
        // TimeStampResp > ContentInfo > [0] > SignedData > signerInfos > SignerInfo
        return try rewrap(root, child: 1) { contentInfo in
            try rewrap(contentInfo, child: 1) { explicit in
                try rewrap(explicit, child: 0) { signedData in
                    try rewrap(signedData, child: nil) { signerInfos in
                        try rewrap(signerInfos, child: 0) { try resign($0, key: key, alteration) }
                    }
                }
            }
        }
    }

    /// A SignerInfo with its signed attributes reversed and signed anew.
    private static func resign(_ signerInfo: ASN1Node, key: P256.Signing.PrivateKey,
                               _ alteration: Alteration) throws -> [UInt8] {
        var fields = try children(signerInfo).map { Array($0.encodedBytes) }
        let nodes = try children(signerInfo)
        let attributesTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
        guard let index = nodes.indices.dropFirst(2).first(where: { nodes[$0].identifier == attributesTag }),
              index + 2 < nodes.count, nodes[index + 2].identifier == .octetString
        else { throw LayoutError(description: "the SignerInfo has no signed attributes followed by a signature") }
        let original = try children(nodes[index]).map { Array($0.encodedBytes) }
        guard original.count >= 2 else { throw LayoutError(description: "fewer than two signed attributes") }
        let reversed = Array(original.reversed())
        let signature = try key.signature(for: tlv(0x31, reversed.flatMap { $0 }))
        var stored = reversed
        switch alteration {
        case .none:
            break
        case .sortedBack:
            stored = original
        case .signingTimeChanged:
            let attributes = try stored.map { try DER.parse($0) }
            guard let at = try attributes.indices.first(where: {
                try ASN1ObjectIdentifier(derEncoded: try children(attributes[$0])[0]) == signingTime
            }) else { throw LayoutError(description: "the token has no signingTime attribute") }
            // The attribute ends with "...SSZ": change the tens digit of the seconds, which stays a valid time.
            let tens = stored[at].count - 3
            stored[at][tens] = stored[at][tens] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        }
        fields[index] = tlv(0xA0, stored.flatMap { $0 })
        fields[index + 2] = tlv(0x04, Array(signature.derRepresentation))
        return tlv(signerInfo.encodedBytes.first!, fields.flatMap { $0 })
    }

    /// The node re-encoded with one child (the last when `child` is nil) replaced by what `replace` makes of it.
    private static func rewrap(_ node: ASN1Node, child: Int?, _ replace: (ASN1Node) throws -> [UInt8]) throws -> [UInt8] {
        let nodes = try children(node)
        guard let index = child ?? nodes.indices.last, nodes.indices.contains(index) else {
            throw LayoutError(description: "unexpected token layout")
        }
        var content = [UInt8]()
        for (position, element) in nodes.enumerated() {
            content += position == index ? try replace(element) : Array(element.encodedBytes)
        }
        // Every tag on this path fits in one octet (SEQUENCE, SET, [0]).
        return tlv(node.encodedBytes.first!, content)
    }

    private static func children(_ node: ASN1Node) throws -> [ASN1Node] {
        guard case .constructed(let nodes) = node.content else {
            throw LayoutError(description: "expected a constructed node")
        }
        return Array(nodes)
    }

    /// A DER element: one tag octet, the definite length in fewest octets, the content.
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var length = [UInt8]()
        if content.count < 0x80 {
            length = [UInt8(content.count)]
        } else {
            var count = content.count
            var octets = [UInt8]()
            while count > 0 {
                octets.insert(UInt8(count & 0xFF), at: 0)
                count >>= 8
            }
            length = [0x80 | UInt8(octets.count)] + octets
        }
        return [tag] + length + content
    }
}
