import SwiftASN1

/// A SignerInfo's `signedAttrs [0] IMPLICIT SET OF Attribute`, kept with the bytes exactly as they arrived.
///
/// RFC 5652 section 5.4: the signature covers the DER of the attributes with an EXPLICIT SET OF tag (0x31), not the
/// `[0]` (0xA0) they are stored under. We check the ORIGINAL bytes with that one octet changed; re-encoding the
/// parsed attributes instead could "repair" a non-DER encoding and verify bytes the TSA never signed.
///
/// The one deviation from DER accepted here is the ORDER of the SET OF elements (the attributes, and the values of
/// one attribute): some commercial TSAs (DigiCert's, in 2018, for one) wrote them unsorted, OpenSSL and Go verify such
/// tokens, and archives will hold them for decades. It cannot open a second encoding of a valid token: the signature
/// covers these bytes as they are, so sorting (or otherwise reordering) them breaks it. Every other rule of DER still
/// holds; `isInDEROrder` records the deviation so that the verifier reports it.
package struct SignedAttributes: Sendable {
    package struct Attribute: Sendable {
        package var type: ASN1ObjectIdentifier
        /// Each value's complete DER.
        package var values: [ASN1Node]
    }

    package let originalBytes: [UInt8]
    package let attributes: [Attribute]
    /// False when the attributes, or the values of one attribute, are not in DER's SET OF order.
    package let isInDEROrder: Bool

    static let tag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)

    init(node: ASN1Node) throws {
        let elements = try DERField.children(node, SignedAttributes.tag, "signedAttrs")
        guard !elements.isEmpty else { throw ASN1Error.invalidASN1Object(reason: "signedAttrs is empty") }
        var inOrder = DERField.isInSetOrder(elements)
        var attributes = [Attribute]()
        for element in elements {
            let attribute = try DER.sequence(element, identifier: .sequence) { nodes -> Attribute in
                let type = try ASN1ObjectIdentifier(derEncoded: try DERField.required(&nodes, "attrType"))
                let values = try DERField.children(try DERField.required(&nodes, "attrValues"), .set, "attrValues")
                return Attribute(type: type, values: values)
            }
            inOrder = inOrder && DERField.isInSetOrder(attribute.values)
            attributes.append(attribute)
        }
        self.originalBytes = Array(node.encodedBytes)
        self.attributes = attributes
        self.isInDEROrder = inOrder
    }

    /// What the signature is over: the original bytes with the `[0]` tag octet replaced by SET OF (0x31).
    package var signedBytes: [UInt8] {
        var bytes = originalBytes
        bytes[0] = 0x31
        return bytes
    }

    /// Every attribute of a type.
    package func all(_ type: ASN1ObjectIdentifier) -> [Attribute] {
        attributes.filter { $0.type == type }
    }
}
