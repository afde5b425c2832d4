import SwiftASN1
import X509

/// The ETSI statement that a time-stamp is an EU qualified electronic time-stamp (eIDAS Article 42):
/// esi4-qtstStatement-1 (0.4.0.19422.1.1) inside a qcStatements value (RFC 3739:
/// `QCStatements ::= SEQUENCE OF SEQUENCE { statementId OBJECT IDENTIFIER, statementInfo ANY OPTIONAL }`).
///
/// ETSI EN 319 422 section 9.1 puts it in the TSTInfo's extensions; some TSAs also put it in the TSA certificate's
/// qcStatements. Both places are looked at. Whether the TSA is on an EU trusted list is a separate question that
/// Amana does not answer offline; the statement is the TSA's own claim, signed under the trusted chain.
enum QualifiedStatement {
    /// Where the statement was found: `token` and/or `certificate`.
    static func locations(tstInfo: TSTInfo, signer: Certificate?) -> [String] {
        var found = [String]()
        if tstInfo.extensions.contains(where: { $0.oid == TimestampOID.qcStatements && contains($0.value) }) {
            found.append("token")
        }
        if let value = signer?.extensions[oid: TimestampOID.qcStatements]?.value, contains(Array(value)) {
            found.append("certificate")
        }
        return found
    }

    /// id-etsi-qcs-QcCompliance (ETSI EN 319 412-5): the certificate claims to be an EU qualified certificate.
    static let qcComplianceID = "0.4.0.1862.1.1"

    /// Every statementId in the certificate's qcStatements, dotted, in order; nil when it has no readable extension.
    static func statementIDs(certificate: Certificate) -> [String]? {
        guard let value = certificate.extensions[oid: TimestampOID.qcStatements]?.value,
              let node = try? DER.parse(Array(value)),
              let statements = try? DERField.children(node, .sequence, "qcStatements")
        else { return nil }
        return statements.compactMap { statement in
            guard let parts = try? DERField.children(statement, .sequence, "QCStatement"), let id = parts.first else {
                return nil
            }
            return (try? ASN1ObjectIdentifier(derEncoded: id))?.description
        }
    }

    static func contains(_ qcStatements: [UInt8]) -> Bool {
        guard let node = try? DER.parse(qcStatements),
              let statements = try? DERField.children(node, .sequence, "qcStatements")
        else { return false }
        return statements.contains { statement in
            guard let parts = try? DERField.children(statement, .sequence, "QCStatement"), let id = parts.first else {
                return false
            }
            return (try? ASN1ObjectIdentifier(derEncoded: id)) == TimestampOID.qualifiedTimestampStatement
        }
    }
}

/// A critical TSTInfo extension that is not understood makes the token's meaning unknown (RFC 5280 semantics).
struct TSTExtensionsRule {
    let tstInfo: TSTInfo

    func check(_ findings: inout TimestampFindings) {
        for ext in tstInfo.extensions where ext.critical && ext.oid != TimestampOID.qcStatements {
            findings.indeterminate(.extensionUnsupported, "the token has a critical extension \(ext.oid) that Amana "
                                   + "does not understand")
        }
    }
}
