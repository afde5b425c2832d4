import SwiftASN1

/// An AlgorithmIdentifier (RFC 5280 section 4.1.1.2): an OID and optional parameters kept as their raw DER.
///
/// swift-certificates keeps its own type internal, and CMS needs to see the parameters exactly (an explicit NULL
/// after a digest OID is legal and common; RSASSA-PSS carries real parameters).
package struct AlgorithmIdentifierDER: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var algorithm: ASN1ObjectIdentifier
    /// The parameters' complete DER (tag, length and content), or nil when absent.
    package var parameters: [UInt8]?

    package init(algorithm: ASN1ObjectIdentifier, parameters: [UInt8]? = nil) {
        self.algorithm = algorithm
        self.parameters = parameters
    }

    /// The DER of an explicit NULL, the parameters RSA and (by long habit) digest identifiers carry.
    package static let nullParameters: [UInt8] = [0x05, 0x00]

    package init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(node, identifier: identifier) { nodes in
            let oid = try ASN1ObjectIdentifier(derEncoded: try DERField.required(&nodes, "algorithm"))
            let parameters = nodes.next().map { Array($0.encodedBytes) }
            return AlgorithmIdentifierDER(algorithm: oid, parameters: parameters)
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(algorithm)
            if let parameters { coder.serializeRawBytes(parameters) }
        }
    }

    /// True when the parameters are absent or an explicit NULL: what RFC 5754 allows for SHA-2 digests and RFC 4055
    /// requires (NULL) for PKCS #1 v1.5 signatures.
    package var hasAbsentOrNullParameters: Bool {
        parameters == nil || parameters == AlgorithmIdentifierDER.nullParameters
    }

    /// The digest algorithm this identifier names, when it is one and has acceptable parameters.
    package var digestAlgorithm: DigestAlgorithm? {
        guard hasAbsentOrNullParameters else { return nil }
        return TimestampOID.digestAlgorithm(algorithm)
    }

    /// The identifier Amana writes for a digest: with an explicit NULL, as OpenSSL and most TSAs write it.
    package static func digest(_ algorithm: DigestAlgorithm) -> AlgorithmIdentifierDER {
        AlgorithmIdentifierDER(algorithm: TimestampOID.oid(for: algorithm), parameters: nullParameters)
    }
}
