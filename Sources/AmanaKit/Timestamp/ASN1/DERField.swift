import SwiftASN1

/// Small strict readers that swift-asn1 does not offer directly.
enum DERField {
    /// The content octets of an INTEGER, as two's complement, checked to be minimally encoded (X.690 8.3.2).
    /// Serial numbers and nonces are opaque numbers, possibly negative or wider than 64 bits, so they stay bytes.
    static func integerBytes(_ node: ASN1Node, identifier: ASN1Identifier = .integer) throws -> [UInt8] {
        guard node.identifier == identifier, case .primitive(let bytes) = node.content, !bytes.isEmpty else {
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
        if bytes.count > 1 {
            let first = bytes[bytes.startIndex], second = bytes[bytes.startIndex + 1]
            if (first == 0x00 && second & 0x80 == 0) || (first == 0xFF && second & 0x80 != 0) {
                throw ASN1Error.invalidASN1IntegerEncoding(reason: "INTEGER not encoded in fewest octets")
            }
        }
        return Array(bytes)
    }

    /// A small non-negative INTEGER, such as a version number.
    static func smallInteger(_ node: ASN1Node, identifier: ASN1Identifier = .integer) throws -> Int {
        try Int(derEncoded: node, withIdentifier: identifier)
    }

    /// Encodes a non-negative big-endian magnitude as INTEGER content octets (adds a zero byte when the top bit is set).
    static func positiveIntegerContent(_ magnitude: [UInt8]) -> [UInt8] {
        var bytes = Array(magnitude.drop { $0 == 0 })
        if bytes.isEmpty { return [0] }
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return bytes
    }

    /// The raw DER of the next node, if the iterator has one with this identifier.
    static func next(_ nodes: inout ASN1NodeCollection.Iterator, is identifier: ASN1Identifier) -> ASN1Node? {
        var copy = nodes
        guard let node = copy.next(), node.identifier == identifier else { return nil }
        nodes = copy
        return node
    }

    /// The next node, which must exist.
    static func required(_ nodes: inout ASN1NodeCollection.Iterator, _ what: String) throws -> ASN1Node {
        guard let node = nodes.next() else {
            throw ASN1Error.invalidASN1Object(reason: "\(what) is missing")
        }
        return node
    }
}

extension DERField {
    /// Checks X.690 11.6: the elements of a SET OF appear in ascending order of their encodings, the shorter padded
    /// with zero octets. DER allows one order only, so any other order means the bytes were not DER.
    static func checkSetOrder(_ nodes: [ASN1Node], _ what: String) throws {
        guard isInSetOrder(nodes) else {
            throw ASN1Error.invalidASN1Object(reason: "\(what) is a SET OF not in DER order")
        }
    }

    /// Whether the elements of a SET OF are in DER order (X.690 11.6), for the one place that tolerates another order.
    static func isInSetOrder(_ nodes: [ASN1Node]) -> Bool {
        zip(nodes, nodes.dropFirst()).allSatisfy { ascending($0.encodedBytes, $1.encodedBytes) }
    }

    private static func ascending(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Bool {
        let count = max(lhs.count, rhs.count)
        for index in 0..<count {
            let a = index < lhs.count ? lhs[lhs.startIndex + index] : 0
            let b = index < rhs.count ? rhs[rhs.startIndex + index] : 0
            if a != b { return a < b }
        }
        return true
    }

    /// The children of a constructed node with the given identifier.
    static func children(_ node: ASN1Node, _ identifier: ASN1Identifier, _ what: String) throws -> [ASN1Node] {
        guard node.identifier == identifier, case .constructed(let nodes) = node.content else {
            throw ASN1Error.invalidASN1Object(reason: "\(what) has the wrong type")
        }
        return Array(nodes)
    }
}
