import SwiftASN1

/// `PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL }`
/// (RFC 3161 section 2.4.2).
package struct PKIStatusInfo: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    /// 0 granted, 1 grantedWithMods, 2 rejection, 3 waiting, 4 revocationWarning, 5 revocationNotification.
    package var status: Int
    /// The TSA's free text (`PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String`), joined with "; ".
    package var statusText: String?
    /// The names of the PKIFailureInfo bits that are set.
    package var failures: [String]

    package init(status: Int, statusText: String? = nil, failures: [String] = []) {
        self.status = status
        self.statusText = statusText
        self.failures = failures
    }

    /// A token is present only with these two statuses (RFC 3161 section 2.4.2).
    package var isGranted: Bool { status == 0 || status == 1 }

    package var statusName: String {
        switch status {
        case 0: return "granted"
        case 1: return "grantedWithMods"
        case 2: return "rejection"
        case 3: return "waiting"
        case 4: return "revocationWarning"
        case 5: return "revocationNotification"
        default: return "status \(status)"
        }
    }

    /// `PKIFailureInfo` bit names, by bit number (RFC 3161 section 2.4.2).
    static let failureNames: [Int: String] = [
        0: "badAlg", 2: "badRequest", 5: "badDataFormat", 14: "timeNotAvailable", 15: "unacceptedPolicy",
        16: "unacceptedExtension", 17: "addInfoNotAvailable", 25: "systemFailure",
    ]

    /// Human summary: `rejection (badAlg: "unsupported algorithm")`.
    package var summary: String {
        var details = failures
        if let statusText { details.append("\"\(statusText)\"") }
        return details.isEmpty ? statusName : "\(statusName) (\(details.joined(separator: ": ")))"
    }

    package init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(node, identifier: identifier) { nodes in
            let status = try DERField.smallInteger(try DERField.required(&nodes, "status"))
            var text: String?
            if let freeText = DERField.next(&nodes, is: .sequence) {
                let strings = try DER.sequence(of: ASN1UTF8String.self, identifier: .sequence, rootNode: freeText)
                guard !strings.isEmpty else { throw ASN1Error.invalidASN1Object(reason: "empty PKIFreeText") }
                text = strings.map { String(decoding: $0.bytes, as: UTF8.self) }.joined(separator: "; ")
            }
            var failures = [String]()
            if let bits = DERField.next(&nodes, is: .bitString) {
                let bitString = try ASN1BitString(derEncoded: bits)
                for (index, byte) in bitString.bytes.enumerated() {
                    for bit in 0..<8 where byte & (0x80 >> bit) != 0 {
                        let number = index * 8 + bit
                        failures.append(PKIStatusInfo.failureNames[number] ?? "failure bit \(number)")
                    }
                }
            }
            return PKIStatusInfo(status: status, statusText: text, failures: failures)
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(status)
            if let statusText {
                try coder.appendConstructedNode(identifier: .sequence) { try $0.serialize(ASN1UTF8String(statusText)) }
            }
        }
    }
}
