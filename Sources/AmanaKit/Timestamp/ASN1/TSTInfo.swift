import Foundation
import SwiftASN1
import X509

/// The content a TSA signs (RFC 3161 section 2.4.2):
///
/// ```
/// TSTInfo ::= SEQUENCE {
///    version         INTEGER { v1(1) },
///    policy          TSAPolicyId,
///    messageImprint  MessageImprint,
///    serialNumber    INTEGER,
///    genTime         GeneralizedTime,
///    accuracy        Accuracy OPTIONAL,
///    ordering        BOOLEAN DEFAULT FALSE,
///    nonce           INTEGER OPTIONAL,
///    tsa             [0] GeneralName OPTIONAL,
///    extensions      [1] IMPLICIT Extensions OPTIONAL }
/// ```
///
/// Parsing is DER-strict: a DEFAULT written out, a non-minimal INTEGER, a badly formed time, or anything else that
/// does not re-encode to the same bytes (such as a name that is not valid UTF-8) is an error.
package struct TSTInfo: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var version: Int
    package var policy: ASN1ObjectIdentifier
    package var messageImprint: MessageImprint
    /// INTEGER content octets (two's complement); serial numbers may be up to 160 bits.
    package var serialNumber: [UInt8]
    package var genTime: GeneralizedTime
    package var accuracy: Accuracy?
    package var ordering: Bool
    package var nonce: [UInt8]?
    package var tsa: GeneralName?
    package var extensions: [TSTExtension]

    package init(policy: ASN1ObjectIdentifier, messageImprint: MessageImprint, serialNumber: [UInt8],
                genTime: GeneralizedTime, accuracy: Accuracy? = nil, ordering: Bool = false, nonce: [UInt8]? = nil,
                tsa: GeneralName? = nil, extensions: [TSTExtension] = []) {
        self.version = 1
        self.policy = policy
        self.messageImprint = messageImprint
        self.serialNumber = serialNumber
        self.genTime = genTime
        self.accuracy = accuracy
        self.ordering = ordering
        self.nonce = nonce
        self.tsa = tsa
        self.extensions = extensions
    }

    static let tsaTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
    static let extensionsTag = ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)

    package init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(node, identifier: identifier) { nodes in
            let version = try DERField.smallInteger(try DERField.required(&nodes, "version"))
            let policy = try ASN1ObjectIdentifier(derEncoded: try DERField.required(&nodes, "policy"))
            let imprint = try MessageImprint(derEncoded: try DERField.required(&nodes, "messageImprint"))
            let serial = try DERField.integerBytes(try DERField.required(&nodes, "serialNumber"))
            let genTime = try GeneralizedTime(derEncoded: try DERField.required(&nodes, "genTime"))
            let accuracy = try DERField.next(&nodes, is: .sequence).map { try Accuracy(derEncoded: $0) }
            let ordering = try DER.decodeDefault(&nodes, identifier: .boolean, defaultValue: false)
            let nonce = try DERField.next(&nodes, is: .integer).map { try DERField.integerBytes($0) }
            let tsa = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                try GeneralName(derEncoded: $0)
            }
            var extensions = [TSTExtension]()
            if let node = DERField.next(&nodes, is: TSTInfo.extensionsTag) {
                extensions = try DER.sequence(of: TSTExtension.self, identifier: TSTInfo.extensionsTag, rootNode: node)
                guard !extensions.isEmpty else { throw ASN1Error.invalidASN1Object(reason: "empty extensions") }
            }
            var info = TSTInfo(policy: policy, messageImprint: imprint, serialNumber: serial, genTime: genTime,
                               accuracy: accuracy, ordering: ordering, nonce: nonce, tsa: tsa, extensions: extensions)
            info.version = version
            return info
        }
        // DER has one encoding per value. The reads above check the rules they know (no DEFAULT written out, minimal
        // INTEGERs); what they cannot see shows here. Invalid UTF-8 in the `tsa` name, for one, is repaired by
        // swift-certificates as it reads, so the name would be shown and compared as something the TSA never signed.
        var serializer = DER.Serializer()
        try serialize(into: &serializer, withIdentifier: identifier)
        guard serializer.serializedBytes.elementsEqual(node.encodedBytes) else {
            throw ASN1Error.invalidASN1Object(reason: "the TSTInfo is not DER: it does not re-encode to its own bytes")
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(version)
            try coder.serialize(policy)
            try coder.serialize(messageImprint)
            coder.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: serialNumber) }
            try coder.serialize(genTime)
            if let accuracy { try coder.serialize(accuracy) }
            if ordering { try coder.serialize(true) }
            if let nonce { coder.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: nonce) } }
            if let tsa { try coder.serialize(tsa, explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) }
            if !extensions.isEmpty {
                try coder.serializeSequenceOf(extensions, identifier: TSTInfo.extensionsTag)
            }
        }
    }

    package func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }

    /// genTime as a `Date` (fractions of a second kept).
    package var genDate: Date { TSTInfo.date(genTime) }

    /// A GeneralizedTime for a date, in whole seconds (what a TSA with one-second precision writes).
    package static func generalizedTime(_ date: Date) throws -> GeneralizedTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return try GeneralizedTime(year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!,
                                   seconds: c.second!, fractionalSeconds: 0)
    }

    static func date(_ time: GeneralizedTime) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: time.year, month: time.month, day: time.day, hour: time.hours,
                                        minute: time.minutes, second: time.seconds)
        let whole = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        return whole.addingTimeInterval(time.fractionalSeconds)
    }
}

/// `Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL,
/// micros [1] INTEGER (1..999) OPTIONAL }`: genTime is right to within this much, either way.
package struct Accuracy: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var seconds: Int?
    package var millis: Int?
    package var micros: Int?

    package init(seconds: Int? = nil, millis: Int? = nil, micros: Int? = nil) {
        self.seconds = seconds
        self.millis = millis
        self.micros = micros
    }

    /// The accuracy in seconds (missing fields count as zero, as RFC 3161 says).
    package var interval: TimeInterval {
        Double(seconds ?? 0) + Double(millis ?? 0) / 1000 + Double(micros ?? 0) / 1_000_000
    }

    /// `1.5s`, `0.0001s`: short, for messages.
    package var description: String { Accuracy.format(interval) }

    static let millisTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
    static let microsTag = ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)

    package init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(node, identifier: identifier) { nodes in
            let seconds = try DERField.next(&nodes, is: .integer).map { try DERField.smallInteger($0) }
            let millis = try DERField.next(&nodes, is: Accuracy.millisTag).map {
                try DERField.smallInteger($0, identifier: Accuracy.millisTag)
            }
            let micros = try DERField.next(&nodes, is: Accuracy.microsTag).map {
                try DERField.smallInteger($0, identifier: Accuracy.microsTag)
            }
            guard seconds.map({ $0 >= 0 }) ?? true, millis.map({ (1...999).contains($0) }) ?? true,
                  micros.map({ (1...999).contains($0) }) ?? true
            else { throw ASN1Error.invalidASN1Object(reason: "accuracy out of range") }
            return Accuracy(seconds: seconds, millis: millis, micros: micros)
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            if let seconds { try coder.serialize(seconds) }
            if let millis { try millis.serialize(into: &coder, withIdentifier: Accuracy.millisTag) }
            if let micros { try micros.serialize(into: &coder, withIdentifier: Accuracy.microsTag) }
        }
    }
}

/// `Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
package struct TSTExtension: DERImplicitlyTaggable, Hashable, Sendable {
    package static var defaultIdentifier: ASN1Identifier { .sequence }

    package var oid: ASN1ObjectIdentifier
    package var critical: Bool
    package var value: [UInt8]

    package init(oid: ASN1ObjectIdentifier, critical: Bool = false, value: [UInt8]) {
        self.oid = oid
        self.critical = critical
        self.value = value
    }

    package init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(node, identifier: identifier) { nodes in
            let oid = try ASN1ObjectIdentifier(derEncoded: try DERField.required(&nodes, "extnID"))
            let critical = try DER.decodeDefault(&nodes, identifier: .boolean, defaultValue: false)
            let value = try ASN1OctetString(derEncoded: try DERField.required(&nodes, "extnValue"))
            return TSTExtension(oid: oid, critical: critical, value: Array(value.bytes))
        }
    }

    package func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(oid)
            if critical { try coder.serialize(true) }
            try coder.serialize(ASN1OctetString(contentBytes: value[...]))
        }
    }
}
