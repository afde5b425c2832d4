import SwiftASN1

/// A time-stamp request (RFC 3161 section 2.4.1):
///
/// ```
/// TimeStampReq ::= SEQUENCE {
///    version          INTEGER { v1(1) },
///    messageImprint   MessageImprint,
///    reqPolicy        TSAPolicyId OPTIONAL,
///    nonce            INTEGER OPTIONAL,
///    certReq          BOOLEAN DEFAULT FALSE,
///    extensions       [0] IMPLICIT Extensions OPTIONAL }
/// ```
///
/// Amana writes version 1, an imprint, a nonce and `certReq` TRUE, and never extensions.
package struct TimeStampReq: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var version: Int
    package var messageImprint: MessageImprint
    package var reqPolicy: ASN1ObjectIdentifier?
    /// The nonce's INTEGER content octets (two's complement).
    package var nonce: [UInt8]?
    package var certReq: Bool

    package init(messageImprint: MessageImprint, reqPolicy: ASN1ObjectIdentifier? = nil, nonce: [UInt8]?,
                certReq: Bool = true) {
        self.version = 1
        self.messageImprint = messageImprint
        self.reqPolicy = reqPolicy
        self.nonce = nonce
        self.certReq = certReq
    }

    package init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(node, identifier: identifier) { nodes in
            let version = try DERField.smallInteger(try DERField.required(&nodes, "version"))
            let imprint = try MessageImprint(derEncoded: try DERField.required(&nodes, "messageImprint"))
            let policy = try DERField.next(&nodes, is: .objectIdentifier).map { try ASN1ObjectIdentifier(derEncoded: $0) }
            let nonce = try DERField.next(&nodes, is: .integer).map { try DERField.integerBytes($0) }
            let certReq = try DER.decodeDefault(&nodes, defaultValue: false)
            // Extensions are read past, not interpreted: a server-side concern.
            _ = DERField.next(&nodes, is: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific))
            var request = TimeStampReq(messageImprint: imprint, reqPolicy: policy, nonce: nonce, certReq: certReq)
            request.version = version
            return request
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(version)
            try coder.serialize(messageImprint)
            if let reqPolicy { try coder.serialize(reqPolicy) }
            if let nonce { coder.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: nonce) } }
            if certReq { try coder.serialize(true) }
        }
    }

    /// The request's DER bytes.
    package func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
