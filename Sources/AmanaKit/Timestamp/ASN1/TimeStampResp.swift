import SwiftASN1

/// `TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }` (RFC 3161 2.4.2).
///
/// The token stays a node here; ``TimestampToken`` parses it.
package struct TimeStampResp: Sendable {
    package var status: PKIStatusInfo
    package var tokenNode: ASN1Node?

    init(node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let status = try PKIStatusInfo(derEncoded: try DERField.required(&nodes, "status"))
            return TimeStampResp(status: status, tokenNode: nodes.next())
        }
    }

    private init(status: PKIStatusInfo, tokenNode: ASN1Node?) {
        self.status = status
        self.tokenNode = tokenNode
    }
}
