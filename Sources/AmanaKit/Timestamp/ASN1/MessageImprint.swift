import SwiftASN1

/// `MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }` (RFC 3161 2.4.1).
package struct MessageImprint: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var hashAlgorithm: AlgorithmIdentifierDER
    package var hashedMessage: [UInt8]

    package init(hashAlgorithm: AlgorithmIdentifierDER, hashedMessage: [UInt8]) {
        self.hashAlgorithm = hashAlgorithm
        self.hashedMessage = hashedMessage
    }

    package init(_ digest: Digest) {
        self.init(hashAlgorithm: .digest(digest.algorithm), hashedMessage: digest.bytes)
    }

    package init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(node, identifier: identifier) { nodes in
            let algorithm = try AlgorithmIdentifierDER(derEncoded: try DERField.required(&nodes, "hashAlgorithm"))
            let hashed = try ASN1OctetString(derEncoded: try DERField.required(&nodes, "hashedMessage"))
            return MessageImprint(hashAlgorithm: algorithm, hashedMessage: Array(hashed.bytes))
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(hashAlgorithm)
            try coder.serialize(ASN1OctetString(contentBytes: hashedMessage[...]))
        }
    }
}
