/// The few DER pieces the timestamp vectors edit.
enum DER {
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes = [UInt8]()
        var value = count
        while value > 0 { bytes.insert(UInt8(value & 0xFF), at: 0); value >>= 8 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + length(content.count) + content }

    /// The content of the outermost TLV.
    static func content(_ bytes: [UInt8]) -> [UInt8] {
        let first = Int(bytes[1])
        let headerLength = first < 0x80 ? 2 : 2 + (first & 0x7F)
        return Array(bytes[headerLength...])
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<$0 + needle.count]) == needle }
    }
}

/// A DER element as a tree, for the timestamp vectors that take a token apart and put it back together with every
/// enclosing length recomputed. Constructed elements hold children; primitive ones their content octets.
struct DERNode {
    var tag: UInt8
    var content: [UInt8]
    var children: [DERNode]

    var isConstructed: Bool { tag & 0x20 != 0 }

    static func parse(_ bytes: [UInt8]) -> DERNode {
        var offset = 0
        return parse(bytes, &offset)
    }

    private static func parse(_ bytes: [UInt8], _ offset: inout Int) -> DERNode {
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        offset += 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            length = 0
            for _ in 0..<count { length = length << 8 | Int(bytes[offset]); offset += 1 }
        }
        let end = offset + length
        var node = DERNode(tag: tag, content: Array(bytes[offset..<end]), children: [])
        if node.isConstructed {
            var inner = offset
            while inner < end { node.children.append(parse(bytes, &inner)) }
        }
        offset = end
        return node
    }

    func encoded() -> [UInt8] {
        DER.tlv(tag, isConstructed ? children.flatMap { $0.encoded() } : content)
    }
}
